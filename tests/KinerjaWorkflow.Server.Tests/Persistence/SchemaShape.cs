using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>A table as SQLite describes it, for comparing the schemas two databases have.</summary>
internal sealed record TableShape(
    string Name,
    IReadOnlyList<ColumnShape> Columns,
    string PrimaryKey,
    IReadOnlyList<IndexShape> Indexes,
    IReadOnlyList<ForeignKeyShape> ForeignKeys,
    string? GeneratedColumn);

internal sealed record ColumnShape(string Name, string Type, bool Nullable);

/// <summary>Columns are joined in order, because an index's column order matters.</summary>
internal sealed record IndexShape(string Name, string Columns, bool Unique);

internal sealed record ForeignKeyShape(string Columns, string PrincipalTable, string PrincipalColumns, string OnDelete);

internal static partial class SchemaShape
{
    /// <summary>The tables of a SQLite database, as PRAGMA reports them.</summary>
    public static Dictionary<string, TableShape> FromSqlite(SqliteConnection connection)
    {
        var tables = new Dictionary<string, TableShape>(StringComparer.Ordinal);
        foreach (var (name, sql) in Query(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                     r => (r.GetString(0), r.GetString(1))))
        {
            var columns = Query(connection, $"PRAGMA table_info(\"{name}\")",
                r => (Name: r.GetString(1), Type: r.GetString(2), NotNull: r.GetInt64(3) == 1, Pk: r.GetInt32(5)));
            var indexes = Query(connection, $"PRAGMA index_list(\"{name}\")",
                    r => (Name: r.GetString(1), Unique: r.GetInt64(2) == 1, Origin: r.GetString(3)))
                .Where(i => i.Origin == "c")
                .Select(i => new IndexShape(
                    i.Name,
                    string.Join(",", Query(connection, $"PRAGMA index_info(\"{i.Name}\")", r => (Seq: r.GetInt32(0), Column: r.GetString(2)))
                        .OrderBy(c => c.Seq).Select(c => c.Column)),
                    i.Unique))
                .ToList();
            var foreignKeys = Query(connection, $"PRAGMA foreign_key_list(\"{name}\")",
                    r => (Id: r.GetInt32(0), Seq: r.GetInt32(1), Table: r.GetString(2), From: r.GetString(3), To: r.GetString(4), OnDelete: r.GetString(6)))
                .GroupBy(f => f.Id)
                .Select(g => new ForeignKeyShape(
                    string.Join(",", g.OrderBy(f => f.Seq).Select(f => f.From)),
                    g.First().Table,
                    string.Join(",", g.OrderBy(f => f.Seq).Select(f => f.To)),
                    g.First().OnDelete))
                .ToList();
            tables[name] = new TableShape(
                name,
                columns.Select(c => new ColumnShape(c.Name, SqliteAffinity(c.Type), !c.NotNull)).ToList(),
                string.Join(",", columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name)),
                indexes,
                foreignKeys,
                sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase) ? columns.Single(c => c.Pk == 1).Name : null);
        }

        return tables;
    }

    /// <summary>The triggers of a SQLite database: table, name and their SQL with whitespace folded.</summary>
    public static List<string> SqliteTriggers(SqliteConnection connection) =>
        Query(connection, "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
            r => $"{r.GetString(0)} {r.GetString(1)}: {Whitespace().Replace(r.GetString(2), " ")}");

    /// <summary>
    /// A PostgreSQL schema as its catalog reports it, one line per column, index, constraint, trigger and function,
    /// sorted, without the tables that only journal migrations.
    /// </summary>
    public static async Task<List<string>> FromPostgresAsync(NpgsqlConnection connection, params string[] journalTables)
    {
        const string Catalog = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' identity=' || is_identity, table_name
              FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT 'index ' || indexdef, tablename FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid), conrelid::regclass::text
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid), tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL SELECT 'function ' || proname || ': ' || prosrc, '' FROM pg_proc WHERE pronamespace = 'public'::regnamespace
            """;
        await using var command = new NpgsqlCommand(Catalog, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            if (!journalTables.Contains(reader.GetString(1).Trim('"')))
            {
                lines.Add(reader.GetString(0));
            }
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }

    /// <summary>SQLite's type affinity rules (https://sqlite.org/datatype3.html, 3.1).</summary>
    public static string SqliteAffinity(string declaredType)
    {
        var type = declaredType.ToUpperInvariant();
        if (type.Contains("INT", StringComparison.Ordinal))
        {
            return "INTEGER";
        }

        if (type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal))
        {
            return "TEXT";
        }

        if (type.Length == 0 || type.Contains("BLOB", StringComparison.Ordinal))
        {
            return "BLOB";
        }

        return type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal)
            ? "REAL"
            : "NUMERIC";
    }

    private static string Columns(string list) => string.Join(",", list.Split(',').Select(c => c.Trim()));

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
