using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Supervision;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Dashboard;

/// <summary>
/// The supervisor dashboard's figures, from the tasks table: per SOP and per step, how many tasks of a period were
/// done within their Mutu Baku, how long they took against the time allowed (both in office working time), what is
/// overdue now and which escalations nobody has taken on yet.
/// </summary>
public sealed class DashboardService(
    KinerjaDbContext db, OfficeDirectory offices, PeopleNames people, DefinitionCatalog catalog, TimeProvider clock)
{
    /// <summary>A dashboard covers at most a year; longer periods are a report, not a screen.</summary>
    public const int MaxPeriodDays = 366;

    private const int MaxOverdueListed = 100;

    public async Task<DashboardView> GetAsync(CurrentUser user, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var office = await offices.GetAsync(user.OfficeId, ct);
        if (!user.IsAdmin && !office.IsSupervisor(user))
        {
            throw new ForbiddenError("Dasbor hanya untuk atasan (peran yang membawahi peran lain) dan admin.");
        }

        var calendar = office.Calendar;
        var now = clock.GetUtcNow();
        var (periodFrom, periodTo) = Period(calendar.ToLocal(now), from, to);
        var start = calendar.AtLocal(periodFrom, TimeOnly.MinValue);
        var end = calendar.AtLocal(periodTo.AddDays(1), TimeOnly.MinValue);

        var inPeriod = await db.Tasks.AsNoTracking()
            .Where(t => t.OfficeId == user.OfficeId && t.CreatedAt >= start && t.CreatedAt < end && t.Status != TaskStatusText.Cancelled)
            .Select(t => new TaskFacts(t.Id, t.InstanceId, t.DefinitionKey, t.DefinitionVersion, t.BusinessKey, t.StepId, t.StepName, t.StepNumber, t.Roles, t.Assignee, t.Status, t.CreatedAt, t.DueAt, t.CompletedAt))
            .ToListAsync(ct);
        var overdue = await db.Tasks.AsNoTracking()
            .Where(t => t.OfficeId == user.OfficeId
                && (t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed)
                && t.DueAt != null && t.DueAt < now)
            .Select(t => new TaskFacts(t.Id, t.InstanceId, t.DefinitionKey, t.DefinitionVersion, t.BusinessKey, t.StepId, t.StepName, t.StepNumber, t.Roles, t.Assignee, t.Status, t.CreatedAt, t.DueAt, t.CompletedAt))
            .ToListAsync(ct);
        var escalated = await OpenEscalationsAsync(user.OfficeId, ct);
        var definitions = await LatestDefinitionsAsync(user.OfficeId, ct);

        var keys = inPeriod.Select(t => t.DefinitionKey)
            .Concat(overdue.Select(t => t.DefinitionKey))
            .Concat(escalated.Select(t => t.DefinitionKey))
            .Concat(definitions.Keys)
            .Distinct(StringComparer.Ordinal);
        var sops = keys
            .Select(key => SopRow(key, definitions, inPeriod, overdue, escalated, calendar))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var steps = sops
            .SelectMany(sop => StepRows(sop, definitions, inPeriod, overdue, escalated, calendar))
            .ToList();
        var listed = overdue.OrderBy(t => t.DueAt).Take(MaxOverdueListed).ToList();
        var names = await people.OfAsync(user.OfficeId, listed.Select(t => t.Assignee), ct);
        var overdueList = listed
            .Select(t => new OverdueTaskView(
                t.Id,
                t.InstanceId,
                t.DefinitionKey,
                NameOf(t.DefinitionKey, definitions),
                t.BusinessKey,
                t.StepNumber,
                t.StepName,
                TaskRoles.Decode(t.Roles),
                t.Assignee,
                names.NameOf(t.Assignee),
                calendar.ToLocal(t.DueAt!.Value),
                Minutes(calendar.WorkingTimeBetween(t.DueAt!.Value, now)),
                escalated.Any(e => e.TaskId == t.Id))
            {
                DueProvisional = calendar.IsProvisional(t.CreatedAt, t.DueAt!.Value),
            })
            .ToList();

        var all = Measure(inPeriod, averagesIn: null);
        var totals = new DashboardTotals(all.Tasks, all.Completed, all.CompletedOnTime, all.OnTimeRate, overdue.Count, escalated.Count);
        var today = DateOnly.FromDateTime(calendar.ToLocal(now).DateTime);
        return new DashboardView(periodFrom, periodTo, calendar.ToLocal(now), office.Organization.TimeZoneId, totals, sops, steps, overdueList)
        {
            MissingCalendarYears = calendar.MissingYears(today, today.AddMonths(12)),
        };
    }

    private static (DateOnly From, DateOnly To) Period(DateTimeOffset localNow, DateOnly? from, DateOnly? to)
    {
        if (from is null && to is null)
        {
            var quarterStart = new DateOnly(localNow.Year, ((localNow.Month - 1) / 3 * 3) + 1, 1);
            return (quarterStart, quarterStart.AddMonths(3).AddDays(-1));
        }

        if (from is null || to is null)
        {
            throw new RuleViolation("Isi from dan to bersama-sama (tanggal seperti 2025-10-01), atau kosongkan keduanya untuk triwulan berjalan.");
        }

        if (to < from)
        {
            throw new RuleViolation("Tanggal akhir periode (to) tidak boleh sebelum tanggal awal (from).");
        }

        if (to.Value.DayNumber - from.Value.DayNumber + 1 > MaxPeriodDays)
        {
            throw new RuleViolation($"Periode dasbor paling panjang {MaxPeriodDays} hari.");
        }

        return (from.Value, to.Value);
    }

    /// <summary>
    /// Tasks still active whose escalation nobody has taken on: an escalation notification (kind "escalation") newer
    /// than the last acknowledgement of any escalation of the task. Counted once per task, however many levels and
    /// recipients it went to; a level sent after an acknowledgement opens it again.
    /// </summary>
    private async Task<List<EscalatedTask>> OpenEscalationsAsync(string officeId, CancellationToken ct)
    {
        var escalations = await db.Set<NotificationRecord>().AsNoTracking()
            .Where(n => n.OfficeId == officeId && n.Kind == NotificationKinds.Escalation && n.TaskId != null)
            .Join(
                db.Tasks.Where(t => t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed),
                n => n.TaskId,
                t => t.Id,
                (n, t) => new { TaskId = t.Id, t.DefinitionKey, t.DefinitionVersion, t.StepId, n.CreatedAt })
            .ToListAsync(ct);
        if (escalations.Count == 0)
        {
            return [];
        }

        var taskIds = escalations.Select(e => e.TaskId).Distinct().ToList();
        var acknowledgements = await db.Set<EscalationAcknowledgementRecord>().AsNoTracking()
            .Where(a => a.OfficeId == officeId && a.TaskId != null && taskIds.Contains(a.TaskId.Value))
            .Select(a => new { TaskId = a.TaskId!.Value, a.AcknowledgedAt })
            .ToListAsync(ct);
        var lastAcknowledged = acknowledgements
            .GroupBy(a => a.TaskId)
            .ToDictionary(g => g.Key, g => g.Max(a => a.AcknowledgedAt));
        return escalations
            .GroupBy(e => e.TaskId)
            .Where(g => !lastAcknowledged.TryGetValue(g.Key, out var acknowledged) || g.Max(e => e.CreatedAt) > acknowledged)
            .Select(g => new EscalatedTask(g.Key, g.First().DefinitionKey, g.First().DefinitionVersion, g.First().StepId))
            .ToList();
    }

    private async Task<Dictionary<string, LatestDefinition>> LatestDefinitionsAsync(string officeId, CancellationToken ct)
    {
        var records = await db.Definitions.AsNoTracking().Where(d => d.OfficeId == officeId).ToListAsync(ct);
        return records
            .GroupBy(d => d.Key, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g =>
                {
                    var latest = g.MaxBy(d => d.Version)!;
                    return new LatestDefinition(latest.Name, latest.Version, g.ToDictionary(d => d.Version, catalog.ModelOf));
                },
                StringComparer.Ordinal);
    }

    private static SopStats SopRow(
        string key,
        Dictionary<string, LatestDefinition> definitions,
        List<TaskFacts> inPeriod,
        List<TaskFacts> overdue,
        List<EscalatedTask> escalated,
        BusinessCalendar calendar)
    {
        var m = Measure(inPeriod.Where(t => t.DefinitionKey == key).ToList(), calendar);
        return new SopStats(
            key,
            NameOf(key, definitions),
            m.Tasks,
            m.Completed,
            m.CompletedOnTime,
            m.OnTimeRate,
            m.AverageMinutes,
            m.WaktuMinutes,
            overdue.Count(t => t.DefinitionKey == key),
            escalated.Count(e => e.DefinitionKey == key));
    }

    /// <summary>
    /// One row per step and Waktu: each task is counted under the Waktu of the version its instance ran, so a step
    /// whose Waktu changed between versions has a row for each Waktu, named by the versions that had it. The
    /// latest version's steps always have a row, with or without tasks.
    /// </summary>
    private static IEnumerable<StepStats> StepRows(
        SopStats sop,
        Dictionary<string, LatestDefinition> definitions,
        List<TaskFacts> inPeriod,
        List<TaskFacts> overdue,
        List<EscalatedTask> escalated,
        BusinessCalendar calendar)
    {
        definitions.TryGetValue(sop.Key, out var definition);
        string? WaktuOf(int version, string stepId) => definition?.WaktuOf(version, stepId);
        var latestSteps = definition is null
            ? []
            : definition.Model.HumanTasks.Select(t => (t.Id, Number: t.Step?.Number, Name: t.DisplayName, Waktu: t.Step?.Waktu)).ToList();
        var tasks = inPeriod.Concat(overdue).Where(t => t.DefinitionKey == sop.Key).ToList();
        var rows = latestSteps
            .Select(s => (s.Id, s.Number, s.Name, s.Waktu, Latest: true))
            .Concat(tasks
                .GroupBy(t => (t.StepId, Waktu: WaktuOf(t.DefinitionVersion, t.StepId)))
                .Where(g => latestSteps.All(s => s.Id != g.Key.StepId || s.Waktu != g.Key.Waktu))
                .Select(g => (Id: g.Key.StepId, Number: g.First().StepNumber, Name: g.First().StepName, g.Key.Waktu, Latest: false)));
        return rows
            .OrderBy(s => s.Number ?? int.MaxValue)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .ThenByDescending(s => s.Latest)
            .Select(step =>
            {
                bool InRow(string stepId, int version) => stepId == step.Id && WaktuOf(version, stepId) == step.Waktu;
                var rowTasks = inPeriod.Where(t => t.DefinitionKey == sop.Key && InRow(t.StepId, t.DefinitionVersion)).ToList();
                var m = Measure(rowTasks, calendar);
                var versions = rowTasks.Concat(overdue.Where(t => t.DefinitionKey == sop.Key && InRow(t.StepId, t.DefinitionVersion)))
                    .Select(t => t.DefinitionVersion)
                    .Concat(step.Latest && definition is not null ? [definition.Version] : [])
                    .Distinct()
                    .Order()
                    .ToList();
                return new StepStats(
                    sop.Key,
                    sop.Name,
                    step.Id,
                    step.Number,
                    step.Name,
                    step.Waktu,
                    versions,
                    m.Tasks,
                    m.Completed,
                    m.CompletedOnTime,
                    m.OnTimeRate,
                    m.AverageMinutes,
                    m.WaktuMinutes,
                    overdue.Count(t => t.DefinitionKey == sop.Key && InRow(t.StepId, t.DefinitionVersion)),
                    escalated.Count(e => e.DefinitionKey == sop.Key && InRow(e.StepId, e.DefinitionVersion)));
            });
    }

    /// <summary>
    /// The measures the totals, each SOP row and each step row share. Only tasks completed with a deadline are
    /// measured for timeliness and working time; a task without Waktu counts as created and completed only.
    /// The working-time averages, the costly part, are worked out only when <paramref name="averagesIn"/> is given.
    /// </summary>
    private static Measures Measure(List<TaskFacts> tasks, BusinessCalendar? averagesIn)
    {
        var measured = tasks.Where(t => t.CompletedAt is not null && t.DueAt is not null).ToList();
        var onTime = measured.Count(OnTime);
        return new Measures(
            tasks.Count,
            tasks.Count(t => t.CompletedAt is not null),
            onTime,
            Rate(onTime, measured.Count),
            averagesIn is null ? null : AverageMinutes(measured, t => averagesIn.WorkingTimeBetween(t.CreatedAt, t.CompletedAt!.Value)),
            averagesIn is null ? null : AverageMinutes(measured, t => averagesIn.WorkingTimeBetween(t.CreatedAt, t.DueAt!.Value)));
    }

    private static bool OnTime(TaskFacts t) => t.CompletedAt <= t.DueAt;

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    private static double? AverageMinutes(List<TaskFacts> tasks, Func<TaskFacts, TimeSpan> duration) =>
        tasks.Count == 0 ? null : Math.Round(tasks.Average(t => duration(t).TotalMinutes), 1);

    private static double Minutes(TimeSpan span) => Math.Round(span.TotalMinutes, 1);

    private static string NameOf(string key, Dictionary<string, LatestDefinition> definitions) =>
        definitions.TryGetValue(key, out var d) ? d.Name : key;

    private sealed record TaskFacts(
        Guid Id,
        Guid InstanceId,
        string DefinitionKey,
        int DefinitionVersion,
        string? BusinessKey,
        string StepId,
        string StepName,
        int? StepNumber,
        string Roles,
        string? Assignee,
        string Status,
        DateTimeOffset CreatedAt,
        DateTimeOffset? DueAt,
        DateTimeOffset? CompletedAt);

    private sealed record EscalatedTask(Guid TaskId, string DefinitionKey, int DefinitionVersion, string StepId);

    private readonly record struct Measures(
        int Tasks, int Completed, int CompletedOnTime, double? OnTimeRate, double? AverageMinutes, double? WaktuMinutes);

    /// <summary>The SOP's name and latest version, with the model of every version its tasks may have run.</summary>
    private sealed record LatestDefinition(string Name, int Version, IReadOnlyDictionary<int, Engine.Model.ProcessModel> Models)
    {
        public Engine.Model.ProcessModel Model => Models[Version];

        /// <summary>The step's Waktu in the version a task ran; null when that version has no such step or no Waktu.</summary>
        public string? WaktuOf(int version, string stepId) =>
            Models.TryGetValue(version, out var model) && model.Nodes.TryGetValue(stepId, out var node) && node is Engine.Model.HumanTask task
                ? task.Step?.Waktu
                : null;
    }
}

/// <param name="From">First day of the period, in the office's time zone.</param>
/// <param name="To">Last day of the period (inclusive).</param>
public sealed record DashboardView(
    DateOnly From,
    DateOnly To,
    DateTimeOffset Now,
    string TimeZone,
    DashboardTotals Totals,
    IReadOnlyList<SopStats> Sops,
    IReadOnlyList<StepStats> Steps,
    IReadOnlyList<OverdueTaskView> OverdueTasks)
{
    /// <summary>Years from today to twelve months ahead whose holidays are not in the calendar: deadlines counted across them are provisional.</summary>
    public IReadOnlyList<int> MissingCalendarYears { get; init; } = [];
}

/// <param name="Tasks">Tasks created in the period.</param>
/// <param name="OnTimeRate">Share of the completed tasks with a deadline done by it; null when none were.</param>
/// <param name="OverdueNow">Open tasks past their deadline now, whenever they were created.</param>
public sealed record DashboardTotals(int Tasks, int Completed, int CompletedOnTime, double? OnTimeRate, int OverdueNow, int EscalationsOpen);

/// <param name="AverageMinutes">Average working time taken by the completed tasks, in minutes of office time.</param>
/// <param name="WaktuMinutes">Average working time their Waktu (Mutu Baku) allowed, in minutes of office time.</param>
public sealed record SopStats(
    string Key,
    string Name,
    int Tasks,
    int Completed,
    int CompletedOnTime,
    double? OnTimeRate,
    double? AverageMinutes,
    double? WaktuMinutes,
    int OverdueNow,
    int EscalationsOpen);

/// <param name="Waktu">The step's Waktu in the versions of <paramref name="Versions"/>: the tasks of this row are judged by it.</param>
/// <param name="Versions">The SOP versions whose tasks this row counts, and the latest version for its own steps.</param>
public sealed record StepStats(
    string DefinitionKey,
    string DefinitionName,
    string StepId,
    int? StepNumber,
    string StepName,
    string? Waktu,
    IReadOnlyList<int> Versions,
    int Tasks,
    int Completed,
    int CompletedOnTime,
    double? OnTimeRate,
    double? AverageMinutes,
    double? WaktuMinutes,
    int OverdueNow,
    int EscalationsOpen);

/// <param name="LateByMinutes">Office working time since the deadline.</param>
public sealed record OverdueTaskView(
    Guid TaskId,
    Guid InstanceId,
    string DefinitionKey,
    string DefinitionName,
    string? BusinessKey,
    int? StepNumber,
    string StepName,
    IReadOnlyList<string> Roles,
    string? Assignee,
    string? AssigneeName,
    DateTimeOffset DueAt,
    double LateByMinutes,
    bool Escalated)
{
    /// <summary>The deadline was counted across a year whose holidays are not in the calendar yet (docs/business-time.md).</summary>
    public bool DueProvisional { get; init; }
}
