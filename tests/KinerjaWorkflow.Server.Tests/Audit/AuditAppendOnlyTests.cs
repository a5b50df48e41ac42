using System.Data.Common;
using System.Text;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KinerjaWorkflow.Server.Tests.Audit;

/// <summary>The database itself keeps the audit trails append-only, on both providers, whoever sends the SQL.</summary>
public sealed class AuditAppendOnlyTests
{
    private static readonly string[] Refused =
    [
        "UPDATE audit_entries SET detail = 'diubah', user_name = 'penyusup'",
        "DELETE FROM audit_entries",
        "UPDATE admin_audit SET detail = 'diubah'",
        "DELETE FROM admin_audit",
    ];

    /// <summary>REPLACE deletes the line it collides with without firing a DELETE trigger; a trigger on insert stops it.</summary>
    private static readonly string[] RefusedOnSqlite =
    [
        "REPLACE INTO audit_entries (id, instance_id, sequence, office_id, at, actor, user_name, action, detail) "
            + "SELECT id, instance_id, sequence, office_id, at, actor, 'penyusup', action, 'diubah' FROM audit_entries",
        "INSERT OR REPLACE INTO admin_audit (id, office_id, at, user_name, action, target, detail) "
            + "SELECT id, office_id, at, 'penyusup', action, target, 'diubah' FROM admin_audit",
    ];

    private static readonly string[] RefusedOnPostgres =
    [
        "INSERT INTO audit_entries SELECT * FROM audit_entries ON CONFLICT (id) DO UPDATE SET detail = 'diubah'",
        "TRUNCATE audit_entries",
        "TRUNCATE admin_audit",
    ];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Raw_sql_cannot_change_or_delete_a_line_and_the_trail_stays_as_it_was(string provider)
    {
        using var data = new ServerData(provider);
        using var server = new KinerjaServer(data);
        var staf = await server.SignInAsync("staf.uji");
        await staf.CompleteAsync(await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "audit-tetap")).Id(), "Susun"));
        await using var connection = Open(data);
        await ExecuteAsync(connection, "INSERT INTO admin_audit (office_id, at, user_name, action, target) VALUES ('kantor-uji', 0, 'kepala.uji', 'user-created', 'staf.uji3')");
        var before = await DumpAsync(connection);

        foreach (var sql in Refused.Concat(provider == "postgres" ? RefusedOnPostgres : RefusedOnSqlite))
        {
            var act = () => ExecuteAsync(connection, sql);

            (await act.Should().ThrowAsync<DbException>(sql)).Which.Message.Should().Contain("append-only");
        }

        (await DumpAsync(connection)).Should().Be(before);
    }

    private static DbConnection Open(ServerData data)
    {
        DbConnection connection = data.Provider == "postgres"
            ? new NpgsqlConnection(data.ConnectionString)
            : new SqliteConnection($"{data.ConnectionString};Pooling=False");
        connection.Open();
        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> DumpAsync(DbConnection connection)
    {
        var dump = new StringBuilder();
        foreach (var query in new[]
        {
            "SELECT id, sequence, user_name, action, detail FROM audit_entries ORDER BY id",
            "SELECT id, user_name, action, detail FROM admin_audit ORDER BY id",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = query;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append(reader.GetValue(i)).Append('|');
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }
}
