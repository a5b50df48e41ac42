namespace KinerjaWorkflow.Server.Outbound;

/// <summary>
/// The "Outbound" configuration section: where service tasks and webhooks may call. Set by the operator in
/// configuration only; nothing an office admin deploys or edits can widen it.
/// </summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Outbound";

    /// <summary>
    /// Host names (or IP literals) that may be called, any port; <c>*.example.go.id</c> allows the subdomains
    /// of example.go.id. Empty: no outgoing call is allowed.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Loopback, link-local and private networks (CIDR, e.g. <c>10.20.0.0/16</c>) that allowed hosts may
    /// resolve to. Every such address outside these is refused, whatever the host name.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>The largest answer read; a longer one fails the call.</summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>How long one call may take, redirects included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Redirects followed for one call, each to an allowed host.</summary>
    public int MaxRedirects { get; set; } = 3;
}
