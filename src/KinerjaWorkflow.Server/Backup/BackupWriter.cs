using System.Data;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>A finished backup: its folder and what its manifest says.</summary>
public sealed record BackupResult(string Folder, BackupManifest Manifest, TimeSpan Took);

/// <summary>
/// Writes a backup of a running installation into a new subfolder, named after the instant it was taken. The
/// database is copied at one instant (SQLite's online backup inside a read transaction; pg_dump in an exported
/// snapshot), and the manifest's row counts, table digests and list of documents are read in that same transaction,
/// so they describe exactly the copy. Hangfire's own file is copied just before, so no job in it is newer than the
/// schedule rows in the database. Then exactly the documents that instant refers to are copied and checked against
/// their names (a document's name is its SHA-256, and the bytes under a name never change). The folder is written
/// as "name.partial" and renamed only when complete, so a folder without that suffix is a finished backup.
/// </summary>
public sealed class BackupWriter(BackupSources sources, string? postgresTools, TimeProvider clock, ILogger logger)
{
    /// <summary>A document can be taken back (deleted) between the database's instant and its copy; then the whole backup is taken again.</summary>
    private const int Attempts = 3;

    public const string FolderPrefix = "kinerja-";
    public const string PartialSuffix = ".partial";

    /// <summary>Beside each "….partial" folder while it is written, locked by its writer (see <see cref="RemoveStalePartials"/>).</summary>
    public const string LockSuffix = ".lock";

    /// <summary>This writer's own names: kinerja-yyyyMMdd-HHmmss, -2, -3… for a second one in the same second.</summary>
    private static readonly Regex OwnPartial = new(@"^kinerja-\d{8}-\d{6}(-\d+)?\.partial(\.lock)?$", RegexOptions.CultureInvariant);

    public async Task<BackupResult> WriteAsync(string parentFolder, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        Directory.CreateDirectory(parentFolder);
        RemoveStalePartials(parentFolder);
        var createdAt = clock.GetUtcNow();
        var final = UniqueFolder(parentFolder, createdAt);
        using var writing = LockFile.TryTake(final + PartialSuffix + LockSuffix, exclusive: true)
            ?? throw new BackupException($"{final}{PartialSuffix}{LockSuffix} cannot be locked: another backup of the same second is starting, or the folder does not allow locks. Try again.");
        try
        {
            return await WriteAsync(final, started, createdAt, ct);
        }
        finally
        {
            // Still locked while it goes: a backup starting now finds either the lock held or no lock file.
            File.Delete(final + PartialSuffix + LockSuffix);
        }
    }

    /// <summary>
    /// Removes what a crashed backup left in the folder: "….partial" folders of this writer's naming (and their lock
    /// files) whose lock no writer holds. A folder another backup is writing, in this process or another, has its lock
    /// held and stays; nothing else in the folder is touched.
    /// </summary>
    private void RemoveStalePartials(string parentFolder)
    {
        var left = Directory.EnumerateDirectories(parentFolder, FolderPrefix + "*" + PartialSuffix)
            .Concat(Directory.EnumerateFiles(parentFolder, FolderPrefix + "*" + PartialSuffix + LockSuffix).Select(f => f[..^LockSuffix.Length]))
            .Where(p => OwnPartial.IsMatch(Path.GetFileName(p)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var partial in left)
        {
            using var stale = LockFile.TryTake(partial + LockSuffix, exclusive: true);
            if (stale is null)
            {
                continue;
            }

            TryDelete(partial);
            File.Delete(partial + LockSuffix);
            logger.LogInformation("Removed {Folder}, left unfinished by a backup that stopped", partial);
        }
    }

    private async Task<BackupResult> WriteAsync(string final, long started, DateTimeOffset createdAt, CancellationToken ct)
    {
        var partial = final + PartialSuffix;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(partial))
                {
                    Directory.Delete(partial, recursive: true);
                }

                Directory.CreateDirectory(partial);
                var manifest = await WriteContentAsync(partial, createdAt, ct);
                await manifest.WriteAsync(partial, ct);
                Directory.Move(partial, final);
                var took = clock.GetElapsedTime(started);
                logger.LogInformation(
                    "Backup {Folder} written in {Elapsed} ms: schema {SchemaVersion}, {Rows} row(s) in {Tables} table(s), {Documents} document(s), {Bytes} bytes",
                    final, (long)took.TotalMilliseconds, manifest.SchemaVersion, manifest.Tables.Sum(t => t.Rows), manifest.Tables.Count, manifest.Documents, manifest.TotalBytes);
                return new BackupResult(final, manifest, took);
            }
            catch (DocumentTakenBackException ex) when (attempt < Attempts)
            {
                logger.LogInformation("Document {Sha256} was taken back during the backup; taking the backup again", ex.Sha256);
            }
            catch
            {
                TryDelete(partial);
                throw;
            }
        }
    }

    private async Task<BackupManifest> WriteContentAsync(string folder, DateTimeOffset createdAt, CancellationToken ct)
    {
        var (documentsTable, documentsColumn) = DocumentColumn();
        var read = sources.IsSqlite
            ? await CopySqliteAsync(folder, documentsTable, documentsColumn, ct)
            : await DumpPostgresAsync(folder, documentsTable, documentsColumn, ct);
        var documentFiles = await CopyDocumentsAsync(folder, read.Documents, documentsTable, documentsColumn, ct);

        var files = new List<BackupFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            var checksum = documentFiles.TryGetValue(relative, out var known) ? known : await BackupManifest.ChecksumAsync(path, ct);
            files.Add(new BackupFile(relative, new FileInfo(path).Length, checksum));
        }

        return new BackupManifest(
            BackupManifest.CurrentFormat,
            ProductVersion,
            createdAt,
            sources.Database.Provider.ToString().ToLowerInvariant(),
            read.Migrations.Count > 0 ? read.Migrations[^1] : "(none)",
            read.Migrations,
            read.Tables,
            files,
            read.Documents.Count);
    }

    private async Task<SnapshotRead> CopySqliteAsync(string folder, string documentsTable, string documentsColumn, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(folder, "database"));
        if (sources.SchedulerFile is { } scheduler && File.Exists(scheduler))
        {
            Directory.CreateDirectory(Path.Combine(folder, "scheduler"));
            await using var from = Open(scheduler);
            await using var to = Open(Path.Combine(folder, BackupManifest.SchedulerFile));
            await Task.Run(() => from.BackupDatabase(to), ct);
            await SelfContainedAsync(to, BackupManifest.SchedulerFile, ct);
        }

        var copy = Path.Combine(folder, BackupManifest.DatabaseFile);
        SnapshotRead read;
        await using (var source = Open(sources.DatabaseFile))
        {
            // Deferred: a read transaction, which never holds up the service's writers (WAL).
            await using var transaction = source.BeginTransaction(deferred: true);
            read = await ReadAsync(new DatabaseSnapshot(source, transaction, sqlite: true), documentsTable, documentsColumn, ct);

            // Inside the read transaction the online backup copies the very instant the manifest was read at.
            await using var target = Open(copy);
            await Task.Run(() => source.BackupDatabase(target), ct);
            await transaction.CommitAsync(ct);
            await SelfContainedAsync(target, BackupManifest.DatabaseFile, ct);
        }

        await using (var written = Open(copy))
        {
            await using var transaction = written.BeginTransaction(deferred: true);
            var copied = await new DatabaseSnapshot(written, transaction, sqlite: true).TablesAsync(ct);
            if (!copied.SequenceEqual(read.Tables))
            {
                throw new BackupException("The database copy does not hold what the database held at the backup's instant; the backup was not kept.");
            }
        }

        return read;
    }

    private async Task<SnapshotRead> DumpPostgresAsync(string folder, string documentsTable, string documentsColumn, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(folder, "database"));
        await using var connection = new NpgsqlConnection(sources.Database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var export = connection.CreateCommand();
        export.Transaction = transaction;
        export.CommandText = "SELECT pg_export_snapshot()";
        var snapshot = (string)(await export.ExecuteScalarAsync(ct))!;
        var read = await ReadAsync(new DatabaseSnapshot(connection, transaction, sqlite: false), documentsTable, documentsColumn, ct);

        // pg_dump reads the snapshot this transaction exported, so it must stay open until the dump is done.
        await new PostgresTools(postgresTools).DumpAsync(sources.Database.ConnectionString, snapshot, Path.Combine(folder, BackupManifest.PostgresDumpFile), ct);
        await transaction.CommitAsync(ct);
        return read;
    }

    private static async Task<SnapshotRead> ReadAsync(DatabaseSnapshot snapshot, string documentsTable, string documentsColumn, CancellationToken ct)
    {
        var tables = await snapshot.TablesAsync(ct);
        var migrations = await snapshot.MigrationsAsync(ct);
        var documents = await snapshot.DocumentsAsync(documentsTable, documentsColumn, ct);
        return new SnapshotRead(tables, migrations, documents);
    }

    /// <summary>Copies each document, hashing the copy; returns their checksums by path in the backup.</summary>
    private async Task<Dictionary<string, string>> CopyDocumentsAsync(
        string folder, IReadOnlyList<string> documents, string documentsTable, string documentsColumn, CancellationToken ct)
    {
        var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
        var store = new AttachmentStore(sources.DocumentsFolder, Microsoft.Extensions.Logging.Abstractions.NullLogger<AttachmentStore>.Instance);
        foreach (var sha256 in documents)
        {
            if (!IsSha256(sha256))
            {
                throw new BackupException($"The database names a document '{sha256}', which is not a SHA-256; the backup was not kept.");
            }

            var relative = $"{BackupManifest.DocumentsFolder}/{sha256[..2]}/{sha256}";
            var target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string copied;
            try
            {
                copied = await CopyHashingAsync(store.PathOf(sha256), target, ct);
            }
            catch (FileNotFoundException)
            {
                if (!await StillReferencedAsync(documentsTable, documentsColumn, sha256, ct))
                {
                    throw new DocumentTakenBackException(sha256);
                }

                throw new BackupException(
                    $"Document {sha256} is missing from {sources.DocumentsFolder}, though the database refers to it; the backup was not kept. Restore the file from an earlier backup.");
            }

            if (copied != sha256)
            {
                throw new BackupException(
                    $"Document {store.PathOf(sha256)} is damaged: its content no longer matches its checksum; the backup was not kept. Restore the file from an earlier backup.");
            }

            checksums[relative] = copied;
        }

        return checksums;
    }

    private async Task<bool> StillReferencedAsync(string table, string column, string sha256, CancellationToken ct)
    {
        await using var db = PersistenceServiceCollectionExtensions.NewContext(sources.Database);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" = @sha";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@sha";
        parameter.Value = sha256;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }

    internal static async Task<string> CopyHashingAsync(string from, string to, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using var target = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        await target.FlushAsync(ct);
        target.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The attachments table and its checksum column, as the model names them.</summary>
    private (string Table, string Column) DocumentColumn()
    {
        using var db = PersistenceServiceCollectionExtensions.NewContext(sources.Database);
        var entity = db.Model.FindEntityType(typeof(AttachmentRecord))!;
        var table = entity.GetTableName()!;
        var column = entity.FindProperty(nameof(AttachmentRecord.Sha256))!
            .GetColumnName(Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema()))!;
        return (table, column);
    }

    /// <summary>The copy as one file in rollback-journal mode, checked: it needs no -wal beside it to be whole.</summary>
    private static async Task SelfContainedAsync(SqliteConnection copy, string name, CancellationToken ct)
    {
        await using var journal = copy.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode=DELETE";
        await journal.ExecuteScalarAsync(ct);
        await using var check = copy.CreateCommand();
        check.CommandText = "PRAGMA quick_check";
        var result = (string?)await check.ExecuteScalarAsync(ct);
        if (result != "ok")
        {
            throw new BackupException($"The copy {name} failed SQLite's check ({result}); the backup was not kept.");
        }
    }

    internal static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    internal static bool IsSha256(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);

    internal static string ProductVersion { get; } =
        typeof(BackupWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BackupWriter).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static string UniqueFolder(string parent, DateTimeOffset at)
    {
        var stem = Path.Combine(parent, FolderPrefix + at.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var candidate = stem;
        for (var n = 2; Directory.Exists(candidate) || Directory.Exists(candidate + PartialSuffix) || File.Exists(candidate + PartialSuffix + LockSuffix); n++)
        {
            candidate = $"{stem}-{n}";
        }

        return candidate;
    }

    private void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "The unfinished backup {Folder} could not be removed", folder);
        }
    }

    private sealed record SnapshotRead(IReadOnlyList<BackupTable> Tables, IReadOnlyList<string> Migrations, IReadOnlyList<string> Documents);

    private sealed class DocumentTakenBackException(string sha256) : Exception($"Document {sha256} was taken back during the backup.")
    {
        public string Sha256 { get; } = sha256;
    }
}
