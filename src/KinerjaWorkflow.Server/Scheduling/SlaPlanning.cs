using System.Collections.Concurrent;
using System.Globalization;
using System.Xml;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>When a step reminds and how often it escalates further up: per office, overridable per definition.</summary>
/// <param name="ReminderAt">The share of the allowed working time after which the assignees are reminded.</param>
/// <param name="EscalationInterval">The business time between one escalation level and the next.</param>
internal sealed record SlaSettings(double ReminderAt, WaktuDuration EscalationInterval);

/// <summary>
/// Reads a definition's SLA settings: the process attributes <c>sop:reminderAt</c> (a share, "0.5", "0,5" or
/// "50%") and <c>sop:escalationInterval</c> (a Waktu, "2 jam") when the process sets them, the office's
/// <c>reminderAt</c> and <c>escalationInterval</c> otherwise: one name per setting in organization.yaml and BPMN.
/// A value that does not read is logged and the office's setting used, so a typo never drops a reminder.
/// Definitions deployed before the names were one still say <c>sop:pengingat</c> and <c>sop:eskalasiUlang</c>
/// (docs/bpmn-extensions.md, deprecated): those are read too, the new name winning when a process has both.
/// </summary>
internal sealed class SlaSettingsReader(ILogger<SlaSettingsReader> logger)
{
    public const string SopNamespace = "https://kinerjaworkflow.id/schema/sop/1.0";
    private const string BpmnNamespace = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    /// <summary>By definition key and version, which name one deployed definition.</summary>
    private readonly ConcurrentDictionary<(string Key, int Version), (string? ReminderAt, string? EscalationInterval)> _definitions = new();

    public SlaSettings For(DefinitionRecord definition, Organization organization) =>
        Settings(_definitions.GetOrAdd((definition.Key, definition.Version), _ => ReadProcessAttributes(definition.Xml, definition.Key)), definition.Key, definition.Version, organization);

    /// <summary>The settings of a deployed definition; its XML is read from the database only the first time.</summary>
    public async ValueTask<SlaSettings> ForAsync(string definitionKey, int version, Organization organization, KinerjaDbContext db, CancellationToken ct)
    {
        if (!_definitions.TryGetValue((definitionKey, version), out var attributes))
        {
            var xml = await db.Definitions.AsNoTracking().Where(d => d.Key == definitionKey && d.Version == version).Select(d => d.Xml).FirstAsync(ct);
            attributes = _definitions.GetOrAdd((definitionKey, version), _ => ReadProcessAttributes(xml, definitionKey));
        }

        return Settings(attributes, definitionKey, version, organization);
    }

    private SlaSettings Settings((string? ReminderAt, string? EscalationInterval) attributes, string key, int version, Organization organization)
    {
        var (reminderText, intervalText) = attributes;
        var reminderAt = organization.ReminderAt;
        if (reminderText is not null)
        {
            if (TryParseShare(reminderText, out var share))
            {
                reminderAt = share;
            }
            else
            {
                logger.LogWarning(
                    "Definition {DefinitionKey} version {Version}: sop:reminderAt \"{Value}\" is not a share between 0 and 1; using the office's {ReminderAt}",
                    key,
                    version,
                    reminderText,
                    reminderAt);
            }
        }

        var interval = organization.EscalationInterval;
        if (intervalText is not null)
        {
            interval = ParseInterval(intervalText, $"definition {key} version {version} sop:escalationInterval") ?? interval;
        }

        return new SlaSettings(reminderAt, interval);
    }

    internal static bool TryParseShare(string text, out double share)
    {
        var trimmed = text.Trim();
        var percent = trimmed.EndsWith('%');
        var number = (percent ? trimmed[..^1] : trimmed).Trim().Replace(',', '.');
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out share))
        {
            share = percent ? share / 100 : share;
            return share is > 0 and < 1;
        }

        return false;
    }

    private WaktuDuration? ParseInterval(string text, string setting)
    {
        if (WaktuParser.TryParse(text, null, out var waktu, out var error) && waktu!.Deadline.Amount > 0)
        {
            return waktu.Deadline;
        }

        logger.LogWarning("{Setting} \"{Value}\" is not a Waktu longer than zero ({Error}); escalations repeat at the office's escalationInterval instead", setting, text, error ?? "nol");
        return null;
    }

    private static (string? ReminderAt, string? EscalationInterval) ReadProcessAttributes(string xml, string key)
    {
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element
                && reader.LocalName == "process"
                && reader.NamespaceURI == BpmnNamespace
                && reader.GetAttribute("id") == key)
            {
                return (
                    reader.GetAttribute("reminderAt", SopNamespace) ?? reader.GetAttribute("pengingat", SopNamespace),
                    reader.GetAttribute("escalationInterval", SopNamespace) ?? reader.GetAttribute("eskalasiUlang", SopNamespace));
            }
        }

        return (null, null);
    }
}

/// <summary>One planned SLA step before it is stored.</summary>
internal sealed record PlannedSlaStep(string Kind, int Level, string? Role, DateTimeOffset DueAt);

/// <summary>
/// The SLA plan of a step with a deadline, by the engine's <see cref="SlaSchedule"/> (docs/business-time.md): a
/// reminder once <see cref="SlaSettings.ReminderAt"/> of the allowed working time has passed, escalation level 1 at
/// the deadline to the supervisor of the step's role, each next level one <see cref="SlaSettings.EscalationInterval"/>
/// later one step further up the chain. The head of office's own step escalates to the office's headEscalationTo
/// role, or with no role (the office's admins) when it names none.
/// </summary>
internal static class SlaPlanner
{
    /// <summary>The plan of a stored task for the deadline <paramref name="dueAt"/>, in the office as given.</summary>
    public static IReadOnlyList<PlannedSlaStep> PlanFor(TaskRecord task, DateTimeOffset dueAt, OfficeProfile office, SlaSettings settings) =>
        Plan(TaskRoles.Decode(task.Roles), task.CreatedAt, dueAt, office.Calendar, office.Organization, settings);

    public static IReadOnlyList<PlannedSlaStep> Plan(
        IReadOnlyList<string> roles,
        DateTimeOffset createdAt,
        DateTimeOffset dueAt,
        BusinessCalendar calendar,
        Organization organization,
        SlaSettings settings)
    {
        var role = roles.FirstOrDefault(organization.HasRole);
        var chain = role is null ? [] : organization.EscalationChain(role);
        return SlaSchedule.Plan(createdAt, dueAt, calendar, new SlaPolicy(settings.ReminderAt, settings.EscalationInterval), chain)
            .Select(step => new PlannedSlaStep(
                step.Kind == SlaStepKind.Reminder ? ScheduledKinds.Reminder : ScheduledKinds.Escalation,
                step.Level,
                step.Recipient,
                step.At))
            .ToList();
    }
}
