using System.Net;
using System.Text.Json;
using Hangfire;
using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Tests.Infrastructure;
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
            runs.Add(await kepala.PostAsync("/api/admin/backups", null).OkJsonAsync());
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

            var run = await kepala.PostAsync("/api/admin/backups", null).OkJsonAsync();

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
