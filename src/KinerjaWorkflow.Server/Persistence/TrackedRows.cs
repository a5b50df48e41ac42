using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// Writes a unit of work's tracked rows with statements built once per table and set of changed columns, in the
/// transaction the caller holds. EF's own SaveChanges rebuilds the SQL of every row at every save and sorts, batches
/// and tracks what it sends: on a command's eight small writes that was most of the command's CPU and allocation
/// (bench/README.md, issue 17). The statements still go through EF's relational command, so its logging, diagnostics
/// and type mappings (the Unix-millisecond instants, SQLite's text GUIDs) are the same as SaveChanges'.
/// Anything outside the plain shape (a deleted row, an inherited or owned type, a column the database computes) is
/// left to SaveChanges, which then writes the whole unit of work.
/// A key the database numbers (audit lines) is not read back: such rows of one table go in one INSERT and leave the
/// context once written, with no number. Nothing on the command path reads a line's number (the trail is ordered by
/// its sequence, which the command gives); reading the numbers back would cost a RETURNING statement per row, since
/// neither provider promises RETURNING's rows in the order of the VALUES. Work that needs the number uses SaveChanges.
/// </summary>
public static class TrackedRows
{
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<StatementKey, RowStatement>> StatementsByModel = [];

    /// <summary>
    /// Writes every added and modified row, then marks them unchanged as SaveChanges does. A modified row whose
    /// concurrency token no longer matches fails the save with <see cref="DbUpdateConcurrencyException"/>; a refused
    /// row (a unique index) with <see cref="DbUpdateException"/> carrying the provider's error, as SaveChanges would.
    /// </summary>
    public static Task SaveAsync(DbContext db, CancellationToken ct) => SaveAsync(db, [], ct);

    /// <summary>
    /// Writes the tracked rows as <see cref="SaveAsync(DbContext, CancellationToken)"/> does, and inserts
    /// <paramref name="untracked"/> with them: new rows the context does not track, which stay untracked. Should the
    /// work fall to SaveChanges, they are added to the context first, so it writes them too.
    /// </summary>
    public static Task SaveAsync(DbContext db, IReadOnlyList<object> untracked, CancellationToken ct) => SaveAsync(db, untracked, [], ct);

    /// <summary>
    /// Writes the tracked rows and inserts <paramref name="untracked"/> as <see cref="SaveAsync(DbContext, IReadOnlyList{object}, CancellationToken)"/>
    /// does, and writes <paramref name="changed"/>: rows the context does not track, changed by their unit of work, each
    /// by the columns it names. They are written by these statements even when the rest falls to SaveChanges.
    /// </summary>
    public static async Task SaveAsync(DbContext db, IReadOnlyList<object> untracked, IReadOnlyList<RowChange> changed, CancellationToken ct)
    {
        var tracker = db.ChangeTracker;
        var changes = new List<(IEntityType Type, RowChange Change)>(changed.Count);
        foreach (var change in changed)
        {
            var type = db.Model.FindEntityType(change.Entity.GetType());
            if (type is null || !IsPlain(type) || (IsGuarded(type) && change.ReadToken is null))
            {
                throw new InvalidOperationException(
                    $"A {change.Entity.GetType().Name} changed outside the context must be a plain table's row, with the token it was read at when it has one.");
            }

            changes.Add((type, change));
        }

        var added = new List<NewRow>();
        var modified = new List<EntityEntry>();
        foreach (var entry in EntriesWithChangesDetected(tracker))
        {
            switch (entry.State)
            {
                case EntityState.Added when IsPlain(entry.Metadata) && !HoldsOwnKeyForDatabaseNumbering(entry):
                    added.Add(new NewRow(entry.Metadata, entry, entry.Entity));
                    break;
                case EntityState.Modified when IsPlain(entry.Metadata):
                    modified.Add(entry);
                    break;
                case EntityState.Added or EntityState.Modified or EntityState.Deleted:
                    await SaveAllChangesAsync(db, untracked, changes, ct);
                    return;
            }
        }

        foreach (var row in untracked)
        {
            if (db.Model.FindEntityType(row.GetType()) is not { } type || !IsPlain(type) || HoldsOwnKeyForDatabaseNumbering(type, row))
            {
                await SaveAllChangesAsync(db, untracked, changes, ct);
                return;
            }

            added.Add(new NewRow(type, null, row));
        }

        if (added.Count == 0 && modified.Count == 0 && changes.Count == 0)
        {
            return;
        }

        if (LayerOf(db.Model) is not { } layer)
        {
            await SaveAllChangesAsync(db, untracked, changes, ct);
            return;
        }

        var writer = Writer.Of(db, ct);

        try
        {
            // A row guarded by a version is written first: a racing unit of work then fails on that version (a 409)
            // before it sends anything it adds. A row it adds that the winner added too (the same idempotency key)
            // would otherwise be a unique-index refusal instead of the conflict.
            foreach (var entry in modified.Where(e => IsGuarded(e.Metadata)))
            {
                await writer.UpdateAsync(entry);
            }

            foreach (var (type, change) in changes.Where(c => IsGuarded(c.Type)))
            {
                await writer.UpdateAsync(type, change);
            }

            var firstOfType = new Dictionary<IEntityType, int>();
            foreach (var row in added)
            {
                firstOfType.TryAdd(row.Type, firstOfType.Count);
            }

            foreach (var rows in InsertGroups(added.OrderBy(r => layer[r.Type]).ThenBy(r => firstOfType[r.Type])))
            {
                await writer.InsertAsync(rows);
            }

            foreach (var entry in modified.Where(e => !IsGuarded(e.Metadata)))
            {
                await writer.UpdateAsync(entry);
            }

            foreach (var (type, change) in changes.Where(c => !IsGuarded(c.Type)))
            {
                await writer.UpdateAsync(type, change);
            }
        }
        catch (DbException refused)
        {
            throw Refused(refused);
        }

        foreach (var row in added.Where(r => r.Entry is not null && DatabaseNumbered(r.Type) is not null))
        {
            row.Entry!.State = EntityState.Detached;
        }

        tracker.AcceptAllChanges();
    }

    /// <summary>
    /// The tracked rows, those read having their changes detected as SaveChanges would detect them. A row added is
    /// written with the values it holds now, so nothing is detected on it unless its type has navigations, through
    /// which a change could reach another row. Most of a command's rows are added (its audit lines, the tasks it
    /// opens), and detecting changes on every row was about 3% of a whole instance's CPU (bench/README.md, issue 17).
    /// </summary>
    private static IEnumerable<EntityEntry> EntriesWithChangesDetected(ChangeTracker tracker)
    {
        if (!tracker.AutoDetectChangesEnabled)
        {
            return tracker.Entries();
        }

        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var entries = tracker.Entries().ToList();
            foreach (var entry in entries)
            {
                if (entry.State is EntityState.Unchanged or EntityState.Modified || entry.Metadata.GetNavigations().Any())
                {
                    entry.DetectChanges();
                }
            }

            return entries;
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <summary>
    /// Each table's layer in <see cref="ParentsFirst"/>, so a row inserted with the row it refers to (a called
    /// instance's tasks) goes after it; null when the foreign keys form a cycle, which SaveChanges sorts out itself.
    /// </summary>
    private static IReadOnlyDictionary<IEntityType, int>? LayerOf(IModel model) =>
        Layers.GetValue(model, m => ParentsFirst.Layers(m) is { } layers
            ? layers.SelectMany((tables, depth) => tables.Select(table => (table, depth))).ToDictionary(t => t.table, t => t.depth)
            : null);

    private static readonly ConditionalWeakTable<IModel, IReadOnlyDictionary<IEntityType, int>?> Layers = [];

    private static bool IsGuarded(IEntityType type) => type.GetProperties().Any(p => p.IsConcurrencyToken);

    /// <summary>One table of its own, columns the caller gives values for: what a plain INSERT or UPDATE can write.</summary>
    private static bool IsPlain(IEntityType type) =>
        PlainTypes.GetValue(type, t =>
            new StrongBox<bool>(
                t.GetTableName() is not null
                && t.BaseType is null
                && !t.GetDirectlyDerivedTypes().Any()
                && !t.IsOwned()
                && !t.GetNavigations().Any(n => n.TargetEntityType.IsOwned())
                && t.FindPrimaryKey() is not null
                && t.GetProperties().Count() <= 64
                && t.GetProperties().All(p => p.GetComputedColumnSql() is null
                    && (p.ValueGenerated == ValueGenerated.Never || (p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey()))))).Value;

    /// <summary>A row given its own value for a key the database numbers: the INSERT would drop it, so SaveChanges writes it.</summary>
    private static bool HoldsOwnKeyForDatabaseNumbering(EntityEntry entry) =>
        DatabaseNumbered(entry.Metadata) is { } key && !entry.Property(key).IsTemporary;

    private static bool HoldsOwnKeyForDatabaseNumbering(IEntityType type, object row) =>
        DatabaseNumbered(type) is { } key && !key.GetGetter().HasSentinelValueUsingContainingEntity(row);

    /// <summary>
    /// The unit of work as SaveChanges writes it, but for the rows changed outside the context: those are written first
    /// by their own statements, the guarded ones first, since attaching them could meet a copy of the same row the
    /// context tracks.
    /// </summary>
    private static async Task SaveAllChangesAsync(DbContext db, IReadOnlyList<object> untracked, List<(IEntityType Type, RowChange Change)> changes, CancellationToken ct)
    {
        if (changes.Count > 0)
        {
            var writer = Writer.Of(db, ct);
            try
            {
                foreach (var (type, change) in changes.OrderBy(c => IsGuarded(c.Type) ? 0 : 1))
                {
                    await writer.UpdateAsync(type, change);
                }
            }
            catch (DbException refused)
            {
                throw Refused(refused);
            }
        }

        if (untracked.Count > 0)
        {
            db.AddRange(untracked);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>The statements of one save: built once per model and column set, run on the context's connection.</summary>
    private sealed class Writer(
        DbContext db,
        ConcurrentDictionary<StatementKey, RowStatement> statements,
        IRelationalConnection connection,
        IRelationalCommandDiagnosticsLogger logger,
        IRelationalCommandBuilderFactory builders,
        ISqlGenerationHelper sql,
        CancellationToken ct)
    {
        public static Writer Of(DbContext db, CancellationToken ct) => new(
            db,
            StatementsByModel.GetValue(db.Model, _ => new ConcurrentDictionary<StatementKey, RowStatement>()),
            db.GetService<IRelationalConnection>(),
            db.GetService<IRelationalCommandDiagnosticsLogger>(),
            db.GetService<IRelationalCommandBuilderFactory>(),
            db.GetService<ISqlGenerationHelper>(),
            ct);

        public async Task UpdateAsync(EntityEntry entry)
        {
            var (changed, nulls) = ChangedColumns(entry);
            if (changed != 0)
            {
                await Update(entry.Metadata, changed, nulls).UpdateAsync(entry, connection, logger, db, ct);
            }
        }

        public async Task UpdateAsync(IEntityType type, RowChange change)
        {
            var (changed, nulls) = ChangedColumns(type, change);
            if (changed != 0)
            {
                await Update(type, changed, nulls).UpdateAsync(type, change, connection, logger, db, ct);
            }
        }

        public Task InsertAsync(List<NewRow> rows)
        {
            var (values, nulls) = ValuesOf(rows);
            var statement = statements.GetOrAdd(new StatementKey(rows[0].Type, 0, rows.Count, nulls), key => RowStatement.Insert(key.Type, key.Rows, key.Nulls, builders, sql));
            return statement.InsertAsync(values, connection, logger, db, ct);
        }

        private RowStatement Update(IEntityType type, ulong changed, ulong nulls) =>
            statements.GetOrAdd(new StatementKey(type, changed, 1, nulls), key => RowStatement.Update(key.Type, key.Changed, key.Nulls, builders, sql));
    }

    /// <summary>A statement the database refused (a unique index), as SaveChanges reports it.</summary>
    private static DbUpdateException Refused(DbException refused) =>
        new("An error occurred while saving the entity changes. See the inner exception for details.", refused);

    /// <summary>A row to insert: one the context tracks as added, or one it does not track (no entry).</summary>
    private readonly record struct NewRow(IEntityType Type, EntityEntry? Entry, object Entity)
    {
        public void CopyValues(IProperty[] properties, Span<object?> into)
        {
            if (Entry is { } entry)
            {
                var current = entry.CurrentValues;
                for (var i = 0; i < properties.Length; i++)
                {
                    into[i] = current[properties[i]];
                }

                return;
            }

            for (var i = 0; i < properties.Length; i++)
            {
                into[i] = properties[i].GetGetter().GetClrValueUsingContainingEntity(Entity);
            }
        }
    }

    /// <summary>An integer key the database numbers on insert (audit lines); it is left out of the INSERT and not read back.</summary>
    private static IProperty? DatabaseNumbered(IEntityType type) =>
        type.FindPrimaryKey() is { Properties: [{ ValueGenerated: ValueGenerated.OnAdd } key] } && (key.ClrType == typeof(long) || key.ClrType == typeof(int))
            ? key
            : null;

    private static readonly ConditionalWeakTable<IEntityType, StrongBox<bool>> PlainTypes = [];

    /// <summary>
    /// The modified columns as bits over the entity type's property order (keys are never among them), and those of them
    /// set to null, which the statement writes as NULL rather than as a parameter.
    /// </summary>
    private static (ulong Changed, ulong Nulls) ChangedColumns(EntityEntry entry)
    {
        ulong changed = 0;
        ulong nulls = 0;
        var current = entry.CurrentValues;
        var index = 0;
        foreach (var property in entry.Metadata.GetProperties())
        {
            if (!property.IsPrimaryKey() && entry.Property(property).IsModified)
            {
                changed |= 1UL << index;
                if (current[property] is null)
                {
                    nulls |= 1UL << index;
                }
            }

            index++;
        }

        return (changed, nulls);
    }

    /// <summary>The columns a row changed outside the context names, as bits, and those of them now null (keys are never among them).</summary>
    private static (ulong Changed, ulong Nulls) ChangedColumns(IEntityType type, RowChange change)
    {
        ulong changed = 0;
        ulong nulls = 0;
        var properties = PropertiesOf(type);
        for (var i = 0; i < properties.Length; i++)
        {
            if (!properties[i].IsPrimaryKey() && change.Columns.Contains(properties[i].Name))
            {
                changed |= 1UL << i;
                if (properties[i].GetGetter().GetClrValueUsingContainingEntity(change.Entity) is null)
                {
                    nulls |= 1UL << i;
                }
            }
        }

        return (changed, nulls);
    }

    /// <summary>
    /// The rows' values, row after row in the entity type's property order, and the columns null in every row as bits
    /// over that order: a new row leaves many columns empty (a task not yet completed, a reminder not yet sent), and a
    /// NULL written into the statement costs no parameter to create and bind.
    /// </summary>
    private static (object?[] Values, ulong Nulls) ValuesOf(List<NewRow> rows)
    {
        var properties = PropertiesOf(rows[0].Type);
        var values = new object?[rows.Count * properties.Length];
        var nulls = properties.Length == 64 ? ulong.MaxValue : (1UL << properties.Length) - 1;
        for (var row = 0; row < rows.Count; row++)
        {
            var rowValues = values.AsSpan(row * properties.Length, properties.Length);
            rows[row].CopyValues(properties, rowValues);
            for (var i = 0; i < properties.Length; i++)
            {
                if (rowValues[i] is not null)
                {
                    nulls &= ~(1UL << i);
                }
            }
        }

        return (values, nulls);
    }

    private static IProperty[] PropertiesOf(IEntityType type) => Properties.GetValue(type, t => t.GetProperties().ToArray());

    private static readonly ConditionalWeakTable<IEntityType, IProperty[]> Properties = [];

    private readonly record struct StatementKey(IEntityType Type, ulong Changed, int Rows, ulong Nulls);

    /// <summary>Most rows one INSERT carries: a task's reminder and escalations, a step's tasks for each unit.</summary>
    private const int MaxRowsPerInsert = 16;

    /// <summary>The rows of one table, in the order they were added, go in one INSERT.</summary>
    private static IEnumerable<List<NewRow>> InsertGroups(IEnumerable<NewRow> added)
    {
        List<NewRow>? group = null;
        foreach (var entry in added)
        {
            if (group is not null && (group[0].Type != entry.Type || group.Count == MaxRowsPerInsert))
            {
                yield return group;
                group = null;
            }

            (group ??= []).Add(entry);
        }

        if (group is not null)
        {
            yield return group;
        }
    }

    /// <summary>One INSERT or UPDATE of one table and column set, with the values that fill its parameters.</summary>
    private sealed class RowStatement
    {
        /// <summary>
        /// The SQL and its parameters, shared by every unit of work. A command is not: it keeps its data reader for
        /// the next execution, so each execution rents the connection's own command and fills it from this template,
        /// as EF does with its cached queries.
        /// </summary>
        private readonly IRelationalCommandTemplate _template;
        private readonly string[] _names;

        /// <summary>An INSERT's parameters: where each one's value is among the rows' values.</summary>
        private readonly int[] _valueAt;

        /// <summary>An UPDATE's parameters: the changed columns' new values, then the key and the tokens it must still match.</summary>
        private readonly IProperty[] _values;
        private readonly IProperty[] _where;

        private RowStatement(IRelationalCommandTemplate template, string[] names, int[] valueAt, IProperty[] values, IProperty[] where)
        {
            _template = template;
            _names = names;
            _valueAt = valueAt;
            _values = values;
            _where = where;
        }

        /// <summary>Every column but a key the database numbers (audit lines); a column null in every row is written as NULL.</summary>
        public static RowStatement Insert(IEntityType type, int rows, ulong nulls, IRelationalCommandBuilderFactory builders, ISqlGenerationHelper sql)
        {
            var generated = DatabaseNumbered(type);
            var properties = PropertiesOf(type);
            var columns = Enumerable.Range(0, properties.Length).Where(i => properties[i] != generated).ToArray();
            var builder = builders.Create();
            var text = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(type.GetTableName()!)).Append(" (");
            text.AppendJoin(", ", columns.Select(i => sql.DelimitIdentifier(properties[i].GetColumnName()))).Append(") VALUES ");
            var names = new List<string>();
            var valueAt = new List<int>();
            for (var row = 0; row < rows; row++)
            {
                text.Append(row == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Length; c++)
                {
                    var i = columns[c];
                    text.Append(c == 0 ? "" : ", ");
                    if ((nulls & (1UL << i)) != 0)
                    {
                        text.Append("NULL");
                        continue;
                    }

                    var name = "p" + names.Count;
                    names.Add(name);
                    valueAt.Add(row * properties.Length + i);
                    text.Append(sql.GenerateParameterNamePlaceholder(name));
                    builder.AddParameter(name, sql.GenerateParameterName(name), properties[i].GetRelationalTypeMapping(), properties[i].IsNullable);
                }

                text.Append(')');
            }

            builder.Append(text.ToString());
            return new RowStatement(builder.Build(), [.. names], [.. valueAt], [], []);
        }

        /// <summary>
        /// The changed columns, where the key and every concurrency token still hold their original values; a column
        /// changed to null is set to NULL.
        /// </summary>
        public static RowStatement Update(IEntityType type, ulong changed, ulong nulls, IRelationalCommandBuilderFactory builders, ISqlGenerationHelper sql)
        {
            var properties = PropertiesOf(type);
            var values = properties.Where((_, i) => (changed & (1UL << i)) != 0 && (nulls & (1UL << i)) == 0).ToArray();
            var setToNull = properties.Where((_, i) => (nulls & (1UL << i)) != 0);
            var where = properties.Where(p => p.IsPrimaryKey()).Concat(properties.Where(p => p.IsConcurrencyToken && !p.IsPrimaryKey())).ToArray();
            var builder = builders.Create();
            var text = new StringBuilder("UPDATE ").Append(sql.DelimitIdentifier(type.GetTableName()!)).Append(" SET ");
            var names = new string[values.Length + where.Length];
            for (var i = 0; i < names.Length; i++)
            {
                var property = i < values.Length ? values[i] : where[i - values.Length];
                names[i] = "p" + i;
                if (i == values.Length)
                {
                    text.AppendJoin("", setToNull.Select((p, n) => (values.Length + n == 0 ? "" : ", ") + sql.DelimitIdentifier(p.GetColumnName()) + " = NULL"));
                }

                var column = sql.DelimitIdentifier(property.GetColumnName());
                var placeholder = sql.GenerateParameterNamePlaceholder(names[i]);
                text.Append(i == values.Length ? " WHERE " : i == 0 ? "" : i < values.Length ? ", " : " AND ")
                    .Append(column).Append(" = ").Append(placeholder);
                builder.AddParameter(names[i], sql.GenerateParameterName(names[i]), property.GetRelationalTypeMapping(), property.IsNullable);
            }

            builder.Append(text.ToString());
            return new RowStatement(builder.Build(), names, [], values, where);
        }

        public async Task InsertAsync(object?[] values, IRelationalConnection connection, IRelationalCommandDiagnosticsLogger logger, DbContext db, CancellationToken ct)
        {
            var parameters = new Dictionary<string, object?>(_names.Length);
            for (var n = 0; n < _names.Length; n++)
            {
                parameters[_names[n]] = values[_valueAt[n]];
            }

            var command = Rent(connection);
            try
            {
                await command.ExecuteNonQueryAsync(new RelationalCommandParameterObject(connection, parameters, null, db, logger, CommandSource.SaveChanges), ct);
            }
            finally
            {
                connection.ReturnCommand(command);
            }
        }

        private IRelationalCommand Rent(IRelationalConnection connection)
        {
            var command = connection.RentCommand();
            command.PopulateFrom(_template);
            return command;
        }

        public async Task UpdateAsync(EntityEntry entry, IRelationalConnection connection, IRelationalCommandDiagnosticsLogger logger, DbContext db, CancellationToken ct)
        {
            var current = entry.CurrentValues;
            var original = entry.OriginalValues;
            var parameters = new Dictionary<string, object?>(_names.Length);
            for (var i = 0; i < _values.Length; i++)
            {
                parameters[_names[i]] = current[_values[i]];
            }

            for (var i = 0; i < _where.Length; i++)
            {
                parameters[_names[_values.Length + i]] = _where[i].IsPrimaryKey() ? current[_where[i]] : original[_where[i]];
            }

            await UpdateOneAsync(entry.Metadata, parameters, connection, logger, db, ct);
        }

        public async Task UpdateAsync(IEntityType type, RowChange change, IRelationalConnection connection, IRelationalCommandDiagnosticsLogger logger, DbContext db, CancellationToken ct)
        {
            var parameters = new Dictionary<string, object?>(_names.Length);
            for (var i = 0; i < _values.Length; i++)
            {
                parameters[_names[i]] = _values[i].GetGetter().GetClrValueUsingContainingEntity(change.Entity);
            }

            for (var i = 0; i < _where.Length; i++)
            {
                parameters[_names[_values.Length + i]] = _where[i].IsPrimaryKey() ? _where[i].GetGetter().GetClrValueUsingContainingEntity(change.Entity) : change.ReadToken;
            }

            await UpdateOneAsync(type, parameters, connection, logger, db, ct);
        }

        /// <summary>Runs the UPDATE, which must match its one row by key and version.</summary>
        private async Task UpdateOneAsync(
            IEntityType type, Dictionary<string, object?> parameters, IRelationalConnection connection, IRelationalCommandDiagnosticsLogger logger, DbContext db, CancellationToken ct)
        {
            var command = Rent(connection);
            int written;
            try
            {
                written = await command.ExecuteNonQueryAsync(new RelationalCommandParameterObject(connection, parameters, null, db, logger, CommandSource.SaveChanges), ct);
            }
            finally
            {
                connection.ReturnCommand(command);
            }

            if (written != 1)
            {
                throw new DbUpdateConcurrencyException(
                    $"The {type.GetTableName()} row was changed or removed by someone else since it was read: {written} rows matched its key and version.");
            }
        }
    }
}

/// <summary>
/// A row its unit of work changed without the context tracking it: <see cref="Columns"/> are written by its key, and
/// where its table has a concurrency token, only while the token still holds <see cref="ReadToken"/>, the value it
/// was read at.
/// </summary>
public sealed record RowChange(object Entity, IReadOnlySet<string> Columns, object? ReadToken = null);
