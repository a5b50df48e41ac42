using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>Rows of one table in the source and in the target after a copy.</summary>
public sealed record CopiedTable(string Table, int SourceRows, int TargetRows);

/// <summary>The copy cannot go ahead; nothing was written to the target.</summary>
public sealed class DatabaseCopyException(string message) : Exception(message);

/// <summary>
/// Copies every table of one installation's database into another's, for moving an office that outgrew its
/// SQLite file onto PostgreSQL. Both schemas are first brought to this build's version; the target must be empty;
/// rows go over through the EF model (so every provider's conversions apply) in one target transaction, parents
/// before children, and the row counts are compared afterwards. The scheduler's own storage is not copied: the
/// schedule is rows of the service's database, and the target's scheduler runs them from there.
/// </summary>
public sealed class DatabaseCopy(ILogger<DatabaseCopy> logger)
{
    private const int BatchSize = 500;

    private static readonly MethodInfo CopyTableMethod =
        typeof(DatabaseCopy).GetMethod(nameof(CopyTableAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public async Task<IReadOnlyList<CopiedTable>> CopyAsync(
        Func<KinerjaDbContext> source, Func<KinerjaDbContext> target, CancellationToken ct)
    {
        await using (var db = source())
        {
            await new SchemaMigrator(db, NullLoggerFor<SchemaMigrator>()).ApplyAsync(ct);
        }

        await using (var db = target())
        {
            await new SchemaMigrator(db, NullLoggerFor<SchemaMigrator>()).ApplyAsync(ct);
        }

        var tables = TablesInInsertOrder(target);
        await using (var db = target())
        {
            foreach (var entity in tables)
            {
                if (await CountAsync(db, entity, ct) > 0)
                {
                    throw new DatabaseCopyException(
                        $"The target database already holds rows in {entity.GetTableName()}; copy only into an empty database.");
                }
            }
        }

        await using (var from = source())
        await using (var to = target())
        {
            to.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await to.Database.BeginTransactionAsync(ct);
            foreach (var entity in tables)
            {
                var copied = await (Task<int>)CopyTableMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [from, to, ct])!;
                logger.LogInformation("Copied {Rows} row(s) of {Table}", copied, entity.GetTableName());
            }

            await ResetIdentitySequencesAsync(to, tables, ct);
            await transaction.CommitAsync(ct);
        }

        var result = new List<CopiedTable>();
        await using (var from = source())
        await using (var to = target())
        {
            foreach (var entity in tables)
            {
                result.Add(new CopiedTable(entity.GetTableName()!, await CountAsync(from, entity, ct), await CountAsync(to, entity, ct)));
            }
        }

        var differing = result.Where(t => t.SourceRows != t.TargetRows).ToList();
        if (differing.Count > 0)
        {
            throw new DatabaseCopyException("Row counts differ after the copy: "
                + string.Join(", ", differing.Select(t => $"{t.Table} {t.SourceRows} -> {t.TargetRows}")));
        }

        return result;
    }

    private static ILogger<T> NullLoggerFor<T>() => Microsoft.Extensions.Logging.Abstractions.NullLogger<T>.Instance;

    /// <summary>Parents before children, so every foreign key finds its row.</summary>
    private static List<IEntityType> TablesInInsertOrder(Func<KinerjaDbContext> context)
    {
        using var db = context();
        var layers = ParentsFirst.Layers(db.Model)
            ?? throw new DatabaseCopyException("The tables' foreign keys form a cycle; they cannot be copied parents first.");
        return layers.SelectMany(layer => layer).ToList();
    }

    private static async Task<int> CopyTableAsync<TEntity>(KinerjaDbContext from, KinerjaDbContext to, CancellationToken ct)
        where TEntity : class
    {
        var keys = from.Model.FindEntityType(typeof(TEntity))!.FindPrimaryKey()!.Properties;
        var query = from.Set<TEntity>().AsNoTracking();
        IOrderedQueryable<TEntity> ordered = query.OrderBy(e => EF.Property<object>(e, keys[0].Name));
        foreach (var key in keys.Skip(1))
        {
            ordered = ordered.ThenBy(e => EF.Property<object>(e, key.Name));
        }

        var copied = 0;
        while (true)
        {
            var batch = await ordered.Skip(copied).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                return copied;
            }

            to.Set<TEntity>().AddRange(batch);
            await to.SaveChangesAsync(ct);
            to.ChangeTracker.Clear();
            copied += batch.Count;
        }
    }

    /// <summary>Rows copied with their own ids leave PostgreSQL's identity sequences behind; move them past the highest id.</summary>
    private static async Task ResetIdentitySequencesAsync(KinerjaDbContext to, IEnumerable<IEntityType> tables, CancellationToken ct)
    {
        if (!to.Database.IsNpgsql())
        {
            return;
        }

        foreach (var entity in tables)
        {
            var table = entity.GetTableName()!;
            var identifier = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.OnAdd && (p.ClrType == typeof(long) || p.ClrType == typeof(int))))
            {
                var column = property.GetColumnName(identifier)!;
#pragma warning disable EF1002 // table and column names come from the model, not from input
                await to.Database.ExecuteSqlRawAsync(
                    $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false) WHERE pg_get_serial_sequence('\"{table}\"', '{column}') IS NOT NULL",
                    ct);
#pragma warning restore EF1002
            }
        }
    }

    private static async Task<int> CountAsync(KinerjaDbContext db, IEntityType entity, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{entity.GetTableName()}\"";
            return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
