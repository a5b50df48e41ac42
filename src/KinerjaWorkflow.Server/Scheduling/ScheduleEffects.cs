using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Projects a command's engine effects onto the schedule, inside the command's transaction: a task created with a
/// deadline gets a row per planned reminder and escalation level (<see cref="SlaPlanner"/>), an engine timer or a
/// requested job gets its row; a completed or cancelled task, or a cancelled timer, has its open rows cancelled.
/// A reassigned task keeps its rows: the reminder's recipients are read when it fires. An admin's retry of a
/// scheduled item's incident puts the item back in the schedule, due now, with Hangfire's attempts afresh.
/// </summary>
internal sealed class ScheduleEffectsHook(
    KinerjaDbContext db,
    SlaStepFactory sla,
    IEnumerable<IScheduledItemRearm> owners,
    CommandStatements statements,
    TimeProvider clock,
    ILogger<ScheduleEffectsHook> logger) : IInstanceEffectsHook
{
    public async Task OnEffectsAsync(InstanceRecord instance, IReadOnlyList<RuntimeEffect> effects, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ended = new List<Guid>();
        var cancelledKeys = new List<string>();
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case TaskCreated { Task.DueAt: { } dueAt } created:
                    db.ScheduledItems.AddRange(await sla.CreateAsync(created.Task.Id, instance, created.Task.Roles, created.Task.CreatedAt, dueAt, ct));
                    break;
                case TaskCompleted completed:
                    ended.Add(completed.Task.Id);
                    break;
                case TaskCancelled cancelled:
                    ended.Add(cancelled.Task.Id);
                    break;
                case TimerScheduled scheduled:
                    db.ScheduledItems.Add(Referring(ScheduledKinds.EngineTimer, scheduled.Timer.Id, scheduled.Timer.DueAt, instance, now));
                    break;
                case TimerCancelled cancelledTimer:
                    cancelledKeys.Add(ScheduledKinds.ReferenceKey(ScheduledKinds.EngineTimer, cancelledTimer.Timer.Id));
                    break;
                case JobRequested requested:
                    db.ScheduledItems.Add(Referring(ScheduledKinds.ServiceTask, requested.Job.Id, now, instance, now));
                    break;
                case IncidentResolved { Incident.ScheduledItemId: { } itemId }:
                    await RearmAsync(itemId, now, ct);
                    break;
            }
        }

        if (ended.Count == 0 && cancelledKeys.Count == 0)
        {
            return;
        }

        // Rows this command added, or that the request holds, are finished in the context; the stored ones by one
        // update in the command's transaction, without loading them.
        foreach (var item in db.ScheduledItems.Local.Where(i => Ends(i, ended, cancelledKeys)).ToList())
        {
            item.Finish(ScheduledStatus.Cancelled, now, EndedFirst);
        }

        statements.Add(async token =>
        {
            var cancelled = await db.ScheduledItems
                .Where(i => ((i.TaskId != null && ended.Contains(i.TaskId.Value)) || cancelledKeys.Contains(i.Key))
                            && (i.Status == ScheduledStatus.Pending || i.Status == ScheduledStatus.Enqueued))
                .ExecuteUpdateAsync(
                    u => u.SetProperty(i => i.Status, ScheduledStatus.Cancelled)
                        .SetProperty(i => i.FinishedAt, now)
                        .SetProperty(i => i.LastError, EndedFirst),
                    token);
            if (cancelled > 0)
            {
                logger.LogInformation("Cancelled {Count} scheduled item(s) of ended tasks or timers on instance {InstanceId}", cancelled, instance.Id);
            }
        });
    }

    private const string EndedFirst = "its task or timer ended first";

    private static bool Ends(ScheduledItemRecord item, List<Guid> ended, List<string> cancelledKeys) =>
        ((item.TaskId is { } task && ended.Contains(task)) || cancelledKeys.Contains(item.Key))
        && item.Status is ScheduledStatus.Pending or ScheduledStatus.Enqueued;

    private async Task RearmAsync(Guid itemId, DateTimeOffset now, CancellationToken ct)
    {
        var item = await db.ScheduledItems.FirstOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null || item.Status != ScheduledStatus.Failed)
        {
            return;
        }

        foreach (var owner in owners.Where(o => o.Kind == item.Kind))
        {
            await owner.RearmAsync(db, item, now, ct);
        }

        item.Status = ScheduledStatus.Pending;
        item.DueAt = now;
        item.Attempts = 0;
        item.JobId = null;
        item.ClaimedAt = null;
        item.FinishedAt = null;
        logger.LogInformation("Scheduled {Kind} {Key} put back in the schedule by an incident's retry", item.Kind, item.Key);
    }

    private static ScheduledItemRecord Referring(string kind, Guid reference, DateTimeOffset dueAt, InstanceRecord instance, DateTimeOffset now)
    {
        var item = ScheduledItemRecord.Pending(kind, ScheduledKinds.ReferenceKey(kind, reference), dueAt, now);
        item.InstanceId = instance.Id;
        item.OfficeId = instance.OfficeId;
        item.Reference = reference.ToString();
        return item;
    }
}
