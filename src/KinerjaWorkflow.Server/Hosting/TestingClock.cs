using System.Text.Json;
using Hangfire;
using Hangfire.States;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>
/// The Testing clock's companions: its setting is stored, so a restarted service keeps the simulated date, and a
/// move sweeps the schedule at once; <see cref="SettleAsync"/> waits until what the move made due has run.
/// Several nodes on one database share the stored setting: each reads it again every <see cref="RefreshInterval"/>
/// (and before the testing endpoints answer), so a move made through one node is the time of every node.
/// </summary>
internal sealed class TestingClock(
    ManualClock clock,
    IServiceScopeFactory scopes,
    ScheduleSweep sweep,
    JobStorage storage,
    ILogger<TestingClock> logger) : BackgroundService
{
    private const string SettingName = "testing-clock";

    /// <summary>
    /// How stale (real time) another node's move may be here. Short, because a job this node runs for a move made
    /// elsewhere reads this node's clock; a test that acts on a second node asks its clock first (GET), which reads
    /// the setting at once.
    /// </summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long (real time) a clock move waits for the jobs it made due before it answers.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);

    /// <summary>The stored setting this node's clock last took or wrote; read and written under <see cref="_applying"/>.</summary>
    private string? _applied;

    /// <summary>
    /// One restore or move at a time. Two restores at once could see the setting already marked applied and answer
    /// before the other has moved the clock. A restore during a move could read the setting before the move has
    /// stored it, take it for another node's and put the clock back, so the move's settle would find nothing due.
    /// </summary>
    private readonly SemaphoreSlim _applying = new(1, 1);

    /// <summary>
    /// Moves the clock with <paramref name="move"/> and stores the new setting, starting from a move made through
    /// another node since the last refresh.
    /// </summary>
    public async Task<DateTimeOffset> MoveAsync(Func<ManualClock, DateTimeOffset> move, CancellationToken ct)
    {
        await _applying.WaitAsync(ct);
        try
        {
            await ApplyStoredAsync(ct);
            var now = move(clock);
            await SaveAsync(ct);
            return now;
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>
    /// Puts the clock where the stored setting says, at start-up and whenever another node has stored a move since.
    /// Only then: a test host may set its own clock directly, and a setting this node has already applied is not
    /// applied again (a restore counts as a move, and a move sweeps the schedule).
    /// </summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        await _applying.WaitAsync(ct);
        try
        {
            await ApplyStoredAsync(ct);
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>
    /// The refresh loop's restore: skipped while a move or another restore is under way here, since that one reads
    /// the stored setting itself.
    /// </summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (!await _applying.WaitAsync(TimeSpan.Zero, ct))
        {
            return;
        }

        try
        {
            await ApplyStoredAsync(ct);
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>
    /// Sweeps and waits until every item due now has run; returns the ones still open when the limit ran out, or
    /// waiting for a Hangfire retry (those say so in their state).
    /// </summary>
    public async Task<IReadOnlyList<ScheduledWork>> SettleAsync(CancellationToken ct)
    {
        var until = TimeProvider.System.GetUtcNow() + SettleLimit;
        while (true)
        {
            await sweep.SweepAsync(ct);
            var now = clock.GetUtcNow();
            List<ScheduledWork> open;
            using (var scope = scopes.CreateScope())
            {
                open = (await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().ScheduledItems.AsNoTracking()
                        .Where(i => (i.Status == ScheduledStatus.Pending || i.Status == ScheduledStatus.Enqueued) && i.DueAt <= now)
                        .OrderBy(i => i.DueAt)
                        .ToListAsync(ct))
                    .Select(i => new ScheduledWork(i.Kind, i.Key, i.JobId, JobState(i.JobId), i.Attempts, i.LastError))
                    .ToList();
            }

            if (open.All(w => w.JobState == ScheduledState.StateName) || TimeProvider.System.GetUtcNow() > until)
            {
                return open;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, ct);
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        clock.Moved += OnMoved;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        clock.Moved -= OnMoved;
        return base.StopAsync(cancellationToken);
    }

    /// <summary>Reads the stored setting again every <see cref="RefreshInterval"/>, for moves made through another node.</summary>
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RefreshInterval, TimeProvider.System, stop);
                await RefreshAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Testing clock could not read its stored setting; trying again");
            }
        }
    }

    private void OnMoved(DateTimeOffset now) => sweep.Request();

    private async Task ApplyStoredAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var stored = await db.Set<ServiceSettingRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == SettingName, ct);
        if (stored is null || stored.Value == _applied)
        {
            return;
        }

        _applied = stored.Value;
        if (JsonSerializer.Deserialize<StoredClock>(stored.Value) is { } setting)
        {
            var now = clock.Restore(setting.Offset, setting.FrozenAt);
            logger.LogInformation("Testing clock restored to {Now}", now);
        }
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        var (offset, frozenAt) = clock.Setting();
        var value = JsonSerializer.Serialize(new StoredClock(offset, frozenAt));
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var stored = await db.Set<ServiceSettingRecord>().FirstOrDefaultAsync(s => s.Name == SettingName, ct);
        if (stored is null)
        {
            db.Add(new ServiceSettingRecord { Name = SettingName, Value = value });
        }
        else
        {
            stored.Value = value;
        }

        await db.SaveChangesAsync(ct);
        _applied = value;
    }

    private string? JobState(string? jobId)
    {
        if (jobId is null)
        {
            return null;
        }

        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    private sealed record StoredClock(TimeSpan Offset, DateTimeOffset? FrozenAt);
}

/// <summary>A scheduled item still open after a clock move: its Hangfire job and state ("Scheduled" waits for a retry).</summary>
public sealed record ScheduledWork(string Kind, string Key, string? JobId, string? JobState, int Attempts, string? LastError);
