namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// workflows/&lt;office&gt;/organization.yaml exactly as written; <see cref="OrganizationLoader"/> validates it into
/// an <see cref="Organization"/>. Keys are camelCase; an unknown key is an error, so a typo never passes silently.
/// </summary>
public sealed class OrganizationFile
{
    public string? Name { get; set; }
    public string? ShortName { get; set; }
    public string? TimeZone { get; set; }

    /// <summary>Every day name (monday … sunday) to "07:30-16:00", or "tutup" for closed.</summary>
    public Dictionary<string, string?>? OfficeHours { get; set; }

    /// <summary>Every open day to its breaks ("12:00-13:00", several separated by commas) or "tidak ada".</summary>
    public Dictionary<string, string?>? Breaks { get; set; }
    public List<ClosureEntry>? Closures { get; set; }
    public double? ReminderAt { get; set; }

    /// <summary>A Waktu, e.g. "1 Hari Kerja".</summary>
    public string? EscalationInterval { get; set; }

    /// <summary>The role the head of office's overdue steps escalate to; the office's admins when omitted.</summary>
    public string? HeadEscalationTo { get; set; }
    public List<RoleEntry>? Roles { get; set; }

    /// <summary>Read separately from the YAML nodes, where a quoted "4" and a plain 4 can still be told apart.</summary>
    public object? Variables { get; set; }
    public List<WebhookEntry>? Webhooks { get; set; }
    public List<UserEntry>? Users { get; set; }

    public sealed class ClosureEntry
    {
        public string? Date { get; set; }
        public string? Name { get; set; }
    }

    public sealed class RoleEntry
    {
        public string? Name { get; set; }
        public bool Head { get; set; }
        public string? Supervisor { get; set; }
    }

    public sealed class WebhookEntry
    {
        public string? Url { get; set; }
        public string? Secret { get; set; }

        /// <summary>The notification kinds to send (message, reminder, escalation, task); all when omitted.</summary>
        public List<string>? Events { get; set; }
    }

    public sealed class UserEntry
    {
        public string? Username { get; set; }
        public string? Name { get; set; }
        public List<string>? Roles { get; set; }
        public bool Admin { get; set; }
        public string? Email { get; set; }
    }
}
