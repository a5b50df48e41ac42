using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// Runs a piece of work that sends several statements on one open connection. Left to itself, EF opens and closes
/// the connection around each statement, and on SQLite every open registers EF's SQL functions on the connection
/// again: a completion's twenty statements were twenty opens, a good part of its CPU and memory. The connection is
/// closed again afterwards (or stays open when the caller had opened it), so nothing holds one past the work.
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
