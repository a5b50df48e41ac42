using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace KinerjaWorkflow.Server.Persistence;

#pragma warning disable EF1001 // SqliteRelationalConnection is EF's internal API; its close is the one hook for this.

/// <summary>
/// A pooled context's SQLite connection that stays open between statements and between the context's uses, closed only
/// when the context itself is disposed. SQLite keeps prepared statements per open connection
/// (<see cref="SqliteStatementCache"/>), and EF otherwise closes the connection after every statement outside a
/// transaction and whenever the pool takes the context back.
/// </summary>
/// <remarks>
/// An idle open SQLite connection holds no lock: in WAL mode it neither blocks writers nor checkpoints. A connection
/// that broke, or that a failure left inside a transaction, is closed for real, so the next use starts clean.
/// </remarks>
internal sealed class KeptOpenSqliteConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    /// <summary>
    /// How many idle SQLite contexts the pool keeps, each with its open connection and its page cache (2 MB at most);
    /// a context returned beyond them is disposed, closing its connection. EF's default, 1024, suits connections that
    /// close when idle, not these.
    /// </summary>
    public const int ContextsKept = 64;

    protected override void CloseDbConnection()
    {
        if (MustClose())
        {
            base.CloseDbConnection();
        }
    }

    protected override Task CloseDbConnectionAsync() => MustClose() ? base.CloseDbConnectionAsync() : Task.CompletedTask;

    private bool MustClose() =>
        DbConnection is not SqliteConnection { State: ConnectionState.Open } connection
        || SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0;
}

internal static class KeptOpenSqliteConnections
{
    /// <summary>Gives the contexts these options build a <see cref="KeptOpenSqliteConnection"/>.</summary>
    public static DbContextOptionsBuilder KeepSqliteConnectionsOpen(this DbContextOptionsBuilder options) =>
        options.ReplaceService<ISqliteRelationalConnection, KeptOpenSqliteConnection>();
}
