using Microsoft.Data.Sqlite;
using Npgsql;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// Tells a restore that a service is running on the data it would replace. Every running service holds a shared lock
/// on its data from before it touches the database until it ends; a restore takes the same lock exclusively, is
/// refused while any service holds it, and keeps it until done, so no service starts in the middle of a restore.
/// Both kinds of lock end with their holder: on SQLite an operating-system lock on <c>kinerja.db.lock</c> beside the
/// database, on PostgreSQL a session advisory lock (per database). A crashed service, even one killed with kill -9,
/// never blocks a restore, as a pid file would.
/// </summary>
public sealed class RunningServiceLock(BackupSources sources) : IDisposable
{
    /// <summary>"KINERJA" in ASCII, the key of the advisory lock on PostgreSQL.</summary>
    private const long AdvisoryKey = 0x4B494E45524A41;

    private IDisposable? _held;

    /// <summary>Taken by the service at start, before anything reads the database; held until the service ends.</summary>
    public async Task HoldAsync(CancellationToken ct)
    {
        // An in-memory database lives and dies with this one process: nothing can be restored into it.
        if (sources.IsSqlite && new SqliteConnectionStringBuilder(sources.Database.ConnectionString) is var sqlite
            && (sqlite.Mode == SqliteOpenMode.Memory || sqlite.DataSource is "" or ":memory:"))
        {
            return;
        }

        _held = await TakeAsync(sources, exclusive: false, ct) ?? throw new InvalidOperationException(
            $"A restore into {Where(sources)} is running; start the service once it has finished.");
    }

    /// <summary>Taken by a restore for as long as it runs; null while a service runs on the data.</summary>
    public static Task<IDisposable?> TryTakeForRestoreAsync(BackupSources sources, CancellationToken ct) => TakeAsync(sources, exclusive: true, ct);

    public static string Where(BackupSources sources) => sources.IsSqlite ? sources.DatabaseFile : "the configured PostgreSQL database";

    public void Dispose() => _held?.Dispose();

    private static async Task<IDisposable?> TakeAsync(BackupSources sources, bool exclusive, CancellationToken ct)
    {
        if (sources.IsSqlite)
        {
            return LockFile.TryTake(sources.DatabaseFile + ".lock", exclusive);
        }

        return await TryAdvisoryAsync(sources.Database.ConnectionString, exclusive ? "pg_try_advisory_lock" : "pg_try_advisory_lock_shared", AdvisoryKey, ct);
    }

    /// <summary>
    /// Takes a session advisory lock on a connection of its own, held until the lock is disposed or the session ends
    /// (a crash ends it too).
    /// </summary>
    internal static async Task<IDisposable?> TryAdvisoryAsync(string connectionString, string function, long key, CancellationToken ct)
    {
        // Not pooled: a holder that dies must end the session, and the lock with it.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"SELECT {function}(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
            {
                return new AdvisoryLock(connection, function.Replace("pg_try_advisory_lock", "pg_advisory_unlock", StringComparison.Ordinal), key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>
    /// A held advisory lock, unlocked before its connection closes. Closing alone ends the session only once the server
    /// has noticed, a moment later: a restore right after another one, or a backup right after a backup, was refused
    /// meanwhile as though a service or another backup held it.
    /// </summary>
    private sealed class AdvisoryLock(NpgsqlConnection connection, string unlock, long key) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var command = new NpgsqlCommand($"SELECT {unlock}(@key)", connection);
                command.Parameters.AddWithValue("key", key);
                command.ExecuteScalar();
            }
            catch (NpgsqlException)
            {
                // The session is gone already (the server restarted, the network dropped): so is the lock.
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}
