using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.Sqlite;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// The service's open SQLite connections, each context taking the one given back last. A connection's page cache
/// is dropped whole when another connection has written since it last read, and EF's pool hands out its contexts
/// first in, first out: every command started on the connection least recently used, behind everyone's writes, and
/// read its pages again. Taken last in, first out, one client's commands run on one connection, whose cache holds
/// its own writes and whose statements stay prepared (<see cref="SqliteStatementCache"/>).
/// </summary>
public sealed class WarmSqliteConnections(DatabaseSettings settings) : IDisposable
{
    /// <summary>
    /// How many idle connections are kept open, each with its page cache (2 MB at most) and prepared statements; one
    /// given back beyond them is closed.
    /// </summary>
    public const int Kept = 64;

    private readonly ConcurrentStack<SqliteConnection> _idle = new();

    /// <summary>The connection given back last, or a new one (EF opens it, and keeps it open).</summary>
    public SqliteConnection Take() => _idle.TryPop(out var connection) ? connection : new SqliteConnection(settings.ConnectionString);

    /// <summary>
    /// Keeps a connection its context has finished with, unless enough are kept or it broke; a transaction begun
    /// outside EF and left open is rolled back first.
    /// </summary>
    public void Give(SqliteConnection connection)
    {
        KeptOpenSqliteConnection.RollBackLeftOpen(connection);
        if (connection.State is ConnectionState.Open or ConnectionState.Closed && _idle.Count < Kept)
        {
            _idle.Push(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    public void Dispose()
    {
        while (_idle.TryPop(out var connection))
        {
            connection.Dispose();
        }
    }
}
