using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Attachments;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KinerjaWorkflow.Server.Tests.Audit;

/// <summary>
/// The lines one command writes go to the database in one statement, without their numbers read back: each is still
/// stored once, numbered by the database, and the trail reads them back in the order the engine wrote them. What the
/// lines record of the acting person and the completed task's documents is read with the command's instance.
/// </summary>
public sealed class CommandAuditLinesTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_commands_lines_are_stored_and_read_back_in_the_order_written(string provider)
    {
        using var data = new ServerData(provider);
        using var server = new KinerjaServer(data);
        var staf = await server.SignInAsync("staf.uji");
        var kepala = await server.SignInAsync("kepala.uji");
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "baris-audit")).Id();
        await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"));
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Periksa"), "revisi", "Lengkapi lampiran");
        await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"));
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Periksa"), "setuju");

        var history = (await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync()).EnumerateArray().ToList();

        history.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("fromStepId").GetString() ?? e.GetProperty("toSteps")[0].GetProperty("id").GetString()))
            .Should().Equal(
                ("instance-started", "Mulai"),
                ("task-created", "Susun"),
                ("task-completed", "Susun"),
                ("task-created", "Periksa"),
                ("task-completed", "Periksa"),
                ("task-created", "Susun"),
                ("task-completed", "Susun"),
                ("task-created", "Periksa"),
                ("task-completed", "Periksa"),
                ("instance-completed", "Selesai"));
        history.Select(e => e.GetProperty("sequence").GetInt64()).Should().Equal(Enumerable.Range(1, 10).Select(n => (long)n));
        history[4].GetProperty("comment").GetString().Should().Be("Lengkapi lampiran");
        var numbers = await StoredNumbersAsync(data);
        numbers.Select(n => n.Sequence).Should().Equal(Enumerable.Range(1, 10).Select(n => (long)n), "each line is stored once");
        numbers.Select(n => n.Id).Should().OnlyHaveUniqueItems().And.AllSatisfy(id => id.Should().BePositive());
    }

    /// <summary>The command reads the person and the documents with its instance: each role and each document once, in order.</summary>
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_completion_by_a_person_of_two_roles_with_two_documents_records_each_once(string provider)
    {
        using var data = new ServerData(provider);
        using var server = new KinerjaServer(data);
        var kepala = await server.SignInAsync("kepala.uji");
        await kepala.PutAsJsonAsync("/api/users/staf.uji/roles", new { roles = new[] { "Staf", "Kepala Kantor" } }).OkJsonAsync();
        var staf = await server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "dua-peran")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");
        var at = server.Clock.GetUtcNow();
        foreach (var (name, minutes) in new[] { ("lampiran-b.pdf", 0), ("lampiran-a.pdf", 5) })
        {
            server.Clock.SetTo(at.AddMinutes(minutes));
            await staf.PostAsync($"/api/tasks/{susun}/attachments", Documents.Upload(Documents.Pdf(name), name)).OkJsonAsync(HttpStatusCode.Created);
        }

        await staf.CompleteAsync(susun);

        var line = (await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync()).EnumerateArray()
            .Single(e => e.GetProperty("action").GetString() == "task-completed");
        line.GetProperty("actor").GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Kepala Kantor", "Staf");
        line.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("fileName").GetString()).Should().Equal("lampiran-b.pdf", "lampiran-a.pdf");
    }

    /// <summary>The database holds this one instance's trail.</summary>
    private static async Task<List<(long Id, long Sequence)>> StoredNumbersAsync(ServerData data)
    {
        await using DbConnection connection = data.Provider == "postgres"
            ? new NpgsqlConnection(data.ConnectionString)
            : new SqliteConnection($"{data.ConnectionString};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, sequence FROM audit_entries ORDER BY sequence";
        var numbers = new List<(long, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            numbers.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return numbers;
    }
}
