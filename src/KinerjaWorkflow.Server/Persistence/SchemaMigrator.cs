using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>The database's schema cannot be brought to what this build expects; the service must not start.</summary>
public sealed class SchemaMigrationException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// Brings the database to the schema of this build with the provider's EF Core migrations. Several nodes may start
/// at once: EF takes its migration lock (the __EFMigrationsLock table on SQLite, an advisory lock on PostgreSQL),
/// so each migration is applied once. A database made before the migrations, by the hand-written SQL scripts, is
/// taken over first: its schema is exactly the baseline migration's, so the baseline is recorded as applied.
/// </summary>
public sealed partial class SchemaMigrator(KinerjaDbContext db, ILogger<SchemaMigrator> logger)
{
    /// <summary>The journal of the SQL scripts that made the schema before the EF Core migrations.</summary>
    internal const string ScriptJournalTable = "schema_versions";

    /// <summary>The scripts 0001–0008 whose result the baseline migration creates.</summary>
    internal const int LastScriptVersion = 8;

    /// <summary>The last build that applied the scripts: it upgrades a database that has only some of them.</summary>
    internal const string LastScriptedBuild = "8224911";

    /// <summary>Any fixed number will do; it only has to be the same on every node.</summary>
    private const long PostgresTakeOverLockKey = 4_617_215_002;

    private DatabaseProvider Provider => db switch
    {
        SqliteKinerjaDbContext => DatabaseProvider.Sqlite,
        PostgresKinerjaDbContext => DatabaseProvider.Postgres,
        _ => throw new NotSupportedException($"{db.GetType().Name} has no migrations."),
    };

    /// <summary>Applies the migrations not applied yet; returns those it applied.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            await UseWriteAheadLogAsync(cancellationToken);
        }

        await TakeOverScriptedSchemaAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (DbException ex)
        {
            throw new SchemaMigrationException($"Migrating the {Provider} database failed and was rolled back: {ex.Message}", ex);
        }

        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        LogSchemaCurrent(logger, Provider, applied.LastOrDefault() ?? "(none)", pending.Count);
        return pending;
    }

    /// <summary>
    /// Records the baseline migration as applied on a database the scripts made, unless EF already keeps its
    /// history there. Under a lock and idempotent, so nodes starting together on such a database record it once.
    /// </summary>
    private async Task TakeOverScriptedSchemaAsync(CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        if (await history.ExistsAsync(cancellationToken) && (await history.GetAppliedMigrationsAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!await ScriptJournalExistsAsync(connection, cancellationToken))
            {
                return;
            }

            var scripts = await ScriptVersionsAsync(connection, cancellationToken);
            var missing = Enumerable.Range(1, LastScriptVersion).Except(scripts).ToList();
            if (missing.Count > 0)
            {
                throw new SchemaMigrationException(
                    $"This database was made by the SQL scripts of an earlier build and lacks script(s) {string.Join(", ", missing.Select(v => v.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))}. " +
                    $"This build takes over only a database with all of 0001–{LastScriptVersion:D4}: start build {LastScriptedBuild} on it once first, then this one.");
            }

            var baseline = db.Database.GetMigrations().First();
            var productVersion = ProductInfo.GetVersion();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (Provider == DatabaseProvider.Postgres)
            {
                await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresTakeOverLockKey})", cancellationToken);
            }

            await ExecuteAsync(connection, transaction, history.GetCreateIfNotExistsScript(), cancellationToken);
            var insert = history.GetInsertScript(new HistoryRow(baseline, productVersion)).TrimEnd().TrimEnd(';');
            var recorded = Provider == DatabaseProvider.Sqlite
                ? insert.Replace("INSERT INTO", "INSERT OR IGNORE INTO", StringComparison.Ordinal)
                : insert + " ON CONFLICT DO NOTHING";
            await ExecuteAsync(connection, transaction, recorded, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogScriptedSchemaTakenOver(logger, Provider, baseline);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<bool> ScriptJournalExistsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Provider == DatabaseProvider.Sqlite
            ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{ScriptJournalTable}'"
            : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{ScriptJournalTable}'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static async Task<IReadOnlyList<int>> ScriptVersionsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version FROM {ScriptJournalTable}";
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }

    private async Task UseWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        // WAL is a property of the database file, so setting it once makes every later connection use it:
        // readers no longer block the writer, and the writer no longer blocks readers.
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                LogNotWal(logger, connection.DataSource, mode);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema ({Provider}) is at migration {Migration}; {AppliedCount} migration(s) applied now")]
    private static partial void LogSchemaCurrent(ILogger logger, DatabaseProvider provider, string migration, int appliedCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Provider} database made by the SQL scripts 0001-0008 is taken over: migration {Migration} recorded as applied")]
    private static partial void LogScriptedSchemaTakenOver(ILogger logger, DatabaseProvider provider, string migration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite database {DataSource} runs in journal mode {JournalMode}, not WAL")]
    private static partial void LogNotWal(ILogger logger, string dataSource, string? journalMode);
}
