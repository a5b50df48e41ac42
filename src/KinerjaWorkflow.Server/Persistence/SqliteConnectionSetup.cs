using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// Sets SQLite's busy timeout and durability on every connection EF opens: a writer that meets another writer's
/// lock waits for it (up to the timeout) inside SQLite instead of failing with "database is locked", and
/// <c>synchronous</c> is a setting of the connection, not of the file, so each one must be told.
/// </summary>
/// <remarks>
/// EF opens a connection for each statement outside a transaction, but Microsoft.Data.Sqlite pools the SQLite
/// connection underneath, and a pragma stays set on it for its whole life. So the pragmas run once per SQLite
/// connection, not once per open: a command's thirty-odd opens would otherwise each run them again.
/// </remarks>
internal sealed class SqliteConnectionSetup(int busyTimeoutMilliseconds, SqliteDurability durability, int? checkpointPages) : DbConnectionInterceptor
{
    /// <summary>
    /// The pragmas last run on each pooled SQLite connection. Keyed by the native connection, so a connection the pool
    /// drops is forgotten with it; the value is compared, so two services of one process with different settings on
    /// one file (tests, the bench) each still get their own.
    /// </summary>
    private static readonly ConditionalWeakTable<object, string> Applied = [];

    private readonly string _pragma = Pragmas(busyTimeoutMilliseconds, durability, checkpointPages);

    /// <summary>The statements every connection runs first; the bench's disk ceiling runs them too.</summary>
    /// <param name="checkpointPages">
    /// The log's size at which a commit checkpoints it (<see cref="WalCheckpointer.BackstopPages"/>), when not
    /// SQLite's default.
    /// </param>
    internal static string Pragmas(int busyTimeoutMilliseconds, SqliteDurability durability, int? checkpointPages = null) => string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA synchronous = {(durability == SqliteDurability.Full ? "FULL" : "NORMAL")};{(checkpointPages is { } pages ? $" PRAGMA wal_autocheckpoint = {pages};" : string.Empty)}");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsSetUp(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsSetUp(connection))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        Remember(connection);
    }

    private bool IsSetUp(DbConnection connection) =>
        NativeOf(connection) is { } native && Applied.TryGetValue(native, out var applied) && applied == _pragma;

    private void Remember(DbConnection connection)
    {
        if (NativeOf(connection) is { } native)
        {
            Applied.AddOrUpdate(native, _pragma);
        }
    }

    private static object? NativeOf(DbConnection connection) => (connection as SqliteConnection)?.Handle;
}
