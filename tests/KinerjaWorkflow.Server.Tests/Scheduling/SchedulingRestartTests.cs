using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>The schedule rows are the truth: what was due while the service was down fires once when it is back.</summary>
public sealed class SchedulingRestartTests : IDisposable
{
    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_deadline_that_passed_while_the_host_was_down_is_escalated_once_at_start_and_its_stale_reminder_is_not_sent()
    {
        Guid task;
        var before = new RecordingSender();
        using (var first = new SchedulingServer(_data, before))
        {
            first.Clock.SetTo(Wita("2025-03-03T08:00"));
            var staf = await first.SignInAsync("staf.uji");
            task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "mati-listrik")).Id(), "Susun");
        }

        var after = new RecordingSender();
        using (var second = new SchedulingServer(_data, after, Wita("2025-03-03T10:15")))
        {
            var finished = await second.WaitForAsync(
                db => db.ScheduledItems.Where(n => n.TaskId == task && (n.Status == "done" || n.Status == "cancelled")).ToListAsync(),
                rows => rows.Count == 2,
                "the reminder and the escalation handled after the restart");
            finished.Should().OnlyContain(n => n.FinishedAt == Wita("2025-03-03T10:15"), "both came due while the host was down");
            finished.Single(n => n.Kind == "escalation").Status.Should().Be("done");
            finished.Single(n => n.Kind == "reminder").Status.Should().Be("cancelled", "its deadline had passed too: the escalation tells instead");
            await second.Services.GetRequiredService<ScheduleSweep>().SweepAsync(CancellationToken.None);
            second.Clock.Advance(TimeSpan.FromDays(2));
            await ThirdStepFiresAsync(second);
        }

        var third = new RecordingSender();
        using (var again = new SchedulingServer(_data, third, Wita("2025-03-06T10:00")))
        {
            await ThirdStepFiresAsync(again);
        }

        before.Calls.Should().Be(0);
        after.Delivered.Where(m => m.TaskId == task).Select(m => m.DeduplicationKey).Should().Equal($"escalation:{task}:1");
        third.Delivered.Should().NotContain(m => m.TaskId == task);
    }

    [Fact]
    public async Task A_reminder_cut_off_by_a_stopping_host_is_delivered_once_after_the_restart()
    {
        Guid task;
        var cut = new RecordingSender();
        using (var first = new SchedulingServer(_data, cut))
        {
            first.Clock.SetTo(Wita("2025-03-03T08:00"));
            var staf = await first.SignInAsync("staf.uji");
            task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "terputus")).Id(), "Susun");
            cut.Hold();
            first.Clock.SetTo(Wita("2025-03-03T09:30"));
            await first.WaitForAsync(_ => Task.FromResult(cut.Calls), calls => calls == 1, "the reminder's send under way");
        }

        var sender = new RecordingSender();
        using var second = new SchedulingServer(_data, sender, Wita("2025-03-03T09:45"));

        await sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "reminder after the restart");
        var item = await second.WaitForAsync(
            db => db.ScheduledItems.SingleAsync(n => n.TaskId == task && n.Kind == "reminder"),
            n => n.Status == "done",
            "the reminder recorded as done");
        item.FinishedAt.Should().Be(Wita("2025-03-03T09:45"));
        cut.Delivered.Should().BeEmpty();
        sender.Delivered.Count(m => m.DeduplicationKey == $"reminder:{task}").Should().Be(1);
    }

    /// <summary>
    /// Another task started now escalates at a known instant: once its escalation is delivered, the scheduler has had
    /// its chance to (wrongly) fire anything of the first task again.
    /// </summary>
    private static async Task ThirdStepFiresAsync(SchedulingServer server)
    {
        var staf = await server.SignInAsync("staf.uji2");
        var marker = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", $"penanda-{Guid.NewGuid():N}")).Id(), "Susun");
        server.Clock.Advance(TimeSpan.FromDays(1));
        await server.Sender.WaitForAsync(m => m.DeduplicationKey == $"escalation:{marker}:1", "the marker's escalation");
    }
}
