using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>A schema script recorded in schema_versions as applied.</summary>
public sealed record SchemaVersion(int Version, string Name, DateTimeOffset AppliedAt, string Checksum);

/// <summary>The database's schema cannot be brought to what this build expects; the service must not start.</summary>
public sealed class SchemaMigrationException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// Brings the database to the schema of this build by applying the provider's scripts in order, each in its
/// own transaction together with its row in schema_versions. Several nodes may start at once: on SQLite the
/// write lock taken by each transaction, on PostgreSQL an advisory lock, makes them apply each script once.
/// </summary>
public sealed partial class SchemaMigrator(KinerjaDbContext db, TimeProvider timeProvider, ILogger<SchemaMigrator> logger)
{
    /// <summary>Any fixed number will do; it only has to be the same on every node.</summary>
    private const long PostgresLockKey = 4_617_215_001;

    public DatabaseProvider Provider { get; } = db.Database.ProviderName switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => DatabaseProvider.Sqlite,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => DatabaseProvider.Postgres,
        var other => throw new NotSupportedException($"The EF provider '{other}' has no schema scripts."),
    };

    /// <summary>Applies the scripts not applied yet; returns those it applied.</summary>
    public Task<IReadOnlyList<SchemaVersion>> ApplyAsync(CancellationToken cancellationToken) =>
        ApplyAsync(SchemaScripts.For(Provider), cancellationToken);

    internal async Task<IReadOnlyList<SchemaVersion>> ApplyAsync(
        IReadOnlyList<SchemaScript> scripts, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (Provider == DatabaseProvider.Sqlite)
            {
                await UseWriteAheadLogAsync(connection, cancellationToken);
            }

            await InTransactionAsync(connection, (tx, ct) => ExecuteAsync(connection, tx, VersionTableSql, ct), cancellationToken);
            var applied = await ReadAppliedAsync(connection, null, cancellationToken);
            Verify(scripts, applied);

            var newlyApplied = new List<SchemaVersion>();
            foreach (var script in scripts.Where(s => !applied.ContainsKey(s.Version)))
            {
                var version = await ApplyScriptAsync(connection, script, cancellationToken);
                if (version is not null)
                {
                    newlyApplied.Add(version);
                }
            }

            LogSchemaCurrent(logger, Provider, scripts.Count == 0 ? 0 : scripts.Max(s => s.Version), newlyApplied.Count);
            return newlyApplied;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The scripts recorded as applied, in version order.</summary>
    public async Task<IReadOnlyList<SchemaVersion>> AppliedVersionsAsync(CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var applied = await ReadAppliedAsync(connection, null, cancellationToken);
            return applied.Values.OrderBy(v => v.Version).ToList();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private string VersionTableSql => Provider == DatabaseProvider.Sqlite
        ? """
          CREATE TABLE IF NOT EXISTS "schema_versions" (
              "version" INTEGER NOT NULL CONSTRAINT "pk_schema_versions" PRIMARY KEY,
              "name" TEXT NOT NULL,
              "applied_at" INTEGER NOT NULL,
              "checksum" TEXT NOT NULL
          );
          """
        : """
          CREATE TABLE IF NOT EXISTS schema_versions (
              version integer NOT NULL,
              name text NOT NULL,
              applied_at bigint NOT NULL,
              checksum text NOT NULL,
              CONSTRAINT pk_schema_versions PRIMARY KEY (version)
          );
          """;

    private async Task UseWriteAheadLogAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL is a property of the database file, so setting it once makes every later connection use it:
        // readers no longer block the writer, and the writer no longer blocks readers.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            LogNotWal(logger, connection.DataSource, mode);
        }
    }

    private void Verify(IReadOnlyList<SchemaScript> scripts, IReadOnlyDictionary<int, SchemaVersion> applied)
    {
        var folder = SchemaScripts.FolderName(Provider);
        foreach (var script in scripts)
        {
            if (applied.TryGetValue(script.Version, out var recorded) && recorded.Checksum != script.Checksum)
            {
                throw new SchemaMigrationException(
                    $"Schema script {script.Version:D4}_{script.Name}.sql ({folder}) was changed after it was applied to this " +
                    $"database on {recorded.AppliedAt:u}: recorded checksum {recorded.Checksum}, the script now has {script.Checksum}. " +
                    "An applied script must never be edited; restore it and put the change in a new script with the next number.");
            }
        }

        var known = scripts.Select(s => s.Version).ToHashSet();
        foreach (var unknown in applied.Values.Where(v => !known.Contains(v.Version)))
        {
            LogUnknownVersion(logger, unknown.Version, unknown.Name);
        }
    }

    private async Task<SchemaVersion?> ApplyScriptAsync(DbConnection connection, SchemaScript script, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var version = await InTransactionAsync(connection, async (tx, ct) =>
        {
            // Another node may have applied it since we looked; under the lock, look again.
            var applied = await ReadAppliedAsync(connection, tx, ct);
            if (applied.ContainsKey(script.Version))
            {
                return null;
            }

            await ExecuteAsync(connection, tx, script.Sql, ct);
            var recorded = new SchemaVersion(script.Version, script.Name, timeProvider.GetUtcNow(), script.Checksum);
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO schema_versions (version, name, applied_at, checksum) VALUES (@version, @name, @appliedAt, @checksum)";
            AddParameter(insert, "@version", recorded.Version);
            AddParameter(insert, "@name", recorded.Name);
            AddParameter(insert, "@appliedAt", recorded.AppliedAt.ToUnixTimeMilliseconds());
            AddParameter(insert, "@checksum", recorded.Checksum);
            await insert.ExecuteNonQueryAsync(ct);
            return recorded;
        }, cancellationToken);

        if (version is not null)
        {
            LogScriptApplied(logger, version.Version, version.Name, Provider, stopwatch.ElapsedMilliseconds);
        }

        return version;
    }

    private async Task<T> InTransactionAsync<T>(
        DbConnection connection, Func<DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        // On SQLite this begins IMMEDIATE, taking the write lock at once, so no two migrators interleave.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (Provider == DatabaseProvider.Postgres)
        {
            await using var lockCommand = connection.CreateCommand();
            lockCommand.Transaction = transaction;
            lockCommand.CommandText = $"SELECT pg_advisory_xact_lock({PostgresLockKey})";
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var result = await work(transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new SchemaMigrationException(
                $"Applying the {SchemaScripts.FolderName(Provider)} schema failed and was rolled back: {ex.Message}", ex);
        }
    }

    private Task InTransactionAsync(
        DbConnection connection, Func<DbTransaction, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        InTransactionAsync(connection, async (tx, ct) =>
        {
            await work(tx, ct);
            return true;
        }, cancellationToken);

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyDictionary<int, SchemaVersion>> ReadAppliedAsync(
        DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, name, applied_at, checksum FROM schema_versions";
        var applied = new Dictionary<int, SchemaVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            applied[version] = new SchemaVersion(
                version,
                reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.GetString(3));
        }

        return applied;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema ({Provider}) is at version {SchemaVersion}; {AppliedCount} script(s) applied now")]
    private static partial void LogSchemaCurrent(ILogger logger, DatabaseProvider provider, int schemaVersion, int appliedCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema script {SchemaVersion} {SchemaScript} ({Provider}) in {ElapsedMs} ms")]
    private static partial void LogScriptApplied(ILogger logger, int schemaVersion, string schemaScript, DatabaseProvider provider, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite database {DataSource} runs in journal mode {JournalMode}, not WAL")]
    private static partial void LogNotWal(ILogger logger, string dataSource, string? journalMode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has schema version {SchemaVersion} ({SchemaScript}) which this build does not know; a newer build applied it")]
    private static partial void LogUnknownVersion(ILogger logger, int schemaVersion, string schemaScript);

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
