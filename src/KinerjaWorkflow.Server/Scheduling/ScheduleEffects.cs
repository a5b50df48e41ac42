using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Projects a command's engine effects onto the schedule, inside the command's transaction: a task created with a
/// deadline is given the first step of its reminder and escalation plan (<see cref="SlaSteps"/>), an engine timer or
/// a requested job gets its row; a completed or cancelled task, or a cancelled timer, has its open rows cancelled.
/// A reassigned task keeps its rows: the reminder's recipients are read when it fires. An admin's retry of a
/// scheduled item's incident puts the item back in the schedule, due now, with Hangfire's attempts afresh.
/// </summary>
internal sealed class ScheduleEffectsHook(
    KinerjaDbContext db,
    SlaSteps sla,
    IEnumerable<IScheduledItemRearm> owners,
    CommandStatements statements,
    CommandRows rows,
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
                    await sla.StartAsync(created.Task.Id, dueAt, ct);
                    break;
                case TaskCompleted completed when MayHaveRows(completed.Task.Id):
                    ended.Add(completed.Task.Id);
                    break;
                case TaskCancelled cancelled when MayHaveRows(cancelled.Task.Id):
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
        foreach (var item in db.ScheduledItems.LocalWithoutDetecting(db).Where(i => Ends(i, ended, cancelledKeys)).ToList())
        {
            item.Finish(ScheduledStatus.Cancelled, now, EndedFirst);
        }

        statements.Add(async token =>
        {
            var cancelled = await CancelOpenRows(ended, cancelledKeys, now).ExecuteAsync(token);
            if (cancelled > 0)
            {
                logger.LogInformation("Cancelled {Count} scheduled item(s) of ended tasks or timers on instance {InstanceId}", cancelled, instance.Id);
            }
        });
    }

    /// <summary>
    /// The open rows of the ended tasks and cancelled timers, cancelled by one statement written here rather than in
    /// LINQ: EF translated that ExecuteUpdate again at every command (with a list it cannot be compiled in EF 10), a
    /// fifth of the command runner's CPU (bench/README.md).
    /// </summary>
    private ColumnTypedSql<ScheduledItemRecord> CancelOpenRows(List<Guid> ended, List<string> cancelledKeys, DateTimeOffset now)
    {
        const string Status = nameof(ScheduledItemRecord.Status);
        var sql = new ColumnTypedSql<ScheduledItemRecord>(db);
        var status = sql.Column(Status);
        sql.Append($"UPDATE {sql.Table} SET {status} = {sql.Value(Status, ScheduledStatus.Cancelled)}, ")
            .Append($"{sql.Column(nameof(ScheduledItemRecord.FinishedAt))} = {sql.Value(nameof(ScheduledItemRecord.FinishedAt), now)}, ")
            .Append($"{sql.Column(nameof(ScheduledItemRecord.LastError))} = {sql.Value(nameof(ScheduledItemRecord.LastError), EndedFirst)} ")
            .Append($"WHERE {status} IN ({sql.Value(Status, ScheduledStatus.Pending)}, {sql.Value(Status, ScheduledStatus.Enqueued)}) AND (");
        var which = new List<string>();
        if (ended.Count > 0)
        {
            which.Add($"{sql.Column(nameof(ScheduledItemRecord.TaskId))} IN ({string.Join(", ", ended.Select(id => sql.Value(nameof(ScheduledItemRecord.TaskId), id)))})");
        }

        if (cancelledKeys.Count > 0)
        {
            which.Add($"{sql.Column(nameof(ScheduledItemRecord.Key))} IN ({string.Join(", ", cancelledKeys.Select(key => sql.Value(nameof(ScheduledItemRecord.Key), key)))})");
        }

        return sql.Append(string.Join(" OR ", which)).Append(")");
    }

    private const string EndedFirst = "its task or timer ended first";

    /// <summary>
    /// Whether an ending task may have rows in the schedule: only its reminder and escalation levels refer to a task,
    /// and a task row the command or the context holds whole says how many it has put there. One changed by key alone is
    /// not known.
    /// A level a sweep put there between the command's read and its commit is not cancelled here; its task is ended
    /// when it falls due, which the sweep has just found it to be, and <see cref="SlaNotifier"/> sends nothing for an
    /// ended task and cancels the row.
    /// </summary>
    private bool MayHaveRows(Guid taskId) =>
        rows.HoldsByKeyOnly(taskId)
        || (rows.WholeTask(taskId) ?? db.Tasks.LocalWithoutDetecting(db).FindEntry(taskId)?.Entity) is not { SlaStepsScheduled: 0 };

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
