using System.Globalization;
using Npgsql;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// One service backup at a time across the installation. On SQLite one process serves the data, so a semaphore in it
/// is enough; on PostgreSQL, where several nodes serve it, a session advisory lock, which ends with the node that
/// holds it however that node ends.
/// </summary>
internal sealed class BackupTurn(BackupSources sources) : IDisposable
{
    /// <summary>"KINERJB": next to the running-service lock's key.</summary>
    private const long AdvisoryKey = 0x4B494E45524A42;

    private readonly SemaphoreSlim _sqlite = new(1, 1);

    /// <summary>The turn, to dispose when the backup is done; null while another backup has it.</summary>
    public async Task<IDisposable?> TryTakeAsync(CancellationToken ct)
    {
        if (!sources.IsSqlite)
        {
            return await RunningServiceLock.TryAdvisoryAsync(sources.Database.ConnectionString, "pg_try_advisory_lock", AdvisoryKey, ct);
        }

        return await _sqlite.WaitAsync(TimeSpan.Zero, ct) ? new Release(_sqlite) : null;
    }

    /// <summary>Whether a backup has the turn now, on any node; asked without taking it, so it never gets in a backup's way.</summary>
    public async Task<bool> IsTakenAsync(CancellationToken ct)
    {
        if (sources.IsSqlite)
        {
            return _sqlite.CurrentCount == 0;
        }

        await using var connection = new NpgsqlConnection(sources.Database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted " +
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
            "AND classid::bigint = @high AND objid::bigint = @low AND objsubid = 1)",
            connection);
        command.Parameters.AddWithValue("high", AdvisoryKey >> 32);
        command.Parameters.AddWithValue("low", AdvisoryKey & 0xFFFFFFFF);
        return Convert.ToBoolean(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _sqlite.Dispose();

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
