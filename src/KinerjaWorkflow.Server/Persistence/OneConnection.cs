using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// Runs a piece of work that sends several statements on one open connection. Left to itself, EF opens and closes
/// the connection around each statement: on PostgreSQL each of those is a trip to Npgsql's pool. The connection is
/// closed again afterwards (or stays open when the caller had opened it), so nothing holds one past the work. On
/// SQLite the connection stays open anyway (<see cref="KeptOpenSqliteConnection"/>), and this changes nothing.
/// </summary>
public static class OneConnection
{
    public static async Task<T> OnOneConnectionAsync<T>(this KinerjaDbContext db, Func<Task<T>> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
