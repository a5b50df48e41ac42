using Hangfire;
using Hangfire.States;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Hands the schedule's due rows to Hangfire: every minute (a recurring job), at start-up, and on demand when a
/// command has written a row, or given a task a reminder or escalation step, that is already due. First the open
/// tasks' due reminder and escalation steps get their rows (<see cref="SlaSteps"/>). Each due row is claimed
/// (pending → enqueued, a conditional update, so two sweeps never enqueue one row twice) and gets one background job. A row whose job Hangfire no
/// longer holds (its storage was lost, an admin deleted it) goes back to pending, because the row is the truth.
/// </summary>
public sealed class ScheduleSweep(
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs,
    JobStorage storage,
    TimeProvider clock,
    ILogger<ScheduleSweep> logger) : ICommittedCommandListener
{
    public const string RecurringJobId = "kinerja-sweep";

    private const int BatchSize = 500;

    /// <summary>An enqueued row younger than this is not checked against Hangfire's storage: its job may not be written yet.</summary>
    private static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(10);

    /// <summary>Asks Hangfire to sweep now rather than at the next minute.</summary>
    public void Request() => jobs.Enqueue<ScheduleJobs>(j => j.SweepAsync(CancellationToken.None));

    public void OnCommitted(KinerjaDbContext db, IReadOnlyList<TaskRecord> createdTasks)
    {
        var now = clock.GetUtcNow();
        if (createdTasks.Any(t => t.NextSlaStepAt <= now))
        {
            Request();
            return;
        }

        RequestIfDue(db);
    }

    /// <summary>Requests a sweep when <paramref name="db"/> has just saved a row that is already due.</summary>
    public void RequestIfDue(KinerjaDbContext db)
    {
        var now = clock.GetUtcNow();

        // The rows are saved: nothing is left to detect, and detecting would compare every tracked entity again.
        var detecting = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            if (db.ChangeTracker.Entries<ScheduledItemRecord>().Any(e => e.Entity.Status == ScheduledStatus.Pending && e.Entity.DueAt <= now))
            {
                Request();
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }

    /// <summary>Enqueues every row due now; returns the rows handed over.</summary>
    public async Task<IReadOnlyList<ScheduledItemRecord>> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await RecoverOrphansAsync(now, ct);
        using (var scope = scopes.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SlaSteps>().ScheduleDueAsync(now, ct);
        }

        var handed = new List<ScheduledItemRecord>();
        while (true)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            var due = await db.ScheduledItems.AsNoTracking()
                .Where(i => i.Status == ScheduledStatus.Pending && i.DueAt <= now)
                .OrderBy(i => i.DueAt)
                .Take(BatchSize)
                .ToListAsync(ct);
            foreach (var item in due)
            {
                var claimed = await db.ScheduledItems
                    .Where(i => i.Id == item.Id && i.Status == ScheduledStatus.Pending)
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, ScheduledStatus.Enqueued).SetProperty(i => i.ClaimedAt, now), ct);
                if (claimed == 0)
                {
                    continue;
                }

                var jobId = jobs.Create<ScheduleJobs>(j => j.RunAsync(item.Kind, item.Id, null, CancellationToken.None), new EnqueuedState());
                await db.ScheduledItems.Where(i => i.Id == item.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.JobId, jobId), ct);
                item.JobId = jobId;
                handed.Add(item);
            }

            if (due.Count < BatchSize)
            {
                break;
            }
        }

        if (handed.Count > 0)
        {
            logger.LogInformation("Sweep at {Now}: {Count} due item(s) handed to Hangfire", now, handed.Count);
        }

        return handed;
    }

    private async Task RecoverOrphansAsync(DateTimeOffset now, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var before = now - OrphanAge;
        var stale = await db.ScheduledItems.AsNoTracking()
            .Where(i => i.Status == ScheduledStatus.Enqueued && i.ClaimedAt < before)
            .Select(i => new { i.Id, i.JobId, i.Key })
            .ToListAsync(ct);
        if (stale.Count == 0)
        {
            return;
        }

        using var connection = storage.GetConnection();
        foreach (var item in stale)
        {
            var state = item.JobId is null ? null : connection.GetStateData(item.JobId);
            if (state is not null && state.Name != DeletedState.StateName)
            {
                continue;
            }

            await db.ScheduledItems
                .Where(i => i.Id == item.Id && i.Status == ScheduledStatus.Enqueued)
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, ScheduledStatus.Pending).SetProperty(i => i.JobId, (string?)null), ct);
            logger.LogWarning("Scheduled item {Key} had no live Hangfire job ({JobId}); put back to pending", item.Key, item.JobId);
        }
    }
}
