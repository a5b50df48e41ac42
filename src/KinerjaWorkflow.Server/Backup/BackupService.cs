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

/// <summary>One backup run as admins see it: when, started how, and how it ended.</summary>
public sealed record BackupRun(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Trigger,
    bool Succeeded,
    string? Folder,
    long? SizeBytes,
    long DurationMilliseconds,
    string? Error);

/// <summary>A finished backup in the backup folder.</summary>
public sealed record BackupListing(string Name, DateTimeOffset CreatedAt, long SizeBytes, string SchemaVersion, string ProductVersion, long Rows, int Documents);

/// <summary>What the admin page shows: where backups go, when the next one is due, the last run, and the backups kept.</summary>
public sealed record BackupStatus(
    string Folder,
    string? Schedule,
    DateTimeOffset? NextRunAt,
    int Keep,
    BackupRun? LastRun,
    IReadOnlyList<BackupListing> Backups);

/// <summary>
/// The service's own backups into <c>Backup:Folder</c>: started by an admin or by the daily recurring job, one at a
/// time, keeping the newest <c>Backup:Keep</c>. The last run's result is kept in service_settings so every node shows
/// it; a failed run tells every office's admins in their inbox (and by email and webhook where the office has them).
/// </summary>
public sealed class BackupService(
    BackupSources sources,
    IOptions<BackupOptions> options,
    IHostEnvironment environment,
    IServiceScopeFactory scopes,
    JobStorage storage,
    TimeProvider clock,
    ILogger<BackupService> logger) : IDisposable
{
    public const string RecurringJobId = "kinerja-backup";
    internal const string LastRunSetting = "backup-last-run";
    public const string ScheduledTrigger = "jadwal";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public void Dispose() => _oneAtATime.Dispose();

    public string Folder => options.Value.ResolveFolder(sources, environment);

    public async Task<BackupRun> RunByAdminAsync(CurrentUser user, CancellationToken ct)
    {
        RequireAdmin(user);
        return await RunAsync($"admin {user.UserName}", ct);
    }

    /// <summary>Takes a backup now; never throws for a failed backup, which is recorded, logged and told to the admins.</summary>
    public async Task<BackupRun> RunAsync(string trigger, CancellationToken ct)
    {
        if (!await _oneAtATime.WaitAsync(TimeSpan.Zero, ct))
        {
            throw new ConflictError("Pencadangan lain sedang berjalan; tunggu sampai selesai.");
        }

        try
        {
            var startedAt = clock.GetUtcNow();
            var started = clock.GetTimestamp();
            BackupRun run;
            try
            {
                var result = await new BackupWriter(sources, options.Value.PostgresTools, clock, logger).WriteAsync(Folder, ct);
                run = new BackupRun(startedAt, clock.GetUtcNow(), trigger, true, Path.GetFileName(result.Folder), result.Manifest.TotalBytes,
                    (long)result.Took.TotalMilliseconds, null);
                Prune();
            }
            // Whatever stopped it, the admins must hear that the data is not backed up.
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Backup into {Folder} ({Trigger}) failed", Folder, trigger);
                run = new BackupRun(startedAt, clock.GetUtcNow(), trigger, false, null, null, (long)clock.GetElapsedTime(started).TotalMilliseconds, ex.Message);
            }

            await RecordAsync(run, ct);
            if (!run.Succeeded)
            {
                await TellAdminsAsync(run, ct);
            }

            return run;
        }
        finally
        {
            _oneAtATime.Release();
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

        return new BackupStatus(Folder, settings.Scheduled ? settings.Schedule : null, next, settings.Keep, await LastRunAsync(ct), await ListAsync(ct));
    }

    public async Task<BackupRun?> LastRunAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var stored = await db.Set<ServiceSettingRecord>().AsNoTracking().Where(s => s.Name == LastRunSetting).Select(s => s.Value).FirstOrDefaultAsync(ct);
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

    private async Task RecordAsync(BackupRun run, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var value = JsonSerializer.Serialize(run, Json);
        var stored = await db.Set<ServiceSettingRecord>().FirstOrDefaultAsync(s => s.Name == LastRunSetting, ct);
        if (stored is null)
        {
            db.Add(new ServiceSettingRecord { Name = LastRunSetting, Value = value });
        }
        else
        {
            stored.Value = value;
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
