using System.Collections.Immutable;
using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// When the calendars change, moves the open deadlines that were provisional (counted across a year the calendar did
/// not cover) to the new calendar: the task's deadline in the inbox and in the instance's state, and its pending
/// reminder and escalation rows, in the change's transaction, with a line on each instance's audit trail. A deadline
/// that was final stays as it was told to the people working on it (docs/business-time.md, "When the calendar
/// changes").
/// </summary>
internal sealed class ProvisionalDeadlines(
    KinerjaDbContext db,
    DefinitionCatalog catalog,
    SlaSettingsReader settings,
    AuditTrail auditTrail,
    TimeProvider clock,
    ILogger<ProvisionalDeadlines> logger) : ICalendarChangeFollower
{
    public const string AuditAction = "deadline-recomputed";

    public async Task<int> CalendarChangedAsync(HolidayDays before, HolidayDays after, string? officeId, CurrentUser admin, CancellationToken ct)
    {
        var open = await db.Tasks
            .Where(t => (t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed) && t.DueAt != null)
            .Where(t => officeId == null || t.OfficeId == officeId)
            .ToListAsync(ct);
        if (open.Count == 0)
        {
            return 0;
        }

        var officeIds = open.Select(t => t.OfficeId).Distinct().ToList();
        var offices = await db.Offices.AsNoTracking().Where(o => officeIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, StringComparer.Ordinal, ct);
        var profiles = offices.ToDictionary(
            o => o.Key,
            o => (Before: OfficeDirectory.Build(o.Value, before), After: OfficeDirectory.Build(o.Value, after)),
            StringComparer.Ordinal);
        var provisional = open.Where(t => profiles[t.OfficeId].Before.Calendar.IsProvisional(t.CreatedAt, t.DueAt!.Value)).ToList();
        var moved = 0;
        foreach (var tasks in provisional.GroupBy(t => t.InstanceId))
        {
            moved += await MoveAsync(tasks.Key, tasks.ToList(), profiles[tasks.First().OfficeId].After, admin, ct);
        }

        if (moved > 0)
        {
            logger.LogInformation("{Admin}'s calendar change moved {Count} provisional deadline(s)", admin.UserName, moved);
        }

        return moved;
    }

    private async Task<int> MoveAsync(Guid instanceId, IReadOnlyList<TaskRecord> tasks, OfficeProfile office, CurrentUser admin, CancellationToken ct)
    {
        var instance = await db.Instances.FirstAsync(i => i.Id == instanceId, ct);
        var definition = await db.Definitions.FirstAsync(d => d.Id == instance.DefinitionId, ct);
        var model = catalog.ModelOf(definition);
        var state = JsonSerializer.Deserialize<InstanceState>(instance.StateJson, InstanceCommandRunner.StateJson)
            ?? throw new InvalidOperationException($"Instance {instance.Id} has no state.");
        var sla = settings.For(definition, office.Organization);
        var now = clock.GetUtcNow();
        var moved = 0;
        foreach (var task in tasks)
        {
            if (model.Node(task.StepId) is not HumanTask node)
            {
                continue;
            }

            var deadline = office.DeadlinesFor(model).ForStep(node, task.CreatedAt);
            if (deadline.DueAt is not { } dueAt || (dueAt == task.DueAt && deadline.ExpectedAt == task.ExpectedAt))
            {
                continue;
            }

            var was = task.DueAt!.Value;
            task.DueAt = dueAt;
            task.ExpectedAt = deadline.ExpectedAt;
            state = state with
            {
                Tasks = state.Tasks.Select(t => t.Id == task.Id ? t with { DueAt = dueAt, ExpectedAt = deadline.ExpectedAt } : t).ToImmutableList(),
            };
            await ReplanAsync(task, instance, dueAt, office, sla, now, ct);
            var detail = $"Kalender libur diubah: batas waktu {Local(office, was)} menjadi {Local(office, dueAt)}.";
            await auditTrail.AddAsync(
                instance,
                new Audited(AuditAction, task.StepId, [], detail, AuditActor.Person(admin.UserName)) { TaskId = task.Id },
                now,
                ct);
            logger.LogInformation("Deadline of task {TaskId} on instance {InstanceId} moved from {Was} to {DueAt}", task.Id, instance.Id, was, dueAt);
            moved++;
        }

        if (moved > 0)
        {
            instance.StateJson = JsonSerializer.Serialize(state, InstanceCommandRunner.StateJson);
            instance.Version++;
        }

        return moved;
    }

    /// <summary>
    /// Plans the task's reminder and escalations for the new deadline: a pending row takes its new instant, a level
    /// the new plan no longer has is cancelled, a new level gets a row; a row already handed to Hangfire or done stays.
    /// </summary>
    private async Task ReplanAsync(TaskRecord task, InstanceRecord instance, DateTimeOffset dueAt, OfficeProfile office, SlaSettings sla, DateTimeOffset now, CancellationToken ct)
    {
        var plan = SlaPlanner.Plan(TaskRoles.Decode(task.Roles), task.CreatedAt, dueAt, office.Calendar, office.Organization, sla);
        var rows = await db.ScheduledItems
            .Where(i => i.TaskId == task.Id && (i.Kind == ScheduledKinds.Reminder || i.Kind == ScheduledKinds.Escalation))
            .ToDictionaryAsync(i => i.Key, StringComparer.Ordinal, ct);
        var planned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in plan)
        {
            var key = ScheduledKinds.SlaKey(step.Kind, task.Id, step.Level);
            planned.Add(key);
            if (!rows.TryGetValue(key, out var row))
            {
                row = ScheduledItemRecord.Pending(step.Kind, key, step.DueAt, now);
                row.TaskId = task.Id;
                row.InstanceId = instance.Id;
                row.OfficeId = instance.OfficeId;
                row.Level = step.Level;
                row.Role = step.Role;
                db.ScheduledItems.Add(row);
            }
            else if (row.Status == ScheduledStatus.Pending)
            {
                row.DueAt = step.DueAt;
                row.Role = step.Role;
            }
        }

        foreach (var row in rows.Values.Where(r => r.Status == ScheduledStatus.Pending && !planned.Contains(r.Key)))
        {
            row.Finish(ScheduledStatus.Cancelled, now, "the deadline moved with the calendar; this level is no longer planned");
        }
    }

    private static string Local(OfficeProfile office, DateTimeOffset instant) =>
        SlaMessages.Instant(instant, office.Calendar, office.Organization.TimeZoneId);
}
