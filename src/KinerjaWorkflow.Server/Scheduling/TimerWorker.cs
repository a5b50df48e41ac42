using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Fires the engine's timers (intermediate and boundary) from the timers table: the database is the
/// truth, so a timer that came due while the service was down fires on the first pass after start.
/// </summary>
internal sealed class TimerWorker(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<TimerWorker> logger) : BackgroundService, ITimerScheduler
{
    private readonly JobSignal _wake = new();

    public Task ScheduleAsync(Guid timerId, Guid instanceId, DateTimeOffset dueAt, CancellationToken ct)
    {
        _wake.Wake();
        return Task.CompletedTask;
    }

    public Task CancelAsync(Guid timerId, CancellationToken ct) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FireDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Timer pass failed");
            }

            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task FireDueAsync(CancellationToken ct)
    {
        List<(Guid Id, Guid InstanceId)> due;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            var now = clock.GetUtcNow();
            due = (await db.Timers
                    .Where(t => t.Status == TimerStatusText.Pending && t.DueAt <= now)
                    .OrderBy(t => t.DueAt)
                    .Select(t => new { t.Id, t.InstanceId })
                    .ToListAsync(ct))
                .Select(t => (t.Id, t.InstanceId))
                .ToList();
        }

        foreach (var (id, instanceId) in due)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            var timer = await db.Timers.FirstAsync(t => t.Id == id, ct);
            timer.Status = TimerStatusText.Fired;
            try
            {
                await scope.ServiceProvider.GetRequiredService<InstanceCommandRunner>()
                    .ExecuteAsync(instanceId, new FireTimer(id), null, ct);
            }
            catch (ProblemException problem)
            {
                logger.LogWarning("Timer {TimerId} of instance {InstanceId} not fired: {Problem}", id, instanceId, problem.Message);
                db.ChangeTracker.Clear();
                var stale = await db.Timers.FirstAsync(t => t.Id == id, ct);
                stale.Status = TimerStatusText.Cancelled;
                await db.SaveChangesAsync(ct);
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
