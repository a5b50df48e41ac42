using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// The rows a context tracks, without the change detection <see cref="DbSet{TEntity}.Local"/> runs first over every
/// tracked row of every table. A command looks up the rows it holds several times (each changed task, the ended
/// tasks' schedule rows), and finding a row by its key or reading its values needs no detection: the tracked entity
/// is the object itself. The rows are saved by <see cref="TrackedRows"/>, which detects the changes once.
/// </summary>
public static class UndetectedLocal
{
    public static LocalView<T> LocalWithoutDetecting<T>(this DbSet<T> rows, DbContext db)
        where T : class
    {
        var detecting = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return rows.Local;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }
}
