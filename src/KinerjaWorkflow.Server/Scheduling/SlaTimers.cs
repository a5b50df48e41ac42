using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Keeps each task's SLA plan in step with the task, inside the command's transaction: a task created with a
/// deadline gets its reminder and escalation steps; a completed or cancelled task has its pending steps
/// cancelled. A reassigned task keeps its plan: the reminder's recipients are read when it fires, so it goes to
/// whoever holds the task then.
/// </summary>
internal sealed class SlaEffectsHook(
    KinerjaDbContext db,
    SlaStepFactory factory,
    SlaTriggers triggers,
    IAfterCommitQueue afterCommit,
    ILogger<SlaEffectsHook> logger) : IInstanceEffectsHook
{
    public async Task OnEffectsAsync(InstanceRecord instance, IReadOnlyList<RuntimeEffect> effects, CancellationToken ct)
    {
        var planned = new List<SlaStepRecord>();
        foreach (var created in effects.OfType<TaskCreated>())
        {
            if (created.Task.DueAt is { } dueAt)
            {
                planned.AddRange(await factory.CreateAsync(created.Task.Id, instance, created.Task.Roles, created.Task.CreatedAt, dueAt, ct));
            }
        }

        if (planned.Count > 0)
        {
            db.SlaSteps.AddRange(planned);
            afterCommit.Enqueue(token => triggers.ScheduleAsync(planned, token));
        }

        var ended = effects
            .Select(e => e switch
            {
                TaskCompleted completed => completed.Task.Id,
                TaskCancelled cancelled => cancelled.Task.Id,
                _ => (Guid?)null,
            })
            .OfType<Guid>()
            .ToList();
        if (ended.Count == 0)
        {
            return;
        }

        var stored = await db.SlaSteps
            .Where(s => ended.Contains(s.TaskId) && s.Status == SlaStepStatus.Pending)
            .ToListAsync(ct);
        var pending = stored
            .Concat(db.SlaSteps.Local.Where(s => ended.Contains(s.TaskId) && s.Status == SlaStepStatus.Pending))
            .Distinct()
            .ToList();
        foreach (var step in pending)
        {
            step.Status = SlaStepStatus.Cancelled;
        }

        if (pending.Count > 0)
        {
            var ids = pending.Select(s => s.Id).ToList();
            afterCommit.Enqueue(token => triggers.UnscheduleAsync(ids, token));
            logger.LogInformation(
                "Cancelled {Count} pending SLA step(s) of ended task(s) {TaskIds} on instance {InstanceId}",
                pending.Count,
                ended,
                instance.Id);
        }
    }
}

/// <summary>The Quartz side of SLA steps and their deliveries; failures are logged, reconciliation repairs them.</summary>
internal sealed class SlaTriggers(SchedulerTriggers triggers, ILogger<SlaTriggers> logger)
{
    public const string StepIdKey = "stepId";
    public const string NotificationIdKey = "notificationId";

    public async Task ScheduleAsync(IReadOnlyCollection<SlaStepRecord> steps, CancellationToken ct)
    {
        try
        {
            await triggers.ScheduleAsync(steps.Select(s => PlanStep(s.Id, s.DueAt)).ToList(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Count} SLA step(s) not put into the scheduler; reconciliation will", steps.Count);
        }
    }

    public async Task UnscheduleAsync(IReadOnlyCollection<Guid> stepIds, CancellationToken ct)
    {
        try
        {
            await triggers.UnscheduleAsync(stepIds.Select(StepKey).ToList(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Triggers of {Count} cancelled SLA step(s) not removed; they will find the steps cancelled", stepIds.Count);
        }
    }

    public async Task ScheduleDeliveryAsync(Guid notificationId, int attempts, DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            await triggers.ScheduleAsync([PlanDelivery(notificationId, attempts, at)], ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Retry of notification {NotificationId} not put into the scheduler; reconciliation will", notificationId);
        }
    }

    public static PlannedTrigger PlanStep(Guid stepId, DateTimeOffset at) =>
        new(StepKey(stepId), SchedulerJobs.SlaStep, at, new Dictionary<string, string> { [StepIdKey] = stepId.ToString() });

    /// <summary>
    /// A delivery attempt after <paramref name="attempts"/> failed ones. The count is part of the name, so the retry
    /// scheduled by a failing attempt never replaces the trigger that is running it.
    /// </summary>
    public static PlannedTrigger PlanDelivery(Guid notificationId, int attempts, DateTimeOffset at) =>
        new(new TriggerKey(DeliveryName(notificationId, attempts), SchedulerJobs.SlaDeliveryGroup), SchedulerJobs.SlaDelivery, at,
            new Dictionary<string, string> { [NotificationIdKey] = notificationId.ToString() });

    public static string DeliveryName(Guid notificationId, int attempts) =>
        $"{notificationId}:{attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static TriggerKey StepKey(Guid stepId) => new(stepId.ToString(), SchedulerJobs.SlaStepGroup);
}

internal sealed class SlaStepJob(SlaNotifier notifier) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var stepId = Guid.Parse(context.MergedJobDataMap.GetString(SlaTriggers.StepIdKey)!);
        if (await notifier.DecideAsync(stepId, cancellationToken) is { } notificationId)
        {
            await notifier.DeliverAsync(notificationId, cancellationToken);
        }
    }
}

internal sealed class SlaDeliveryJob(SlaNotifier notifier) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await notifier.DeliverAsync(Guid.Parse(context.MergedJobDataMap.GetString(SlaTriggers.NotificationIdKey)!), cancellationToken);
}
