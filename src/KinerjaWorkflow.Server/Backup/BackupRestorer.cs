using System.Globalization;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>What a restore brought back.</summary>
public sealed record RestoreResult(BackupManifest Manifest, string Target, int Documents);

/// <summary>
/// Restores a backup into an installation's data location (the database, Hangfire's file, the documents folder, as
/// configured for a normal start), with the service stopped. Everything is checked before anything is touched: the
/// manifest against its checksum, every file against the manifest, the backup's schema against the migrations this
/// build knows (a newer one is refused), and the target must be empty unless forced. The database is swapped in
/// last, so a failure part-way leaves the old one in place. The restored tables are then read again and must give
/// the manifest's digests. At the next start the service migrates an older schema and its start-up sweep handles
/// every reminder, escalation and timer that came due meanwhile, as after any outage.
/// </summary>
public sealed class BackupRestorer(BackupSources sources, string? postgresTools, ILogger logger)
{
    public async Task<RestoreResult> RestoreAsync(string folder, bool force, CancellationToken ct)
    {
        folder = Path.GetFullPath(folder);
        using var noService = await RunningServiceLock.TryTakeForRestoreAsync(sources, ct) ?? throw new BackupException(
            $"A service is running on {RunningServiceLock.Where(sources)}: stop it first (on PostgreSQL every node), since a restore replaces its data. Nothing was changed.");
        var manifest = await BackupManifest.ReadAsync(folder, ct);
        var provider = sources.Database.Provider.ToString().ToLowerInvariant();
        if (manifest.Provider != provider)
        {
            throw new BackupException($"This is a backup of a {manifest.Provider} installation; this one is configured for {provider} (Database:Provider). Nothing was changed.");
        }

        RefuseNewerSchema(manifest);
        await VerifyFilesAsync(folder, manifest, ct);
        await RefuseNonEmptyTargetAsync(force, ct);

        int documents;
        if (sources.IsSqlite)
        {
            documents = await RestoreDocumentsAsync(folder, manifest, ct);
            await RestoreSqliteAsync(folder, manifest, ct);
        }
        else
        {
            documents = await RestoreDocumentsAsync(folder, manifest, ct);
            await new PostgresTools(postgresTools).RestoreAsync(
                sources.Database.ConnectionString, Path.Combine(folder, BackupManifest.PostgresDumpFile), clean: force, ct);
        }

        await VerifyRestoredAsync(manifest, ct);
        var target = sources.IsSqlite ? sources.DatabaseFile : "the PostgreSQL database";
        logger.LogInformation(
            "Restored backup {Folder} (schema {SchemaVersion}, taken {CreatedAt}) into {Target}: {Rows} row(s), {Documents} document(s)",
            folder, manifest.SchemaVersion, manifest.CreatedAt, target, manifest.Tables.Sum(t => t.Rows), documents);
        return new RestoreResult(manifest, target, documents);
    }

    private void RefuseNewerSchema(BackupManifest manifest)
    {
        using var db = PersistenceServiceCollectionExtensions.NewContext(sources.Database);
        var known = db.Database.GetMigrations().ToList();
        var unknown = manifest.Migrations.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new BackupException(
                $"This backup is of a newer schema ({manifest.SchemaVersion}, made by {manifest.ProductVersion}) than this build knows " +
                $"(its last migration is {known.LastOrDefault() ?? "(none)"}). Restore it with the build that made it or a later one. Nothing was changed.");
        }
    }

    private static async Task VerifyFilesAsync(string folder, BackupManifest manifest, CancellationToken ct)
    {
        foreach (var file in manifest.Files)
        {
            var path = Path.GetFullPath(Path.Combine(folder, file.Path));
            if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new BackupException($"The backup is damaged: the manifest names {file.Path}, outside the backup's folder. Nothing was changed.");
            }

            if (!File.Exists(path))
            {
                throw new BackupException($"The backup is incomplete: {file.Path} is missing. Nothing was changed.");
            }

            var actual = await BackupManifest.ChecksumAsync(path, ct);
            if (actual != file.Sha256 || new FileInfo(path).Length != file.Size)
            {
                throw new BackupException(
                    $"The backup is damaged: {file.Path} does not match its checksum in the manifest (expected {file.Sha256}, found {actual}). Nothing was changed.");
            }
        }
    }

    private async Task RefuseNonEmptyTargetAsync(bool force, CancellationToken ct)
    {
        if (force)
        {
            return;
        }

        var rows = await RowsInTargetAsync(ct);
        if (rows > 0)
        {
            var where = sources.IsSqlite ? sources.DatabaseFile : "The configured PostgreSQL database";
            throw new BackupException(
                $"{where} already holds data ({rows} row(s)). Restore only into an empty data location, or add --force to replace " +
                "it (stop the service first, and keep a copy of what is there). Nothing was changed.");
        }

        var existing = Directory.Exists(sources.DocumentsFolder)
            ? Directory.EnumerateFiles(sources.DocumentsFolder, "*", SearchOption.AllDirectories).Count()
            : 0;
        if (existing > 0)
        {
            throw new BackupException(
                $"The documents folder {sources.DocumentsFolder} already holds {existing} file(s). Restore only into an empty data location, or add --force. Nothing was changed.");
        }
    }

    /// <summary>Rows in the target's tables; on PostgreSQL any table at all counts, because pg_restore needs an empty database.</summary>
    private async Task<long> RowsInTargetAsync(CancellationToken ct)
    {
        if (sources.IsSqlite)
        {
            if (!File.Exists(sources.DatabaseFile) || new FileInfo(sources.DatabaseFile).Length == 0)
            {
                return 0;
            }

            await using var connection = BackupWriter.Open(sources.DatabaseFile);
            await using var transaction = connection.BeginTransaction(deferred: true);
            var tables = await new DatabaseSnapshot(connection, transaction, sqlite: true).TablesAsync(ct);
            return tables.Where(t => !t.Name.StartsWith("__EF", StringComparison.Ordinal)).Sum(t => t.Rows);
        }

        await using var postgres = new NpgsqlConnection(sources.Database.ConnectionString);
        await postgres.OpenAsync(ct);
        await using var command = postgres.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema IN (current_schema(), 'hangfire')";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private async Task<int> RestoreDocumentsAsync(string folder, BackupManifest manifest, CancellationToken ct)
    {
        var prefix = BackupManifest.DocumentsFolder + "/";
        var count = 0;
        foreach (var file in manifest.Files.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var relative = file.Path[prefix.Length..];
            var target = Path.Combine(sources.DocumentsFolder, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            count++;
            if (File.Exists(target) && await BackupManifest.ChecksumAsync(target, ct) == file.Sha256)
            {
                continue;
            }

            // Content-addressed: the name says what the bytes must be, so a copy is moved into place only once it is whole.
            var temporary = target + ".restoring";
            if (await BackupWriter.CopyHashingAsync(Path.Combine(folder, file.Path), temporary, ct) != file.Sha256)
            {
                File.Delete(temporary);
                throw new BackupException($"Copying {file.Path} into {sources.DocumentsFolder} gave different content; check the disk. The database was not changed.");
            }

            File.Move(temporary, target, overwrite: true);
        }

        return count;
    }

    private async Task RestoreSqliteAsync(string folder, BackupManifest manifest, CancellationToken ct)
    {
        var staged = new List<(string Temporary, string Target)>();
        try
        {
            staged.Add(await StageAsync(folder, manifest, BackupManifest.DatabaseFile, sources.DatabaseFile, ct));
            if (sources.SchedulerFile is { } scheduler && manifest.Files.Any(f => f.Path == BackupManifest.SchedulerFile))
            {
                staged.Add(await StageAsync(folder, manifest, BackupManifest.SchedulerFile, scheduler, ct));
            }
            else if (sources.SchedulerFile is { } stale)
            {
                // No scheduler file in the backup: Hangfire starts on an empty one and the sweep hands it the schedule.
                DeleteWithCompanions(stale);
            }
        }
        catch
        {
            foreach (var (temporary, _) in staged)
            {
                File.Delete(temporary);
            }

            throw;
        }

        SqliteConnection.ClearAllPools();
        foreach (var (temporary, target) in staged)
        {
            // A -wal left beside the old file would be replayed into the new one.
            DeleteWithCompanions(target);
            File.Move(temporary, target);
        }
    }

    private static async Task<(string Temporary, string Target)> StageAsync(
        string folder, BackupManifest manifest, string part, string target, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".restoring";
        var expected = manifest.Files.Single(f => f.Path == part).Sha256;
        if (await BackupWriter.CopyHashingAsync(Path.Combine(folder, part), temporary, ct) != expected)
        {
            File.Delete(temporary);
            throw new BackupException($"Copying {part} to {target} gave different content; check the disk. Nothing was changed.");
        }

        return (temporary, target);
    }

    private static void DeleteWithCompanions(string file)
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
        {
            File.Delete(path);
        }
    }

    private async Task VerifyRestoredAsync(BackupManifest manifest, CancellationToken ct)
    {
        IReadOnlyList<BackupTable> restored;
        if (sources.IsSqlite)
        {
            await using var connection = BackupWriter.Open(sources.DatabaseFile);
            await using var transaction = connection.BeginTransaction(deferred: true);
            restored = await new DatabaseSnapshot(connection, transaction, sqlite: true).TablesAsync(ct);
        }
        else
        {
            await using var connection = new NpgsqlConnection(sources.Database.ConnectionString);
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            restored = await new DatabaseSnapshot(connection, transaction, sqlite: false).TablesAsync(ct);
        }

        var differing = manifest.Tables.Where(t => !restored.Contains(t)).Select(t => t.Name).ToList();
        if (differing.Count > 0 || restored.Count != manifest.Tables.Count)
        {
            throw new BackupException($"The restored database differs from the backup in: {string.Join(", ", differing)}. Restore again, or from another backup.");
        }
    }
}
