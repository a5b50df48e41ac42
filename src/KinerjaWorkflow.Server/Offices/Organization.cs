using System.Text.Json;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>An office's organization as validated from its organization.yaml.</summary>
public sealed class Organization
{
    private readonly Dictionary<string, OrganizationRole> _roles;

    internal Organization(
        string officeId,
        string name,
        string shortName,
        TimeZoneInfo timeZone,
        string timeZoneId,
        OfficeHours officeHours,
        IReadOnlyList<OfficeClosure> closures,
        double reminderAt,
        WaktuDuration escalationInterval,
        string? headEscalationTo,
        IReadOnlyList<OrganizationRole> roles,
        IReadOnlyList<OrganizationUser> users,
        IReadOnlyList<OrganizationWebhook> webhooks,
        IReadOnlyDictionary<string, JsonElement> variables,
        string yaml,
        IReadOnlyList<string> warnings)
    {
        OfficeId = officeId;
        Name = name;
        ShortName = shortName;
        TimeZone = timeZone;
        TimeZoneId = timeZoneId;
        OfficeHours = officeHours;
        Closures = closures;
        ReminderAt = reminderAt;
        EscalationInterval = escalationInterval;
        HeadEscalationTo = headEscalationTo;
        Roles = roles;
        Users = users;
        Webhooks = webhooks;
        Variables = variables;
        Yaml = yaml;
        Warnings = warnings;
        _roles = roles.ToDictionary(r => r.Name, StringComparer.Ordinal);
        HeadRole = roles.Single(r => r.IsHead).Name;
    }

    /// <summary>The folder name under workflows/.</summary>
    public string OfficeId { get; }
    public string Name { get; }
    public string ShortName { get; }
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The IANA name as the file writes it, e.g. Asia/Jakarta.</summary>
    public string TimeZoneId { get; }
    public OfficeHours OfficeHours { get; }

    /// <summary>The office's own closures, on top of the national holidays and cuti bersama.</summary>
    public IReadOnlyList<OfficeClosure> Closures { get; }

    /// <summary>Share of a step's allowed working time at which its assignees are reminded (reminderAt).</summary>
    public double ReminderAt { get; }

    /// <summary>The time between one escalation level and the next, counted like a Waktu (escalationInterval).</summary>
    public WaktuDuration EscalationInterval { get; }

    /// <summary>The role told when the head of office's own step is overdue (headEscalationTo), or null for the office's admins.</summary>
    public string? HeadEscalationTo { get; }
    public IReadOnlyList<OrganizationRole> Roles { get; }
    public string HeadRole { get; }
    public IReadOnlyList<OrganizationUser> Users { get; }

    /// <summary>Where the office's notifications are also posted as signed JSON.</summary>
    public IReadOnlyList<OrganizationWebhook> Webhooks { get; }

    /// <summary>Defaults merged into every new instance's variables.</summary>
    public IReadOnlyDictionary<string, JsonElement> Variables { get; }

    /// <summary>The file's text, stored whole with the office.</summary>
    public string Yaml { get; }

    /// <summary>Things that load but are probably wrong, such as a role no user holds.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool HasRole(string role) => _roles.ContainsKey(role);

    /// <summary>The role that supervises <paramref name="role"/>, or null for the head of office.</summary>
    public string? SupervisorOf(string role) => FindRole(role).Supervisor;

    /// <summary>
    /// Who an overdue step of <paramref name="role"/> escalates to, level by level: its supervisor, that role's
    /// supervisor, and so on up to the head of office. Empty for the head itself.
    /// </summary>
    public IReadOnlyList<string> SupervisorChain(string role)
    {
        var chain = new List<string>();
        for (var current = FindRole(role).Supervisor; current is not null; current = _roles[current].Supervisor)
        {
            chain.Add(current);
        }

        return chain;
    }

    /// <summary>
    /// Who each escalation level of an overdue step of <paramref name="role"/> goes to: its <see cref="SupervisorChain"/>,
    /// or for the head's own step <see cref="HeadEscalationTo"/> (null: the office's admins). Never empty.
    /// </summary>
    public IReadOnlyList<string?> EscalationChain(string role)
    {
        IReadOnlyList<string?> chain = SupervisorChain(role);
        return chain.Count > 0 ? chain : new[] { HeadEscalationTo };
    }

    private OrganizationRole FindRole(string role) =>
        _roles.TryGetValue(role, out var found)
            ? found
            : throw new KeyNotFoundException($"'{role}' is not a role of office {OfficeId}.");
}

/// <summary>A role (Pelaksana) of an office; every role but the head has a supervisor.</summary>
public sealed record OrganizationRole(string Name, string? Supervisor, bool IsHead);

/// <summary>A demo user. Usernames are lower case and unique across offices.</summary>
public sealed record OrganizationUser(string UserName, string Name, IReadOnlyList<string> Roles, bool IsAdmin, string? Email);

/// <summary>
/// A URL that receives the office's notifications as JSON signed with <paramref name="Secret"/> (HMAC-SHA256).
/// <paramref name="Events"/> names the notification kinds it wants; null means all of them.
/// </summary>
public sealed record OrganizationWebhook(Uri Url, string Secret, IReadOnlySet<string>? Events)
{
    public bool Wants(string kind) => Events is null || Events.Contains(kind);
}

public sealed record OfficeClosure(DateOnly Date, string Name);
