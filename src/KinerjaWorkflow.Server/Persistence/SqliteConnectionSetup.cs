using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// Sets SQLite's busy timeout and durability on every connection EF opens: a writer that meets another writer's
/// lock waits for it (up to the timeout) inside SQLite instead of failing with "database is locked", and
/// <c>synchronous</c> is a setting of the connection, not of the file, so each one must be told.
/// </summary>
internal sealed class SqliteConnectionSetup(int busyTimeoutMilliseconds, SqliteDurability durability) : DbConnectionInterceptor
{
    private readonly string _pragma = Pragmas(busyTimeoutMilliseconds, durability);

    /// <summary>The statements every connection runs first; the bench's disk ceiling runs them too.</summary>
    internal static string Pragmas(int busyTimeoutMilliseconds, SqliteDurability durability) => string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA synchronous = {(durability == SqliteDurability.Full ? "FULL" : "NORMAL")};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
