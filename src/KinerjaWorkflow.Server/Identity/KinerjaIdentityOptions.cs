namespace KinerjaWorkflow.Server.Identity;

/// <summary>The "Identity" configuration section.</summary>
public sealed class KinerjaIdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>The password demo users get in the Development and Testing environments.</summary>
    public string DemoPassword { get; set; } = "kinerja2025";

    /// <summary>How long a bearer token (and a sign-in cookie) is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins in a row after which the account is locked.</summary>
    public int MaxFailedSignIns { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
