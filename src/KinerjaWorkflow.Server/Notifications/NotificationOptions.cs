using System.Net.Mail;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>The "Notifications" section: how the outbox is delivered and how the live stream keeps alive.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How often the delivery worker looks for due deliveries when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts (each with its own quick retries) before a delivery becomes a dead letter.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Pause after the first failed attempt; it doubles after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Retries inside one attempt, for a connection that drops for a moment.</summary>
    public int QuickRetries { get; set; } = 2;

    /// <summary>First pause between quick retries; it grows exponentially, with jitter.</summary>
    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a webhook may take to answer one POST; longer counts as a failure.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the live stream sends a comment so proxies keep the connection open.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    internal IEnumerable<string> Problems()
    {
        if (PollInterval <= TimeSpan.Zero)
        {
            yield return "Notifications:PollInterval must be positive.";
        }

        if (MaxAttempts < 1)
        {
            yield return "Notifications:MaxAttempts must be at least 1.";
        }

        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            yield return "Notifications:RetryDelay must be positive and not above Notifications:MaxRetryDelay.";
        }

        if (QuickRetries < 0 || QuickRetryDelay <= TimeSpan.Zero)
        {
            yield return "Notifications:QuickRetries must not be negative and Notifications:QuickRetryDelay must be positive.";
        }

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
