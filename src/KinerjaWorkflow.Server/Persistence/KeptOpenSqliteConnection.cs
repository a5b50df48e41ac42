using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace KinerjaWorkflow.Server.Persistence;

#pragma warning disable EF1001 // SqliteRelationalConnection is EF's internal API; its close is the one hook for this.

/// <summary>
/// The SQLite connection of a context, kept open between statements: EF otherwise closes it after every statement
/// outside a transaction and when the pool resets the context, and SQLite's prepared statements
/// (<see cref="SqliteStatementCache"/>) die with an open connection. It is closed by whoever owns it: for the service's
/// contexts <see cref="WarmSqliteConnections"/>, for a context made outside the service the context's disposal.
/// </summary>
/// <remarks>
/// An idle open SQLite connection holds no lock: in WAL mode it neither blocks writers nor checkpoints. A connection
/// that broke is closed for real, and one left inside a transaction begun outside EF is rolled back, so the next use
/// starts clean.
/// </remarks>
internal sealed class KeptOpenSqliteConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    /// <summary>
    /// Rolls back a transaction begun on the connection outside EF (a raw BEGIN) and left open. EF rolls back its own
    /// when the context is reset; closing would not do it either, since Microsoft.Data.Sqlite pools the connection
    /// underneath, transaction and all.
    /// </summary>
    public static void RollBackLeftOpen(SqliteConnection connection)
    {
        if (connection.State == ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }
    }

    protected override void CloseDbConnection()
    {
        if (DbConnection is SqliteConnection { State: ConnectionState.Open } connection)
        {
            RollBackLeftOpen(connection);
        }
        else
        {
            base.CloseDbConnection();
        }
    }

    protected override Task CloseDbConnectionAsync()
    {
        CloseDbConnection();
        return Task.CompletedTask;
    }
}

internal static class KeptOpenSqliteConnections
{
    /// <summary>Gives the contexts these options build a <see cref="KeptOpenSqliteConnection"/>.</summary>
    public static DbContextOptionsBuilder KeepSqliteConnectionsOpen(this DbContextOptionsBuilder options) =>
        options.ReplaceService<ISqliteRelationalConnection, KeptOpenSqliteConnection>();
}
