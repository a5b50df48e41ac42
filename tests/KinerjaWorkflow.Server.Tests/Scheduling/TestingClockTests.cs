using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>POST /api/testing/clock: a move runs what it made due before it answers, and a restart keeps the date.</summary>
public sealed class TestingClockTests : IDisposable
{
    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Moving_the_clock_answers_after_the_jobs_it_made_due_have_run_and_a_restart_keeps_the_date()
    {
        var sender = new RecordingSender();
        Guid task;
        using (var server = new SchedulingServer(_data, sender))
        {
            var staf = await server.SignInAsync("staf.uji");
            (await staf.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T08:00") }).OkJsonAsync())
                .GetProperty("stillRunning").GetArrayLength().Should().Be(0);
            task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "jam-uji")).Id(), "Susun");

            var moved = await staf.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T09:30") }).OkJsonAsync();

            moved.GetProperty("stillRunning").GetArrayLength().Should().Be(0);
            sender.Delivered.Select(m => m.DeduplicationKey).Should().Contain($"reminder:{task}", "the answer waits for the reminder's job");
        }

        var after = new RecordingSender();
        using var restarted = new SchedulingServer(_data, after);
        var kepala = await restarted.SignInAsync("kepala.uji");
        var now = (await kepala.GetAsync("/api/testing/clock").OkJsonAsync()).GetProperty("now").GetDateTimeOffset();
        now.Should().Be(Wita("2025-03-03T09:30"));

        var escalated = await kepala.PostAsJsonAsync("/api/testing/clock", new { advanceBy = "00:30:00" }).OkJsonAsync();

        escalated.GetProperty("stillRunning").GetArrayLength().Should().Be(0);
        after.Delivered.Select(m => m.DeduplicationKey).Should().Equal($"escalation:{task}:1");
    }
}
