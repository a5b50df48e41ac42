using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>Recognises a save refused by a unique index, where two requests raced past the same check in code.</summary>
public static class UniqueRows
{
    /// <summary>
    /// The save failed because a row of <paramref name="table"/> was already there. Both providers name the table in
    /// the error (SQLite "UNIQUE constraint failed: table.column", PostgreSQL the index "ix_table_…").
    /// </summary>
    public static bool AlreadyIn(DbUpdateException error, string table) =>
        error is not DbUpdateConcurrencyException
        && error.InnerException?.Message.Contains(table, StringComparison.OrdinalIgnoreCase) == true;
}
