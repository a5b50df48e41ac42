using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.ScaleOut;
using static KinerjaWorkflow.Server.Tests.Backup.BackupKit;

namespace KinerjaWorkflow.Server.Tests.Backup;

/// <summary>Backups an admin starts or the schedule takes, what the admins see of them, and what they are told when one fails.</summary>
public sealed class BackupAdminTests : IDisposable
{
    private readonly ServerData _data = new();
    private readonly string _backups = Path.Combine(Path.GetTempPath(), "kinerja-tests", "backups-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _data.Dispose();
        if (Directory.Exists(_backups))
        {
            Directory.Delete(_backups, recursive: true);
        }
    }

    [Fact]
    public async Task An_admin_backs_up_now_and_sees_the_schedule_the_last_run_and_the_newest_backups_kept()
    {
        using var server = new KinerjaServer(_data, new Dictionary<string, string?> { ["Backup:Folder"] = _backups, ["Backup:Keep"] = "2" });
        var staf = await server.SignInAsync("staf.uji");
        await WalkAsync(staf, "admin-1");
        (await staf.PostAsync("/api/admin/backups", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staf.GetAsync("/api/admin/backups")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var kepala = await server.SignInAsync("kepala.uji");
        var runs = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await BackUpNowAsync(kepala));
        }

        runs.Should().OnlyContain(r => r.GetProperty("succeeded").GetBoolean() && r.GetProperty("trigger").GetString() == "admin kepala.uji");
        var status = await kepala.GetAsync("/api/admin/backups").OkJsonAsync();
        status.GetProperty("folder").GetString().Should().Be(_backups);
        status.GetProperty("schedule").GetString().Should().Be("0 2 * * *");
        status.GetProperty("nextRunAt").ValueKind.Should().Be(JsonValueKind.String, "the daily backup is registered with Hangfire");
        status.GetProperty("lastRun").GetProperty("folder").GetString().Should().Be(runs[2].GetProperty("folder").GetString());
        status.GetProperty("backups").EnumerateArray().Select(b => b.GetProperty("name").GetString())
            .Should().Equal([runs[2].GetProperty("folder").GetString(), runs[1].GetProperty("folder").GetString()], "the folder keeps the newest two");
        Directory.GetDirectories(_backups).Should().HaveCount(2);
    }

    [Fact]
    public async Task The_scheduled_backup_runs_as_a_Hangfire_recurring_job_and_shows_as_the_last_run()
    {
        using var server = new KinerjaServer(_data, new Dictionary<string, string?> { ["Backup:Folder"] = _backups, ["Backup:Schedule"] = "30 1 * * *" });
        var kepala = await server.SignInAsync("kepala.uji");
        (await kepala.GetAsync("/api/admin/backups").OkJsonAsync()).GetProperty("schedule").GetString().Should().Be("30 1 * * *");

        server.Services.GetRequiredService<IRecurringJobManager>().Trigger(BackupService.RecurringJobId);

        var last = await WaitForLastRunAsync(kepala, run => run.GetProperty("trigger").GetString() == BackupService.ScheduledTrigger);
        last.GetProperty("succeeded").GetBoolean().Should().BeTrue(last.ToString());
        Directory.GetDirectories(_backups).Should().ContainSingle().Which.Should().EndWith(last.GetProperty("folder").GetString());
    }

    [Fact]
    public async Task A_failed_backup_is_shown_with_its_reason_and_tells_every_admin_in_their_inbox()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_backups)!);
        await File.WriteAllTextAsync(_backups, "bukan folder");
        try
        {
            using var server = new KinerjaServer(_data, new Dictionary<string, string?> { ["Backup:Folder"] = _backups });
            var kepala = await server.SignInAsync("kepala.uji");

            var run = await BackUpNowAsync(kepala);

            run.GetProperty("succeeded").GetBoolean().Should().BeFalse();
            run.GetProperty("error").GetString().Should().NotBeNullOrWhiteSpace();
            (await kepala.GetAsync("/api/admin/backups").OkJsonAsync()).GetProperty("lastRun").GetProperty("succeeded").GetBoolean().Should().BeFalse();
            var inbox = await kepala.GetAsync("/api/notifications").OkJsonAsync();
            inbox.ToString().Should().Contain("Pencadangan data gagal").And.Contain(run.GetProperty("error").GetString()!.Split(' ')[0]);
            var staf = await server.SignInAsync("staf.uji");
            (await staf.GetAsync("/api/notifications").OkJsonAsync()).ToString().Should().NotContain("Pencadangan data gagal", "only admins are told");
        }
        finally
        {
            File.Delete(_backups);
        }
    }

    [Fact]
    public async Task A_backup_runs_in_the_background_and_a_second_request_meanwhile_is_refused_naming_the_running_one()
    {
        using var server = new KinerjaServer(_data, new Dictionary<string, string?>
        {
            ["Backup:Folder"] = _backups,
            ["Attachments:Path"] = Path.Combine(_data.Folder, "attachments"),
        });
        var kepala = await server.SignInAsync("kepala.uji");
        var (_, document) = await WalkAsync(await server.SignInAsync("staf.uji"), "latar-1");
        var stored = await PipeTheDocumentAsync(Path.Combine(_data.Folder, "attachments"), document);

        var started = await kepala.PostAsync("/api/admin/backups", null);
        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var run = await started.Content.ReadFromJsonAsync<JsonElement>();
        run.GetProperty("running").GetBoolean().Should().BeTrue();
        started.Headers.Location!.ToString().Should().Be($"/api/admin/backups/runs/{run.GetProperty("id").GetGuid()}");

        var second = await kepala.PostAsync("/api/admin/backups", null);
        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await second.Content.ReadAsStringAsync()).Should().Contain("Pencadangan lain (admin kepala.uji) sedang berjalan sejak");
        var status = await kepala.GetAsync("/api/admin/backups").OkJsonAsync();
        status.GetProperty("running").GetProperty("id").GetGuid().Should().Be(run.GetProperty("id").GetGuid());
        (await kepala.GetAsync(started.Headers.Location).OkJsonAsync()).GetProperty("running").GetBoolean().Should().BeTrue();

        await File.WriteAllBytesAsync(stored, document);
        var finished = await WaitForEndAsync(kepala, started.Headers.Location);

        finished.GetProperty("succeeded").GetBoolean().Should().BeTrue(finished.ToString());
        Directory.GetDirectories(_backups).Should().ContainSingle("the refused request took no backup").Which.Should().EndWith(finished.GetProperty("folder").GetString());
        (await kepala.GetAsync("/api/admin/backups").OkJsonAsync()).GetProperty("running").ValueKind.Should().Be(JsonValueKind.Null);

        using var api = JsonDocument.Parse(await kepala.GetStringAsync("/openapi/v1.json"));
        var paths = api.RootElement.GetProperty("paths");
        paths.GetProperty("/api/admin/backups").GetProperty("post").GetProperty("responses").EnumerateObject().Select(r => r.Name)
            .Should().Contain(["202", "409"]).And.NotContain("200");
        paths.GetProperty("/api/admin/backups/runs/{id}").GetProperty("get").GetProperty("responses").EnumerateObject().Select(r => r.Name)
            .Should().Contain(["200", "404"]);
    }

    [Fact]
    public async Task A_backup_whose_service_was_killed_shows_as_stopped_and_the_next_backup_clears_what_it_left()
    {
        await using var service = new ServiceProcess("cadangan", _data, new Dictionary<string, string>
        {
            ["Backup__Folder"] = _backups,
            ["Backup__PostgresTools"] = _data.Provider == "postgres" ? PostgresCluster.Shared.BinFolder : string.Empty,
        });
        await service.StartAsync();
        var (_, document) = await WalkAsync(await service.SignInAsync("staf.uji"), "terhenti-1");
        var stored = await PipeTheDocumentAsync(Path.Combine(_data.Folder, "attachments"), document);
        var kepala = await service.SignInAsync("kepala.uji");
        var started = await kepala.PostAsync("/api/admin/backups", null);
        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var partial = await WaitForAsync(
            () => Directory.Exists(_backups) ? Directory.GetDirectories(_backups, "*.partial").SingleOrDefault(p => Directory.Exists(Path.Combine(p, "attachments"))) : null,
            "the backup copying the documents");

        service.Kill();
        File.Delete(stored);
        await File.WriteAllBytesAsync(stored, document);
        await service.StartAsync();
        kepala = await service.SignInAsync("kepala.uji");

        var stopped = await kepala.GetAsync(started.Headers.Location).OkJsonAsync();
        stopped.GetProperty("running").GetBoolean().Should().BeFalse();
        stopped.GetProperty("succeeded").GetBoolean().Should().BeFalse();
        stopped.GetProperty("error").GetString().Should().StartWith("Pencadangan terhenti sebelum selesai");
        (await kepala.GetAsync("/api/admin/backups").OkJsonAsync()).GetProperty("running").ValueKind.Should().Be(JsonValueKind.Null);

        var next = await BackUpNowAsync(kepala);

        next.GetProperty("succeeded").GetBoolean().Should().BeTrue(next.ToString());
        Directory.Exists(partial).Should().BeFalse("the killed backup's partial folder went with the next backup");
        Directory.GetDirectories(_backups).Should().ContainSingle().Which.Should().EndWith(next.GetProperty("folder").GetString());
        Directory.GetFiles(_backups).Should().BeEmpty("no lock file is left either");
    }

    [Fact]
    [Trait(TwoNodeTests.Category, TwoNodeTests.PostgresOnly)]
    public async Task On_PostgreSQL_a_backup_running_on_one_node_refuses_a_second_on_the_other_which_follows_it_to_its_end()
    {
        using var data = new ServerData("postgres");
        var settings = new Dictionary<string, string?> { ["Backup:Folder"] = _backups, ["Attachments:Path"] = Path.Combine(data.Folder, "attachments") };
        using var nodeA = new KinerjaServer(data, settings);
        var (_, document) = await WalkAsync(await nodeA.SignInAsync("staf.uji"), "dua-simpul");
        using var nodeB = new KinerjaServer(data, settings);
        var kepalaA = await nodeA.SignInAsync("kepala.uji");
        var kepalaB = await nodeB.SignInAsync("kepala.uji");
        var stored = await PipeTheDocumentAsync(Path.Combine(data.Folder, "attachments"), document);

        var started = await kepalaA.PostAsync("/api/admin/backups", null);
        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var second = await kepalaB.PostAsync("/api/admin/backups", null);

        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await second.Content.ReadAsStringAsync()).Should().Contain("Pencadangan lain (admin kepala.uji) sedang berjalan sejak");
        var onB = (await kepalaB.GetAsync("/api/admin/backups").OkJsonAsync()).GetProperty("running");
        onB.GetProperty("id").GetGuid().Should().Be((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

        await File.WriteAllBytesAsync(stored, document);
        var finished = await WaitForEndAsync(kepalaB, started.Headers.Location!);

        finished.GetProperty("succeeded").GetBoolean().Should().BeTrue(finished.ToString());
        (await kepalaB.GetAsync("/api/admin/backups").OkJsonAsync()).GetProperty("running").ValueKind.Should().Be(JsonValueKind.Null);
        Directory.GetDirectories(_backups).Should().ContainSingle();
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within 30 s: {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>"Cadangkan sekarang" as the page does it: 202 with the run's address, asked until the run has ended.</summary>
    private static async Task<JsonElement> BackUpNowAsync(HttpClient admin)
    {
        var started = await admin.PostAsync("/api/admin/backups", null);
        started.StatusCode.Should().Be(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        return await WaitForEndAsync(admin, started.Headers.Location!);
    }

    private static async Task<JsonElement> WaitForEndAsync(HttpClient admin, Uri run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var now = await admin.GetAsync(run).OkJsonAsync();
            if (!now.GetProperty("running").GetBoolean())
            {
                return now;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The backup {run} did not end within 30 s: {now}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> WaitForLastRunAsync(HttpClient admin, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var last = (await admin.GetAsync("/api/admin/backups").OkJsonAsync()).GetProperty("lastRun");
            if (last.ValueKind == JsonValueKind.Object && done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No such backup run within 30 s; last: {last}");
            }

            await Task.Delay(100);
        }
    }
}
