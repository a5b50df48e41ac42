using System.Net.Mail;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>The "Notifications" section: how long a webhook may take and how the live stream keeps alive.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How long a webhook may take to answer one POST; longer counts as a failure.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the live stream sends a comment so proxies keep the connection open.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    internal IEnumerable<string> Problems()
    {
        if (WebhookTimeout <= TimeSpan.Zero || HeartbeatInterval <= TimeSpan.Zero)
        {
            yield return "Notifications:WebhookTimeout and Notifications:HeartbeatInterval must be positive.";
        }
    }
}

/// <summary>The "Smtp" section. Email is off until <see cref="Host"/> is set.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>
    /// Encrypt before anything is sent (and before any password): implicit TLS on port 465, STARTTLS on any other.
    /// </summary>
    public bool UseTls { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender address, e.g. "KinerjaWorkflow &lt;kinerja@dinas.go.id&gt;".</summary>
    public string? From { get; set; }

    /// <summary>How long one conversation with the server may take; longer counts as a failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    internal IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"Smtp:Port {Port} is not a TCP port.";
        }

        if (!MailAddress.TryCreate(From, out _))
        {
            yield return $"Smtp:From '{From}' is not an email address; it is required when Smtp:Host is set.";
        }

        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
        {
            yield return "Smtp:UserName and Smtp:Password are set together or not at all.";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return "Smtp:Timeout must be positive.";
        }
    }
}
