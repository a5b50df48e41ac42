using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// One backup run as admins see it: when, started how, and how it ended; while it runs, <see cref="Running"/> and no
/// <see cref="FinishedAt"/>. <see cref="Id"/> names it in <c>/api/admin/backups/runs/{id}</c>.
/// </summary>
public sealed record BackupRun(
    Guid Id,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string Trigger,
    bool Running,
    bool Succeeded,
    string? Folder,
    long? SizeBytes,
    long DurationMilliseconds,
    string? Error);

/// <summary>A finished backup in the backup folder.</summary>
public sealed record BackupListing(string Name, DateTimeOffset CreatedAt, long SizeBytes, string SchemaVersion, string ProductVersion, long Rows, int Documents);

/// <summary>What the admin page shows: where backups go, when the next one is due, the one running, the last run, and the backups kept.</summary>
public sealed record BackupStatus(
    string Folder,
    string? Schedule,
    DateTimeOffset? NextRunAt,
    int Keep,
    BackupRun? Running,
    BackupRun? LastRun,
    IReadOnlyList<BackupListing> Backups);

/// <summary>
/// The service's own backups into <c>Backup:Folder</c>: started by an admin or by the daily recurring job, one at a
/// time across every node (<see cref="BackupTurn"/>), keeping the newest <c>Backup:Keep</c>. An admin's backup runs
/// in the background, since an office's documents can make it take minutes, longer than a request may wait behind a
/// proxy; the run being taken and the last run's result are kept in service_settings so every node shows them. A
/// failed run tells every office's admins in their inbox (and by email and webhook where the office has them).
/// </summary>
public sealed class BackupService(
    BackupSources sources,
    IOptions<BackupOptions> options,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    IServiceScopeFactory scopes,
    JobStorage storage,
    TimeProvider clock,
    ILogger<BackupService> logger) : IDisposable
{
    public const string RecurringJobId = "kinerja-backup";
    internal const string LastRunSetting = "backup-last-run";
    internal const string RunningSetting = "backup-running";
    public const string ScheduledTrigger = "jadwal";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly BackupTurn _turn = new(sources);
    private Task _background = Task.CompletedTask;

    /// <summary>An admin's backup still running at shutdown is cancelled by the stopping service; its turn goes after it.</summary>
    public void Dispose()
    {
        _background.Wait(TimeSpan.FromSeconds(30));
        _turn.Dispose();
    }

    public string Folder => options.Value.ResolveFolder(sources, environment);

    /// <summary>Starts a backup in the background and answers at once with the running run; a second one meanwhile is a conflict.</summary>
    public async Task<BackupRun> StartByAdminAsync(CurrentUser user, CancellationToken ct)
    {
        RequireAdmin(user);
        var (run, turn) = await BeginAsync($"admin {user.UserName}", ct);
        _background = Task.Run(() => FinishInBackgroundAsync(run, turn), CancellationToken.None);
        return run;
    }

    /// <summary>Takes a backup now and waits for it; never throws for a failed backup, which is recorded, logged and told to the admins.</summary>
    public async Task<BackupRun> RunAsync(string trigger, CancellationToken ct)
    {
        var (run, turn) = await BeginAsync(trigger, ct);
        return await FinishAsync(run, turn, ct);
    }

    /// <summary>A run by its id: the one running, or the last one; a run the last one has replaced is gone.</summary>
    public async Task<BackupRun> RunOfAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        RequireAdmin(user);
        // The running run first: one finishing meanwhile is then found as the last run, never missed between the two.
        return await RunningAsync(ct) is { } running && running.Id == id ? running
            : await LastRunAsync(ct) is { } last && last.Id == id ? last
            : throw new NotFoundError("Pencadangan ini tidak ada, atau sudah digantikan oleh pencadangan yang lebih baru; lihat halaman Cadangan.");
    }

    private async Task<(BackupRun Run, IDisposable Turn)> BeginAsync(string trigger, CancellationToken ct)
    {
        var turn = await _turn.TryTakeAsync(ct);
        if (turn is null)
        {
            var other = await ReadAsync(RunningSetting, ct);
            throw new ConflictError(other is null
                ? "Pencadangan lain sedang berjalan; tunggu sampai selesai."
                : $"Pencadangan lain ({other.Trigger}) sedang berjalan sejak {other.StartedAt:yyyy-MM-dd HH:mm:ss} UTC; tunggu sampai selesai.");
        }

        try
        {
            var run = new BackupRun(Guid.NewGuid(), clock.GetUtcNow(), null, trigger, true, false, null, null, 0, null);
            await WriteAsync(run, finished: false, ct);
            return (run, turn);
        }
        catch
        {
            turn.Dispose();
            throw;
        }
    }

    private async Task FinishInBackgroundAsync(BackupRun run, IDisposable turn)
    {
        try
        {
            await FinishAsync(run, turn, lifetime.ApplicationStopping);
        }
        // Nobody awaits this run: whatever ends it is logged here, and a stopped run shows as stopped on every node.
        catch (Exception ex)
        {
            logger.LogError(ex, "Backup {Run} ({Trigger}) ended without a result", run.Id, run.Trigger);
        }
    }

    private async Task<BackupRun> FinishAsync(BackupRun started, IDisposable turn, CancellationToken ct)
    {
        using (turn)
        {
            var timer = clock.GetTimestamp();
            BackupRun run;
            try
            {
                var result = await new BackupWriter(sources, options.Value.PostgresTools, clock, logger).WriteAsync(Folder, ct);
                run = started with
                {
                    FinishedAt = clock.GetUtcNow(),
                    Running = false,
                    Succeeded = true,
                    Folder = Path.GetFileName(result.Folder),
                    SizeBytes = result.Manifest.TotalBytes,
                    DurationMilliseconds = (long)result.Took.TotalMilliseconds,
                };
                Prune();
            }
            // Whatever stopped it, the admins must hear that the data is not backed up.
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Backup into {Folder} ({Trigger}) failed", Folder, started.Trigger);
                run = started with
                {
                    FinishedAt = clock.GetUtcNow(),
                    Running = false,
                    DurationMilliseconds = (long)clock.GetElapsedTime(timer).TotalMilliseconds,
                    Error = ex.Message,
                };
            }

            // Told before the run shows as ended, so whoever sees it ended knows the admins have heard.
            if (!run.Succeeded)
            {
                try
                {
                    await TellAdminsAsync(run, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The admins could not be told that backup {Run} failed", run.Id);
                }
            }

            await WriteAsync(run, finished: true, ct);
            return run;
        }
    }

    public async Task<BackupStatus> StatusAsync(CurrentUser user, CancellationToken ct)
    {
        RequireAdmin(user);
        var settings = options.Value;
        DateTimeOffset? next = null;
        if (settings.Scheduled)
        {
            using var connection = storage.GetConnection();
            next = connection.GetRecurringJobs([RecurringJobId]).FirstOrDefault()?.NextExecution is { } at
                ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
                : null;
        }

        var running = await RunningAsync(ct);
        return new BackupStatus(Folder, settings.Scheduled ? settings.Schedule : null, next, settings.Keep,
            running is { Running: true } ? running : null, await LastRunAsync(ct), await ListAsync(ct));
    }

    public Task<BackupRun?> LastRunAsync(CancellationToken ct) => ReadAsync(LastRunSetting, ct);

    /// <summary>
    /// The run being taken; one whose node stopped before it finished shows as failed. A run writes its result before it
    /// gives up its turn, so a run still shown as running when read again after its turn was seen free has stopped; read
    /// only once, it may have finished in between.
    /// </summary>
    private async Task<BackupRun?> RunningAsync(CancellationToken ct)
    {
        var run = await ReadAsync(RunningSetting, ct);
        if (run is null || await _turn.IsTakenAsync(ct))
        {
            return run;
        }

        var again = await ReadAsync(RunningSetting, ct);
        return again is null || again.Id != run.Id
            ? again
            : again with
            {
                Running = false,
                Error = "Pencadangan terhenti sebelum selesai: layanan yang menjalankannya berhenti. Folder cadangan belum berisi cadangan ini; cadangkan lagi.",
            };
    }

    private async Task<BackupRun?> ReadAsync(string setting, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var stored = await db.Set<ServiceSettingRecord>().AsNoTracking().Where(s => s.Name == setting).Select(s => s.Value).FirstOrDefaultAsync(ct);
        return stored is null ? null : JsonSerializer.Deserialize<BackupRun>(stored, Json);
    }

    /// <summary>The finished backups in the folder, newest first; a folder whose manifest is damaged is left out and logged.</summary>
    public async Task<IReadOnlyList<BackupListing>> ListAsync(CancellationToken ct)
    {
        var listings = new List<BackupListing>();
        foreach (var folder in Finished())
        {
            try
            {
                var manifest = await BackupManifest.ReadAsync(folder, ct);
                listings.Add(new BackupListing(Path.GetFileName(folder), manifest.CreatedAt, manifest.TotalBytes, manifest.SchemaVersion,
                    manifest.ProductVersion, manifest.Tables.Sum(t => t.Rows), manifest.Documents));
            }
            catch (BackupException ex)
            {
                logger.LogWarning("Backup folder {Folder} is left out of the list: {Problem}", folder, ex.Message);
            }
        }

        return listings.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Name, StringComparer.Ordinal).ToList();
    }

    private IEnumerable<string> Finished() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateDirectories(Folder, BackupWriter.FolderPrefix + "*")
                .Where(d => !d.EndsWith(BackupWriter.PartialSuffix, StringComparison.Ordinal) && File.Exists(Path.Combine(d, BackupManifest.FileName)))
            : [];

    /// <summary>Deletes the oldest finished backups beyond <c>Backup:Keep</c>; their names sort by the instant they were taken.</summary>
    private void Prune()
    {
        foreach (var old in Finished().Order(StringComparer.Ordinal).Reverse().Skip(Math.Max(1, options.Value.Keep)))
        {
            Directory.Delete(old, recursive: true);
            logger.LogInformation("Backup {Folder} deleted: the folder keeps the newest {Keep}", old, options.Value.Keep);
        }
    }

    /// <summary>A run starting is the running one; a run finished is the last one, and no run is running any more.</summary>
    private async Task WriteAsync(BackupRun run, bool finished, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var name = finished ? LastRunSetting : RunningSetting;
        var value = JsonSerializer.Serialize(run, Json);
        var stored = await db.Set<ServiceSettingRecord>().Where(s => s.Name == LastRunSetting || s.Name == RunningSetting).ToListAsync(ct);
        if (stored.FirstOrDefault(s => s.Name == name) is { } existing)
        {
            existing.Value = value;
        }
        else
        {
            db.Add(new ServiceSettingRecord { Name = name, Value = value });
        }

        if (finished && stored.FirstOrDefault(s => s.Name == RunningSetting) is { } running)
        {
            db.Remove(running);
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task TellAdminsAsync(BackupRun run, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var admins = await db.Users.AsNoTracking()
            .Where(u => u.IsAdmin && !u.IsDisabled)
            .Select(u => new { u.OfficeId, u.UserName })
            .ToListAsync(ct);
        var sender = scope.ServiceProvider.GetRequiredService<INotificationSender>();
        foreach (var office in admins.GroupBy(a => a.OfficeId))
        {
            await sender.SendAsync(
                new NotificationMessage(
                    office.Key,
                    office.Select(a => a.UserName).ToList(),
                    NotificationKinds.Message,
                    "Pencadangan data gagal",
                    $"Pencadangan data ({run.Trigger}) yang dimulai {run.StartedAt:yyyy-MM-dd HH:mm} UTC gagal: {run.Error} " +
                    $"Data belum tercadangkan sejak pencadangan terakhir yang berhasil. Periksa folder cadangan {Folder} dan halaman Cadangan.",
                    null,
                    null,
                    $"backup-failed:{run.StartedAt.UtcTicks}"),
                ct);
        }
    }

    private static void RequireAdmin(CurrentUser user)
    {
        if (!user.IsAdmin)
        {
            throw new ForbiddenError("Cadangan data hanya untuk admin kantor.");
        }
    }
}

/// <summary>The Hangfire job of the scheduled backup.</summary>
public sealed class BackupJobs(BackupService backups)
{
    /// <summary>No retries: a failed backup is recorded and told to the admins, and the next one is due on schedule.</summary>
    [System.ComponentModel.DisplayName("Cadangan data terjadwal")]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunScheduledAsync(CancellationToken ct)
    {
        var run = await backups.RunAsync(BackupService.ScheduledTrigger, ct);
        if (!run.Succeeded)
        {
            throw new BackupException($"Scheduled backup failed: {run.Error}");
        }
    }
}
