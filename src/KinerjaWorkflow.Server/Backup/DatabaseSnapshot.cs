using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// Reads one instant of the service's database through a connection inside a read transaction: every table's rows
/// and a digest of their contents, the applied migrations, and the documents the rows refer to. The same reading of
/// a restored copy must give the same digests, which is how a restore proves it holds the source as it was.
/// </summary>
internal sealed class DatabaseSnapshot(DbConnection connection, DbTransaction transaction, bool sqlite)
{
    public const string MigrationsTable = "__EFMigrationsHistory";

    public async Task<IReadOnlyList<BackupTable>> TablesAsync(CancellationToken ct)
    {
        var tables = await ListAsync(
            sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
            ct);
        var result = new List<BackupTable>();
        foreach (var table in tables.Order(StringComparer.Ordinal))
        {
            result.Add(await ReadTableAsync(table, ct));
        }

        return result;
    }

    /// <summary>The migrations applied to this database, oldest first; empty when it has none.</summary>
    public async Task<IReadOnlyList<string>> MigrationsAsync(CancellationToken ct)
    {
        var exists = await ListAsync(
            sqlite
                ? $"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{MigrationsTable}'"
                : $"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{MigrationsTable}'",
            ct);
        return exists.Count == 0
            ? []
            : (await ListAsync($"SELECT \"MigrationId\" FROM \"{MigrationsTable}\"", ct)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The distinct document checksums the given column of the given table holds.</summary>
    public async Task<IReadOnlyList<string>> DocumentsAsync(string table, string column, CancellationToken ct) =>
        (await ListAsync($"SELECT DISTINCT \"{column}\" FROM \"{table}\"", ct)).Order(StringComparer.Ordinal).ToList();

    private async Task<BackupTable> ReadTableAsync(string table, CancellationToken ct)
    {
        var keys = await ListAsync(
            sqlite
                ? $"SELECT name FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk"
                : $"SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) " +
                  $"WHERE i.indrelid = '\"{table}\"'::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
            ct);
        var order = keys.Count > 0
            ? string.Join(", ", keys.Select(k => $"\"{k}\""))
            : sqlite ? "rowid" : "1";

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY {order}";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync(ct))
        {
            rows++;
            reader.GetValues(values);
            foreach (var value in values)
            {
                var text = Encoding.UTF8.GetBytes(Canonical(value));
                hash.AppendData(BitConverter.GetBytes(text.Length));
                hash.AppendData(text);
            }
        }

        return new BackupTable(table, rows, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>One value as text that differs whenever the value or its stored type does.</summary>
    private static string Canonical(object value) => value switch
    {
        DBNull => "null",
        byte[] bytes => "blob:" + Convert.ToHexStringLower(bytes),
        DateTime time => "datetime:" + time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => "datetimeoffset:" + time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => value.GetType().Name + ":" + formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.GetType().Name + ":" + value,
    };

    private async Task<List<string>> ListAsync(string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return result;
    }
}
