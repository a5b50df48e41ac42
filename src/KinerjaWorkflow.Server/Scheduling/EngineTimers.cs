using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Puts the engine's timers (intermediate and boundary) into Quartz, one trigger per timers row. Called after
/// the command that wrote the row has committed; a failure here loses nothing, because the row is the truth
/// and start-up reconciliation gives every pending row its trigger.
/// </summary>
internal sealed class QuartzTimerScheduler(SchedulerTriggers triggers, ILogger<QuartzTimerScheduler> logger) : ITimerScheduler
{
    public const string TimerIdKey = "timerId";
    public const string InstanceIdKey = "instanceId";

    public async Task ScheduleAsync(Guid timerId, Guid instanceId, DateTimeOffset dueAt, CancellationToken ct)
    {
        try
        {
            await triggers.ScheduleAsync([Plan(timerId, instanceId, dueAt)], ct);
            logger.LogDebug("Timer {TimerId} of instance {InstanceId} scheduled at {DueAt}", timerId, instanceId, dueAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Timer {TimerId} of instance {InstanceId} not put into the scheduler; start-up reconciliation will", timerId, instanceId);
        }
    }

    public async Task CancelAsync(Guid timerId, CancellationToken ct)
    {
        try
        {
            await triggers.UnscheduleAsync([Key(timerId)], ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Trigger of cancelled timer {TimerId} not removed; it will find the timer cancelled when it fires", timerId);
        }
    }

    public static PlannedTrigger Plan(Guid timerId, Guid instanceId, DateTimeOffset dueAt) =>
        new(Key(timerId), SchedulerJobs.EngineTimer, dueAt, new Dictionary<string, string>
        {
            [TimerIdKey] = timerId.ToString(),
            [InstanceIdKey] = instanceId.ToString(),
        });

    public static TriggerKey Key(Guid timerId) => new(timerId.ToString(), SchedulerJobs.EngineTimerGroup);
}

/// <summary>Fires one engine timer: the timer row is marked fired in the transaction of the FireTimer command.</summary>
internal sealed class EngineTimerFiring(IServiceScopeFactory scopes, ILogger<EngineTimerFiring> logger)
{
    /// <summary>A command racing the timer on the same instance makes it retry; this bounds the retries.</summary>
    private const int Attempts = 3;

    public async Task FireAsync(Guid timerId, Guid instanceId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == timerId, ct);
            if (timer is null || timer.Status != TimerStatusText.Pending)
            {
                logger.LogInformation("Timer {TimerId} of instance {InstanceId} is {Status}; nothing to fire", timerId, instanceId, timer?.Status ?? "gone");
                return;
            }

            timer.Status = TimerStatusText.Fired;
            try
            {
                await scope.ServiceProvider.GetRequiredService<InstanceCommandRunner>()
                    .ExecuteAsync(instanceId, new FireTimer(timerId), null, ct);
                logger.LogInformation("Timer {TimerId} at step {StepId} of instance {InstanceId} fired", timerId, timer.StepId, instanceId);
                return;
            }
            catch (ConflictProblem conflict) when (attempt < Attempts)
            {
                logger.LogInformation(
                    "Timer {TimerId} of instance {InstanceId} met a concurrent change (attempt {Attempt}): {Problem}; trying again",
                    timerId,
                    instanceId,
                    attempt,
                    conflict.Message);
            }
            catch (ProblemException problem) when (problem is ConflictProblem or NotFoundProblem)
            {
                logger.LogWarning("Timer {TimerId} of instance {InstanceId} not fired: {Problem}; cancelling it", timerId, instanceId, problem.Message);
                await CancelAsync(timerId, ct);
                return;
            }
        }
    }

    private async Task CancelAsync(Guid timerId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        await db.Timers
            .Where(t => t.Id == timerId && t.Status == TimerStatusText.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TimerStatusText.Cancelled), ct);
    }
}

internal sealed class EngineTimerJob(EngineTimerFiring firing) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = context.MergedJobDataMap;
        await firing.FireAsync(
            Guid.Parse(data.GetString(QuartzTimerScheduler.TimerIdKey)!),
            Guid.Parse(data.GetString(QuartzTimerScheduler.InstanceIdKey)!),
            cancellationToken);
    }
}
