namespace KinerjaWorkflow.Server.Identity;

/// <summary>The "Identity" configuration section.</summary>
public sealed class KinerjaIdentityOptions
{
    public const string SectionName = "Identity";

    private const string DefaultDemoPassword = "kinerja2025";

    /// <summary>The password demo users get in the Development and Testing environments.</summary>
    public string DemoPassword { get; set; } = DefaultDemoPassword;

    /// <summary>
    /// The configured demo password and the built-in one: a Development database may hold either, and neither may
    /// become a real account's password.
    /// </summary>
    public IReadOnlyList<string> DemoPasswords => DemoPassword == DefaultDemoPassword ? [DemoPassword] : [DemoPassword, DefaultDemoPassword];

    /// <summary>
    /// First passwords the operator gives accounts that have none (or still wait for one): username → password.
    /// Applied at start-up only to such accounts, so a later start changes nothing; remove them once used.
    /// </summary>
    public Dictionary<string, string> InitialPasswords { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a bearer token (and a sign-in cookie) is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins in a row after which the account is locked.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long the first lock lasts; each further lock in a row lasts twice as long, up to <see cref="MaxLockoutDuration"/>.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a lock lasts, so a stranger guessing cannot keep an account out for long; an admin can unlock at once.</summary>
    public TimeSpan MaxLockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts one client address may make per <see cref="SignInWindow"/>.</summary>
    public int SignInsPerAddress { get; set; } = 60;

    /// <summary>
    /// Sign-in attempts one client address may make per <see cref="SignInBurstWindow"/>: the minute's allowance
    /// cannot be spent on many usernames in a few seconds, while staff signing in one after another behind one
    /// NAT address still get through.
    /// </summary>
    public int SignInBurstPerAddress { get; set; } = 10;

    public TimeSpan SignInBurstWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sign-in attempts for one username, from anywhere, per <see cref="SignInWindow"/>.</summary>
    public int SignInsPerUser { get; set; } = 10;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a client that signed in to an account stays known for it (<see cref="KnownDevices"/>).</summary>
    public TimeSpan KnownDeviceLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// The least time a refused sign-in takes to answer. A wrong password writes the failure count, an unknown user
    /// writes nothing; without this floor the unknown one answers measurably sooner and tells who exists.
    /// </summary>
    public TimeSpan RefusedSignInAnswerTime { get; set; } = TimeSpan.FromMilliseconds(300);
}
