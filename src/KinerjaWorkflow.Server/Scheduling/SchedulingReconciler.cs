using System.Diagnostics;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Makes Quartz hold exactly what the database says is pending: a trigger for every pending engine timer, SLA
/// step, undelivered notification and next timer start occurrence, and none for anything that has fired, been
/// cancelled or finished. Triggers are listed before the rows are read, so a row committed meanwhile is never
/// mistaken for a stale trigger. Tasks that have a deadline but no SLA plan (made before the plan existed) get one.
/// </summary>
internal sealed class SchedulingReconciler(
    IServiceScopeFactory scopes,
    SchedulerTriggers triggers,
    TimerStarts timerStarts,
    TimeProvider clock,
    ILogger<SchedulingReconciler> logger)
{
    public async Task ReconcileAsync(CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var timers = await ReconcileEngineTimersAsync(ct);
        var plannedTasks = await PlanTasksWithoutPlanAsync(ct);
        var steps = await ReconcileSlaStepsAsync(ct);
        var deliveries = await ReconcileDeliveriesAsync(ct);
        var starts = await timerStarts.ScheduleAsync(null, ct);
        logger.LogInformation(
            "Scheduler reconciled with the database in {ElapsedMs} ms: engine timers {TimersAdded} added, {TimersRemoved} removed; " +
            "{PlannedTasks} task(s) given an SLA plan; SLA steps {StepsAdded} added, {StepsRemoved} removed; " +
            "deliveries {DeliveriesAdded} added, {DeliveriesRemoved} removed; {TimerStarts} timer start(s) scheduled",
            stopwatch.ElapsedMilliseconds,
            timers.Added,
            timers.Removed,
            plannedTasks,
            steps.Added,
            steps.Removed,
            deliveries.Added,
            deliveries.Removed,
            starts);
    }

    private async Task<(int Added, int Removed)> ReconcileEngineTimersAsync(CancellationToken ct)
    {
        var existing = (await triggers.NamesAsync(SchedulerJobs.EngineTimerGroup, ct)).ToHashSet(StringComparer.Ordinal);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var pending = await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatusText.Pending)
            .Select(t => new { t.Id, t.InstanceId, t.DueAt })
            .ToListAsync(ct);
        var wanted = pending.ToDictionary(t => t.Id.ToString(), StringComparer.Ordinal);
        return await ApplyAsync(
            SchedulerJobs.EngineTimerGroup,
            existing,
            wanted.Where(w => !existing.Contains(w.Key)).Select(w => QuartzTimerScheduler.Plan(w.Value.Id, w.Value.InstanceId, w.Value.DueAt)).ToList(),
            existing.Where(n => !wanted.ContainsKey(n)).ToList(),
            ct);
    }

    private async Task<int> PlanTasksWithoutPlanAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var factory = scope.ServiceProvider.GetRequiredService<SlaStepFactory>();
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => (t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed)
                        && t.DueAt != null
                        && !db.SlaSteps.Any(s => s.TaskId == t.Id))
            .ToListAsync(ct);
        var planned = 0;
        foreach (var task in tasks)
        {
            var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == task.InstanceId, ct);
            var steps = await factory.CreateAsync(task.Id, instance, TaskRoles.Decode(task.Roles), task.CreatedAt, task.DueAt!.Value, ct);
            db.SlaSteps.AddRange(steps);
            planned += steps.Count > 0 ? 1 : 0;
        }

        await db.SaveChangesAsync(ct);
        return planned;
    }

    private async Task<(int Added, int Removed)> ReconcileSlaStepsAsync(CancellationToken ct)
    {
        var existing = (await triggers.NamesAsync(SchedulerJobs.SlaStepGroup, ct)).ToHashSet(StringComparer.Ordinal);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var pending = await db.SlaSteps.AsNoTracking()
            .Where(s => s.Status == SlaStepStatus.Pending)
            .Select(s => new { s.Id, s.DueAt })
            .ToListAsync(ct);
        var wanted = pending.ToDictionary(s => s.Id.ToString(), s => s.DueAt, StringComparer.Ordinal);
        return await ApplyAsync(
            SchedulerJobs.SlaStepGroup,
            existing,
            wanted.Where(w => !existing.Contains(w.Key)).Select(w => SlaTriggers.PlanStep(Guid.Parse(w.Key), w.Value)).ToList(),
            existing.Where(n => !wanted.ContainsKey(n)).ToList(),
            ct);
    }

    private async Task<(int Added, int Removed)> ReconcileDeliveriesAsync(CancellationToken ct)
    {
        var existing = (await triggers.NamesAsync(SchedulerJobs.SlaDeliveryGroup, ct)).ToHashSet(StringComparer.Ordinal);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var now = clock.GetUtcNow();
        var pending = await db.SlaNotifications.AsNoTracking()
            .Where(n => n.Status == SlaNotificationStatus.Pending)
            .Select(n => new { n.Id, n.Attempts, n.NextAttemptAt })
            .ToListAsync(ct);
        var wanted = pending.ToDictionary(
            n => SlaTriggers.DeliveryName(n.Id, n.Attempts),
            n => SlaTriggers.PlanDelivery(n.Id, n.Attempts, n.NextAttemptAt ?? now),
            StringComparer.Ordinal);
        return await ApplyAsync(
            SchedulerJobs.SlaDeliveryGroup,
            existing,
            wanted.Where(w => !existing.Contains(w.Key)).Select(w => w.Value).ToList(),
            existing.Where(n => !wanted.ContainsKey(n)).ToList(),
            ct);
    }

    private async Task<(int Added, int Removed)> ApplyAsync(
        string group,
        IReadOnlySet<string> existing,
        IReadOnlyList<PlannedTrigger> missing,
        IReadOnlyList<string> stale,
        CancellationToken ct)
    {
        await triggers.UnscheduleAsync(stale.Select(n => new TriggerKey(n, group)).ToList(), ct);
        await triggers.ScheduleAsync(missing, ct);
        if (missing.Count > 0 || stale.Count > 0)
        {
            logger.LogInformation(
                "Trigger group {Group}: {Existing} stored, {Missing} missing added, {Stale} stale removed",
                group,
                existing.Count,
                missing.Count,
                stale.Count);
        }

        return (missing.Count, stale.Count);
    }
}

/// <summary>
/// Runs the scheduler with the host, and reconciles it with the database once it has started: a trigger whose
/// time passed while the service was down then fires once, straight away.
/// </summary>
internal sealed class KinerjaSchedulerHostedService(
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    IOptionsMonitor<QuartzHostedServiceOptions> options,
    SchedulingReconciler reconciler,
    ILogger<KinerjaSchedulerHostedService> logger) : QuartzHostedService(lifetime, services, options)
{
    public override async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await reconciler.ReconcileAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Start-up reconciliation of the scheduler failed; the periodic pass will try again");
        }
    }
}

/// <summary>Reconciles again every <c>Scheduling:ReconcileInterval</c>, repairing a trigger a failure kept out.</summary>
internal sealed class PeriodicReconciliation(
    SchedulingReconciler reconciler,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<PeriodicReconciliation> logger) : BackgroundService
{
    private readonly TimeSpan _interval = configuration.GetValue("Scheduling:ReconcileInterval", TimeSpan.FromHours(1));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await reconciler.ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Periodic reconciliation of the scheduler failed; trying again in {Interval}", _interval);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }
}
