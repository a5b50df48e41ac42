using System.Collections.Immutable;
using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Engine.Time;
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
    KnownStates states,
    TimeProvider clock,
    ILogger<ProvisionalDeadlines> logger) : ICalendarChangeFollower
{
    public const string AuditAction = "deadline-recomputed";

    public async Task<int> CalendarChangedAsync(HolidayDays before, HolidayDays after, string? officeId, CurrentUser admin, CancellationToken ct)
    {
        var boundary = TimerPurpose.Boundary.ToString();
        var open = await db.Tasks
            .Where(t => t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed)
            .Where(t => t.DueAt != null || db.Timers.Any(r => r.InstanceId == t.InstanceId && r.Status == TimerStatusText.Pending && r.Purpose == boundary))
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
        var moved = 0;
        foreach (var tasks in open.GroupBy(t => t.InstanceId))
        {
            var (was, next) = profiles[tasks.First().OfficeId];
            moved += await MoveAsync(tasks.Key, tasks.ToList(), was.Calendar, next, admin, ct);
        }

        if (moved > 0)
        {
            logger.LogInformation("{Admin}'s calendar change moved {Count} provisional deadline(s)", admin.UserName, moved);
        }

        return moved;
    }

    /// <summary>
    /// Moves the provisional deadlines of the instance's open tasks, and the provisional boundary timers on them: a
    /// boundary timer on a task's own activity started when the task was given, so it is counted again from there.
    /// </summary>
    private async Task<int> MoveAsync(
        Guid instanceId,
        IReadOnlyList<TaskRecord> tasks,
        BusinessCalendar before,
        OfficeProfile office,
        CurrentUser admin,
        CancellationToken ct)
    {
        var instance = await db.Instances.FirstAsync(i => i.Id == instanceId, ct);
        var definition = await db.Definitions.FirstAsync(d => d.Id == instance.DefinitionId, ct);
        var model = catalog.ModelOf(definition);
        var state = states.Of(instance);
        var sla = settings.For(definition, office.Organization);
        var now = clock.GetUtcNow();
        var moved = 0;
        foreach (var task in tasks)
        {
            if (model.Node(task.StepId) is not HumanTask node)
            {
                continue;
            }

            (state, var timers) = await MoveTimersAsync(instance, model, state, task, before, office, admin, now, ct);
            moved += timers;
            if (task.DueAt is not { } given || !before.IsProvisional(task.CreatedAt, given))
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
            await ReplanAsync(task, dueAt, office, sla, now, ct);
            var detail = $"Kalender libur diubah: batas waktu {Local(office, was)} menjadi {Local(office, dueAt)}.";
            db.AuditEntries.Add(await auditTrail.LineAsync(
                instance,
                new Audited(AuditAction, task.StepId, [], detail, AuditActor.Person(admin.UserName)) { TaskId = task.Id },
                now,
                ct));
            logger.LogInformation("Deadline of task {TaskId} on instance {InstanceId} moved from {Was} to {DueAt}", task.Id, instance.Id, was, dueAt);
            moved++;
        }

        if (moved > 0)
        {
            instance.StateJson = states.Write(instance.Id, state);
            instance.Version++;
        }

        return moved;
    }

    private async Task<(InstanceState State, int Moved)> MoveTimersAsync(
        InstanceRecord instance,
        ProcessModel model,
        InstanceState state,
        TaskRecord task,
        BusinessCalendar before,
        OfficeProfile office,
        CurrentUser admin,
        DateTimeOffset now,
        CancellationToken ct)
    {
        var execution = state.Tasks.FirstOrDefault(t => t.Id == task.Id)?.ExecutionId;
        var moved = 0;
        for (var i = 0; i < state.Timers.Count; i++)
        {
            var timer = state.Timers[i];
            if (timer.Purpose != TimerPurpose.Boundary || timer.ExecutionId != execution
                || model.Node(timer.NodeId) is not BoundaryTimerEvent node || !before.IsProvisional(task.CreatedAt, timer.DueAt))
            {
                continue;
            }

            var dueAt = office.DeadlinesFor(model).TimerDue(node.Timer, task.CreatedAt);
            if (dueAt == timer.DueAt)
            {
                continue;
            }

            state = state with { Timers = state.Timers.SetItem(i, timer with { DueAt = dueAt }) };
            if (await db.Timers.FirstOrDefaultAsync(r => r.Id == timer.Id, ct) is { } record)
            {
                record.DueAt = dueAt;
            }

            var key = ScheduledKinds.ReferenceKey(ScheduledKinds.EngineTimer, timer.Id);
            if (await db.ScheduledItems.FirstOrDefaultAsync(r => r.Key == key && r.Status == ScheduledStatus.Pending, ct) is { } row)
            {
                row.DueAt = dueAt;
            }

            db.AuditEntries.Add(await auditTrail.LineAsync(
                instance,
                new Audited(AuditAction, timer.NodeId, [], $"Kalender libur diubah: timer {Local(office, timer.DueAt)} menjadi {Local(office, dueAt)}.", AuditActor.Person(admin.UserName)),
                now,
                ct));
            moved++;
        }

        return (state, moved);
    }

    /// <summary>
    /// Plans the task's reminder and escalations for the new deadline. The steps already in the schedule keep their
    /// rows: a pending one takes its new instant, one the new plan no longer has is cancelled, one handed to Hangfire or
    /// done stays. The task's next step, not scheduled yet, takes the new plan's instant (<see cref="SlaSteps"/>).
    /// </summary>
    private async Task ReplanAsync(TaskRecord task, DateTimeOffset dueAt, OfficeProfile office, SlaSettings sla, DateTimeOffset now, CancellationToken ct)
    {
        var plan = SlaPlanner.PlanFor(task, dueAt, office, sla);
        var scheduled = plan.Take(task.SlaStepsScheduled).ToDictionary(step => ScheduledKinds.SlaKey(step.Kind, task.Id, step.Level), StringComparer.Ordinal);
        var pending = await db.ScheduledItems
            .Where(i => i.TaskId == task.Id && i.Status == ScheduledStatus.Pending && (i.Kind == ScheduledKinds.Reminder || i.Kind == ScheduledKinds.Escalation))
            .ToListAsync(ct);
        foreach (var row in pending)
        {
            if (scheduled.TryGetValue(row.Key, out var step))
            {
                row.DueAt = step.DueAt;
                row.Role = step.Role;
            }
            else
            {
                row.Finish(ScheduledStatus.Cancelled, now, "the deadline moved with the calendar; this level is no longer planned");
            }
        }

        task.NextSlaStepAt = plan.ElementAtOrDefault(task.SlaStepsScheduled)?.DueAt;
    }

    private static string Local(OfficeProfile office, DateTimeOffset instant) =>
        SlaMessages.Instant(instant, office.Calendar, office.Organization.TimeZoneId);
}
