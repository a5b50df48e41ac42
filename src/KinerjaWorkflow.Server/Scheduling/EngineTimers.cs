using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Fires one engine timer (intermediate or boundary): the timers row is marked fired and the item finished in the
/// transaction of the FireTimer command, so a second run finds the timer fired and moves nothing. A command racing
/// the timer on the same instance makes the run fail and Hangfire try again; an instance that no longer waits
/// for it cancels it.
/// </summary>
internal sealed class EngineTimerFiring(
    KinerjaDbContext db,
    InstanceCommandRunner runner,
    TimeProvider clock,
    ScheduledIncidents incidents,
    ILogger<EngineTimerFiring> logger) : IScheduledItemPerformer
{
    public IReadOnlyList<string> Kinds { get; } = [ScheduledKinds.EngineTimer];

    public async Task PerformAsync(ScheduledItemRecord item, CancellationToken ct)
    {
        var timerId = Guid.Parse(item.Reference!);
        var instanceId = item.InstanceId!.Value;
        var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == timerId, ct);
        if (timer is null || timer.Status != TimerStatusText.Pending)
        {
            item.Finish(ScheduledStatus.Cancelled, clock.GetUtcNow(), $"timer {timer?.Status ?? "gone"}");
            return;
        }

        timer.Status = TimerStatusText.Fired;
        item.Finish(ScheduledStatus.Done, clock.GetUtcNow());
        try
        {
            await runner.ExecuteAsync(instanceId, new FireTimer(timerId), null, ct);
            logger.LogInformation("Timer {TimerId} at step {StepId} of instance {InstanceId} fired", timerId, timer.StepId, instanceId);
        }
        catch (DomainError problem) when (problem is ConflictError or NotFoundError)
        {
            db.ChangeTracker.Clear();
            var active = InstanceCommandRunner.StatusText(InstanceStatus.Active);
            if (problem is ConflictError && await db.Instances.AnyAsync(i => i.Id == instanceId && i.Status == active, ct))
            {
                throw;
            }

            logger.LogWarning("Timer {TimerId} of instance {InstanceId} not fired: {Problem}; cancelling it", timerId, instanceId, problem.Message);
            var now = clock.GetUtcNow();
            await db.Timers.Where(t => t.Id == timerId && t.Status == TimerStatusText.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TimerStatusText.Cancelled), ct);
            var tracked = await db.ScheduledItems.FirstAsync(i => i.Id == item.Id, ct);
            tracked.Finish(ScheduledStatus.Cancelled, now, problem.Message);
            item.Finish(ScheduledStatus.Cancelled, now, problem.Message);
        }
    }

    public Task AttemptFailedAsync(ScheduledItemRecord item, string error, bool final, CancellationToken ct) =>
        !final
            ? Task.CompletedTask
            : incidents.RaiseAsync(
                item,
                async (db, ct) =>
                {
                    var stepId = await db.Timers.AsNoTracking().Where(t => t.Id == Guid.Parse(item.Reference!)).Select(t => t.StepId).FirstOrDefaultAsync(ct) ?? string.Empty;
                    return (stepId, $"Timer pada langkah {stepId} {ScheduledIncidents.Failed(item.Attempts, error)}");
                },
                ct);
}
