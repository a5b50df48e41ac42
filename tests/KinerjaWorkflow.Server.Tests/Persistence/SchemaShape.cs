using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>A table as both sides describe it: the EF model and the scripted database.</summary>
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
    /// <summary>The tables of the EF model; <paramref name="storeType"/> maps a column's store type for comparison.</summary>
    public static Dictionary<string, TableShape> FromModel(DbContext db, Func<string, string> storeType)
    {
        var tables = new Dictionary<string, TableShape>(StringComparer.Ordinal);
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            var generated = table.Columns
                .Where(c => c.PropertyMappings.Any(m => m.Property.ValueGenerated == ValueGenerated.OnAdd && m.Property.ClrType == typeof(long)))
                .Select(c => c.Name)
                .SingleOrDefault();
            tables[table.Name] = new TableShape(
                table.Name,
                table.Columns.Select(c => new ColumnShape(c.Name, storeType(c.StoreType), c.IsNullable)).ToList(),
                string.Join(",", table.PrimaryKey!.Columns.Select(c => c.Name)),
                table.Indexes.Select(i => new IndexShape(i.Name, string.Join(",", i.Columns.Select(c => c.Name)), i.IsUnique)).ToList(),
                table.ForeignKeyConstraints.Select(f => new ForeignKeyShape(
                    string.Join(",", f.Columns.Select(c => c.Name)),
                    f.PrincipalTable.Name,
                    string.Join(",", f.PrincipalColumns.Select(c => c.Name)),
                    f.OnDeleteAction switch
                    {
                        ReferentialAction.Cascade => "CASCADE",
                        ReferentialAction.Restrict => "RESTRICT",
                        ReferentialAction.SetNull => "SET NULL",
                        _ => "NO ACTION",
                    })).ToList(),
                generated);
        }

        return tables;
    }

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

    /// <summary>The tables a PostgreSQL script creates, read from its text.</summary>
    public static Dictionary<string, TableShape> FromPostgresScript(string sql)
    {
        var tables = new Dictionary<string, TableShape>(StringComparer.Ordinal);
        var indexes = IndexStatement().Matches(sql)
            .Select(m => (Table: m.Groups["table"].Value, Index: new IndexShape(
                m.Groups["name"].Value, Columns(m.Groups["columns"].Value), m.Groups["unique"].Success)))
            .ToList();
        foreach (Match table in TableStatement().Matches(sql))
        {
            var name = table.Groups["name"].Value;
            var columns = new List<ColumnShape>();
            var primaryKey = "";
            string? generated = null;
            var foreignKeys = new List<ForeignKeyShape>();
            foreach (var line in table.Groups["body"].Value.Split('\n').Select(l => l.Trim().TrimEnd(',')).Where(l => l.Length > 0))
            {
                if (PrimaryKeyClause().Match(line) is { Success: true } pk)
                {
                    primaryKey = Columns(pk.Groups["columns"].Value);
                }
                else if (ForeignKeyClause().Match(line) is { Success: true } fk)
                {
                    foreignKeys.Add(new ForeignKeyShape(
                        Columns(fk.Groups["columns"].Value), fk.Groups["table"].Value, Columns(fk.Groups["principal"].Value), fk.Groups["action"].Value));
                }
                else
                {
                    var column = ColumnClause().Match(line);
                    column.Success.Should().BeTrue($"'{line}' in table {name} should be a column definition");
                    var identity = column.Groups["rest"].Value.Contains("GENERATED BY DEFAULT AS IDENTITY", StringComparison.Ordinal);
                    if (identity)
                    {
                        generated = column.Groups["name"].Value;
                    }

                    columns.Add(new ColumnShape(
                        column.Groups["name"].Value,
                        column.Groups["type"].Value,
                        !identity && !column.Groups["rest"].Value.Contains("NOT NULL", StringComparison.Ordinal)));
                }
            }

            columns.AddRange(AddColumnStatement().Matches(sql)
                .Where(m => m.Groups["table"].Value == name)
                .Select(m => new ColumnShape(
                    m.Groups["name"].Value, m.Groups["type"].Value, !m.Groups["rest"].Value.Contains("NOT NULL", StringComparison.Ordinal))));
            var dropped = DropColumnStatement().Matches(sql)
                .Where(m => m.Groups["table"].Value == name)
                .Select(m => m.Groups["name"].Value)
                .ToHashSet(StringComparer.Ordinal);
            columns.RemoveAll(c => dropped.Contains(c.Name));
            tables[name] = new TableShape(
                name, columns, primaryKey, indexes.Where(i => i.Table == name).Select(i => i.Index).ToList(), foreignKeys, generated);
        }

        // A later script drops tables an earlier one created (0005: the SLA tables the schedule replaced).
        foreach (Match dropped in DropTableStatement().Matches(sql))
        {
            tables.Remove(dropped.Groups["name"].Value);
        }

        return tables;
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

    [GeneratedRegex(@"CREATE TABLE (?<name>\w+) \((?<body>.*?)\n\);", RegexOptions.Singleline)]
    private static partial Regex TableStatement();

    [GeneratedRegex(@"DROP TABLE (IF EXISTS )?(?<name>\w+);")]
    private static partial Regex DropTableStatement();

    [GeneratedRegex(@"ALTER TABLE (?<table>\w+) ADD COLUMN (?<name>\w+) (?<type>\w+)(?<rest>[^;]*);")]
    private static partial Regex AddColumnStatement();

    [GeneratedRegex(@"ALTER TABLE (?<table>\w+) DROP COLUMN (?<name>\w+);")]
    private static partial Regex DropColumnStatement();

    [GeneratedRegex(@"CREATE (?<unique>UNIQUE )?INDEX (?<name>\w+) ON (?<table>\w+) \((?<columns>[^)]*)\);")]
    private static partial Regex IndexStatement();

    [GeneratedRegex(@"^CONSTRAINT \w+ PRIMARY KEY \((?<columns>[^)]*)\)$")]
    private static partial Regex PrimaryKeyClause();

    [GeneratedRegex(@"^CONSTRAINT \w+ FOREIGN KEY \((?<columns>[^)]*)\) REFERENCES (?<table>\w+) \((?<principal>[^)]*)\) ON DELETE (?<action>[A-Z ]+)$")]
    private static partial Regex ForeignKeyClause();

    [GeneratedRegex(@"^(?<name>\w+) (?<type>\w+)(?<rest>.*)$")]
    private static partial Regex ColumnClause();
}
