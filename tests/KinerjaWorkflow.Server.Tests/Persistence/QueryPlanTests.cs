using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.ScaleOut;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>
/// The pages staff open all day answer from indexes: no query they send scans a table that grows with every
/// instance (tasks, audit lines, notifications...). On a small database a scan is as fast as a search, so only the
/// plan shows the page that would slow down year after year. SQLite's plans, read with EXPLAIN QUERY PLAN for the
/// exact statements EF Core sent.
/// </summary>
public sealed partial class QueryPlanTests : IDisposable
{
    private static readonly HashSet<string> GrowingTables =
    [
        "instances", "tasks", "audit_entries", "attachments", "notifications", "notification_deliveries", "scheduled_items", "jobs",
    ];

    private readonly ServerData _data = new("sqlite");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_inbox_the_task_and_the_notifications_search_indexes_and_scan_no_growing_table()
    {
        // Before the server: EF Core looks for listeners at most once a second per context.
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var staf = await server.SignInAsync("staf.uji");
        var kepala = await server.SignInAsync("kepala.uji");
        await staf.SetClockAsync(Wita("2025-03-03T08:00"));
        var first = (await staf.StartAsync("uji-laporan-sederhana", "rencana-1")).Id();
        await staf.StartAsync("uji-laporan-sederhana", "rencana-2");
        var susun = await staf.OpenTaskAsync(first, "Susun");
        (await staf.PostAsync($"/api/tasks/{susun}/claim", null)).EnsureSuccessStatusCode();
        (await staf.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { })).EnsureSuccessStatusCode();
        var periksa = await kepala.OpenTaskAsync(first, "Periksa");

        // The second Susun, 2 Jam late: reminded at 09:30, escalated to the Kepala at 10:00.
        await staf.SetClockAsync(Wita("2025-03-03T10:00"));
        (await kepala.GetAsync("/api/supervision/escalations").OkJsonAsync()).GetArrayLength().Should().Be(1);

        foreach (var (client, page) in new[]
        {
            (staf, "/api/tasks?status=active"),
            (staf, "/api/tasks?mine=true&status=active"),
            (staf, "/api/tasks?status=completed"),
            (staf, "/api/tasks/counts"),
            (staf, $"/api/tasks/{susun}"),
            (kepala, $"/api/tasks/{periksa}"),
            (staf, "/api/notifications"),
            (staf, "/api/notifications/count"),
            (staf, "/api/instances?status=active"),
            (staf, $"/api/instances/{first}"),
            (staf, $"/api/instances/{first}/history"),
            (kepala, "/api/supervision/overdue"),
            (kepala, "/api/supervision/escalations"),
            (kepala, "/api/notifications"),
        })
        {
            capture.Take();
            (await client.GetAsync(page)).EnsureSuccessStatusCode();
            var statements = capture.Take();
            statements.Should().NotBeEmpty($"GET {page} reads the database");
            Scans(statements).Should().BeEmpty($"GET {page} answers from indexes");
        }
    }

    [Fact]
    public async Task A_completion_reads_its_task_and_instance_in_one_statement_from_indexes_before_it_writes()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var staf = await server.SignInAsync("staf.uji");
        await staf.SetClockAsync(Wita("2025-03-03T08:00"));
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "satu-bacaan")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");

        capture.Take();
        (await staf.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { })).EnsureSuccessStatusCode();
        var statements = capture.Take().ToList();

        // The capture is of the file: the service's background loops (the schedule's sweep) read it meanwhile too, so
        // only the reads of tasks and instances before the command writes its instance, and not the sweep's look for
        // due reminders, are the completion's load.
        var instanceWritten = statements.FindIndex(s => s.Text.TrimStart().StartsWith("UPDATE \"instances\"", StringComparison.Ordinal));
        instanceWritten.Should().BePositive("the completion writes its instance");
        var load = ReadsOfTasksOrInstances(statements.Take(instanceWritten));
        load.Should().ContainSingle("the task, its instance, the person's roles and the task's documents come in one statement")
            .Which.Text.Should().Contain("\"tasks\"").And.Contain("\"instances\"");
        Scans(load).Should().BeEmpty();
    }

    [Fact]
    public async Task An_instance_page_reads_the_instance_with_its_open_steps_in_one_statement_so_both_are_of_one_moment()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var staf = await server.SignInAsync("staf.uji");
        await staf.SetClockAsync(Wita("2025-03-03T08:00"));
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "satu-saat")).Id();

        capture.Take();
        (await staf.GetAsync($"/api/instances/{instance}")).EnsureSuccessStatusCode();

        // Two statements would each see their own moment: a completion committing between them showed the next step
        // with the variables from before the step that opened it.
        var reads = ReadsOfTasksOrInstances(capture.Take());
        reads.Should().ContainSingle("the instance and its open steps come in one statement")
            .Which.Text.Should().Contain("\"tasks\"").And.Contain("\"instances\"");
        Scans(reads).Should().BeEmpty();
    }

    [Fact]
    public async Task A_completion_sets_its_instances_status_only_when_it_ends_the_instance()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var staf = await server.SignInAsync("staf.uji");
        var kepala = await server.SignInAsync("kepala.uji");
        await staf.SetClockAsync(Wita("2025-03-03T08:00"));
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "status-sekali")).Id();

        async Task<string> InstanceWrittenByAsync(HttpClient client, string step, object completion)
        {
            var task = await client.OpenTaskAsync(instance, step);
            capture.Take();
            (await client.PostAsJsonAsync($"/api/tasks/{task}/complete", completion)).EnsureSuccessStatusCode();
            return capture.Take().Single(s => s.Text.TrimStart().StartsWith("UPDATE \"instances\"", StringComparison.Ordinal)).Text;
        }

        // SQLite rewrites an index on every column an UPDATE sets, even to the value it had.
        (await InstanceWrittenByAsync(staf, "Susun", new { })).Should().NotContain("\"status\"", "the instance stays active, and its (office, status) index as it was");
        (await InstanceWrittenByAsync(kepala, "Periksa", new { outcome = "setuju" })).Should().Contain("\"status\"", "the last step completes the instance");
    }

    [Fact]
    public async Task A_completion_answers_with_its_task_and_the_step_before_without_reading_a_task_again()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var staf = await server.SignInAsync("staf.uji");
        var kepala = await server.SignInAsync("kepala.uji");
        await staf.SetClockAsync(Wita("2025-03-03T08:00"));
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "jawaban-tanpa-baca")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");
        (await staf.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { comment = "Draf terlampir." })).EnsureSuccessStatusCode();
        var periksa = await kepala.OpenTaskAsync(instance, "Periksa");

        capture.Take();
        var answer = await kepala.PostAsJsonAsync($"/api/tasks/{periksa}/complete", new { outcome = "setuju", comment = "Disetujui." }).OkJsonAsync();
        var statements = capture.Take().ToList();

        answer.GetProperty("status").GetString().Should().Be("completed");
        answer.GetProperty("completedByName").GetString().Should().Be("Kepala Uji (Kepala Kantor)");
        answer.GetProperty("comment").GetString().Should().Be("Disetujui.");
        var previous = answer.GetProperty("previous");
        previous.GetProperty("taskId").GetGuid().Should().Be(susun);
        previous.GetProperty("stepName").GetString().Should().Be("Menyusun laporan");
        previous.GetProperty("stepNumber").GetInt32().Should().Be(1);
        previous.GetProperty("completedBy").GetString().Should().Be("staf.uji");
        previous.GetProperty("completedByName").GetString().Should().Be("Staf Uji Satu (Staf)");
        previous.GetProperty("completedAt").GetDateTimeOffset().Should().Be(Wita("2025-03-03T08:00"));
        previous.GetProperty("comment").GetString().Should().Be("Draf terlampir.");

        AfterTheLastWrite(statements).Where(ReadsTasks)
            .Should().BeEmpty("the task is answered as the command wrote it, and the step before as its completion line recorded it");
    }

    [Fact]
    public async Task A_completion_names_the_person_who_did_the_step_before_from_what_an_earlier_answer_read_at_the_same_people_stamp()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var staf = await server.SignInAsync("staf.uji");
        var kepala = await server.SignInAsync("kepala.uji");
        await staf.SetClockAsync(Wita("2025-03-03T08:00"));

        async Task<(JsonElement Answer, List<CapturedSql> Statements)> SecondStepAsync(string businessKey)
        {
            var instance = (await staf.StartAsync("uji-laporan-sederhana", businessKey)).Id();
            (await staf.PostAsJsonAsync($"/api/tasks/{await staf.OpenTaskAsync(instance, "Susun")}/complete", new { })).EnsureSuccessStatusCode();
            var periksa = await kepala.OpenTaskAsync(instance, "Periksa");
            capture.Take();
            var answer = await kepala.PostAsJsonAsync($"/api/tasks/{periksa}/complete", new { outcome = "setuju" }).OkJsonAsync();
            return (answer, capture.Take().ToList());
        }

        var (first, firstStatements) = await SecondStepAsync("nama-pertama");
        var (second, secondStatements) = await SecondStepAsync("nama-kedua");

        foreach (var answer in new[] { first, second })
        {
            answer.GetProperty("previous").GetProperty("completedByName").GetString().Should().Be("Staf Uji Satu (Staf)");
        }

        AfterTheLastWrite(firstStatements).Where(ReadsUsers).Should().NotBeEmpty("nobody had named the person before at this stamp");
        AfterTheLastWrite(secondStatements).Where(ReadsUsers).Should().BeEmpty("the first answer read the person's label at the same people stamp");
    }

    [Fact]
    public async Task A_start_of_a_version_already_compiled_reads_the_version_without_its_bpmn_text_and_with_the_calendar_stamp()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var (_, _, statements) = await SecondStartAsync(server, capture);

        statements.Should().NotContain(s => s.Text.Contains("\"xml\"", StringComparison.Ordinal), "the compiled model is kept by the version's id");
        statements.Should().Contain(
            s => s.Text.Contains("\"definitions\"", StringComparison.Ordinal) && s.Text.Contains("\"service_settings\"", StringComparison.Ordinal),
            "the calendar stamp comes with the version to start");
    }

    [Fact]
    public async Task A_call_activity_starts_the_called_sop_without_reading_the_called_versions_bpmn_text()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var kepala = await server.SignInAsync("kepala.uji");
        await kepala.StartAsync("uji-panggil-laporan", "rekap-pertama");

        capture.Take();
        var parent = (await kepala.StartAsync("uji-panggil-laporan", "rekap-kedua")).Id();
        var statements = capture.Take().ToList();

        var children = await kepala.GetAsync("/api/instances?definitionKey=uji-laporan-sederhana").OkJsonAsync();
        children.EnumerateArray().Select(c => c.GetProperty("businessKey").GetString()).Should().BeEquivalentTo("rekap-pertama", "rekap-kedua");
        var child = children.EnumerateArray().Single(c => c.GetProperty("businessKey").GetString() == "rekap-kedua").Id();
        (await kepala.GetAsync($"/api/instances/{child}").OkJsonAsync()).GetProperty("parentInstanceId").GetGuid().Should().Be(parent);
        statements.Should().NotContain(s => s.Text.Contains("\"xml\"", StringComparison.Ordinal), "the called version's model is compiled and kept by its id");
    }

    [Fact]
    public async Task A_start_answers_with_the_tasks_it_opened_and_its_starter_without_reading_either_again()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var (staf, answer, statements) = await SecondStartAsync(server, capture);

        answer.GetProperty("startedByName").GetString().Should().Be("Staf Uji Satu (Staf)");
        var step = answer.GetProperty("activeSteps").EnumerateArray().Should().ContainSingle().Subject;
        step.GetProperty("stepId").GetString().Should().Be("Susun");
        step.GetProperty("stepName").GetString().Should().Be("Menyusun laporan");
        step.GetProperty("dueAt").GetDateTimeOffset().Should().Be(Wita("2025-03-03T10:00"));
        (await staf.OpenTaskAsync(answer.Id(), "Susun")).Should().Be(step.GetProperty("taskId").GetGuid());

        AfterTheLastWrite(statements).Where(s => ReadsTasks(s) || s.Text.Contains("FROM \"users\"", StringComparison.Ordinal))
            .Should().BeEmpty("the answer names the tasks the command opened, and the starter as the command read them for the trail");
    }

    [Fact]
    public async Task The_sweep_finds_the_reminders_and_escalations_due_from_the_open_tasks_index_alone()
    {
        using var capture = new SqlCapture(_data.DatabasePath);
        using var server = new KinerjaServer(_data);
        var staf = await server.SignInAsync("staf.uji");
        await staf.SetClockAsync(Wita("2025-03-03T08:00"));
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "sapuan")).Id();
        var done = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "selesai")).Id(), "Susun");
        (await staf.PostAsJsonAsync($"/api/tasks/{done}/complete", new { })).EnsureSuccessStatusCode();

        capture.Take();
        await staf.SetClockAsync(Wita("2025-03-03T09:30"));
        var sweeps = capture.Take().Where(s => s.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && s.Text.Contains("\"next_sla_step_at\" <=", StringComparison.Ordinal)).ToList();

        sweeps.Should().NotBeEmpty("moving the clock sweeps, and the sweep looks for due steps");
        Scans(sweeps).Should().BeEmpty();
        sweeps.SelectMany(PlanOf).Should().OnlyContain(
            line => line.StartsWith("SEARCH t USING INDEX ix_tasks_next_sla_step_at ", StringComparison.Ordinal),
            "only open tasks with a step waiting are in that index, not every task ever given");
        using var scope = server.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().ScheduledItems.CountAsync(i => i.InstanceId == instance && i.Kind == "reminder"))
            .Should().Be(1, "the open task's reminder was due at 09:30");
    }

    /// <summary>
    /// A start of a version already started once, so its model is compiled: the answer and the statements of that
    /// second start alone.
    /// </summary>
    private static async Task<(HttpClient Staf, JsonElement Answer, List<CapturedSql> Statements)> SecondStartAsync(KinerjaServer server, SqlCapture capture)
    {
        var staf = await server.SignInAsync("staf.uji");
        await staf.SetClockAsync(Wita("2025-03-03T08:00"));
        await staf.StartAsync("uji-laporan-sederhana", "pertama");

        capture.Take();
        var answer = await staf.StartAsync("uji-laporan-sederhana", "kedua");
        return (staf, answer, capture.Take().ToList());
    }

    /// <summary>The statements after a command's last write: what its answer read once it had committed.</summary>
    private static IEnumerable<CapturedSql> AfterTheLastWrite(List<CapturedSql> statements)
    {
        var lastWrite = statements.FindLastIndex(s => Regex.IsMatch(s.Text, @"^\s*(INSERT|UPDATE|DELETE)\b", RegexOptions.IgnoreCase));
        lastWrite.Should().BePositive("the command writes");
        return statements.Skip(lastWrite + 1);
    }

    private static bool ReadsUsers(CapturedSql statement) => statement.Text.Contains("FROM \"users\"", StringComparison.Ordinal);

    /// <summary>
    /// A statement that reads tasks, other than the schedule's sweep looking for due steps: the capture is of the file,
    /// and the sweep reads it on its own meanwhile.
    /// </summary>
    private static bool ReadsTasks(CapturedSql statement) =>
        statement.Text.Contains("FROM \"tasks\"", StringComparison.Ordinal) && !IsSweepLookingForDueSteps(statement);

    /// <summary>The reads of tasks or instances among the statements, other than the sweep's look for due steps.</summary>
    private static List<CapturedSql> ReadsOfTasksOrInstances(IEnumerable<CapturedSql> statements) => statements
        .Where(s => s.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && !IsSweepLookingForDueSteps(s))
        .Where(s => s.Text.Contains("\"tasks\"", StringComparison.Ordinal) || s.Text.Contains("\"instances\"", StringComparison.Ordinal))
        .ToList();

    private static bool IsSweepLookingForDueSteps(CapturedSql statement) =>
        statement.Text.Contains("\"next_sla_step_at\" <=", StringComparison.Ordinal);

    /// <summary>Each statement that scans a growing table, with the plan's line that says so.</summary>
    private List<string> Scans(IReadOnlyList<CapturedSql> statements)
    {
        var scans = new List<string>();
        foreach (var statement in statements.Where(s => s.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)))
        {
            var tables = Aliases().Matches(statement.Text).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
            foreach (var step in PlanOf(statement))
            {
                if (ScanOf().Match(step) is { Success: true } scan
                    && GrowingTables.Contains(tables.GetValueOrDefault(scan.Groups[1].Value, scan.Groups[1].Value)))
                {
                    scans.Add($"{step} in: {statement.Text}");
                }
            }
        }

        return scans;
    }

    /// <summary>The lines of SQLite's plan for the statement, as EXPLAIN QUERY PLAN gives them.</summary>
    private List<string> PlanOf(CapturedSql statement)
    {
        using var connection = new SqliteConnection($"Data Source={_data.DatabasePath};Mode=ReadOnly");
        connection.Open();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + statement.Text;
        foreach (var name in statement.ParameterNames)
        {
            explain.Parameters.AddWithValue(name, DBNull.Value);
        }

        using var plan = explain.ExecuteReader();
        var lines = new List<string>();
        while (plan.Read())
        {
            lines.Add(plan.GetString(3));
        }

        return lines;
    }

    /// <summary>"FROM "tasks" AS "t"": a table and the alias the plan names it by.</summary>
    [GeneratedRegex("(?:FROM|JOIN)\\s+\"([a-z_]+)\"\\s+AS\\s+\"([a-z0-9_]+)\"")]
    private static partial Regex Aliases();

    [GeneratedRegex("^SCAN (\\w+)")]
    private static partial Regex ScanOf();
}
