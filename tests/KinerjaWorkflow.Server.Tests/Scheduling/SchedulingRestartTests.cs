using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>The database is the truth: what was due while the service was down fires once when it is back.</summary>
public sealed class SchedulingRestartTests : IDisposable
{
    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_escalation_that_came_due_while_the_host_was_down_is_delivered_exactly_once()
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
            var delivered = await second.WaitForAsync(
                db => db.SlaNotifications.Where(n => n.TaskId == task && n.Status == "delivered").ToListAsync(),
                rows => rows.Count == 2,
                "the reminder and the escalation delivered after the restart");
            delivered.Should().OnlyContain(n => n.DecidedAt == Wita("2025-03-03T10:15"), "both came due while the host was down");
            await second.Services.GetRequiredService<SchedulingReconciler>().ReconcileAsync(CancellationToken.None);
            second.Clock.Advance(TimeSpan.FromDays(2));
            await ThirdStepFiresAsync(second);
        }

        var third = new RecordingSender();
        using (var again = new SchedulingServer(_data, third, Wita("2025-03-06T10:00")))
        {
            await ThirdStepFiresAsync(again);
        }

        before.Calls.Should().Be(0);
        after.Delivered.Where(m => m.TaskId == task).Select(m => m.DeduplicationKey)
            .Should().BeEquivalentTo($"reminder:{task}", $"escalation:{task}:1");
        third.Delivered.Should().NotContain(m => m.TaskId == task);
    }

    [Fact]
    public async Task A_reminder_decided_but_not_delivered_before_a_restart_is_delivered_once_after_it()
    {
        Guid task;
        using (var first = new SchedulingServer(_data, new RecordingSender()))
        {
            first.Sender.FailNext(int.MaxValue);
            first.Clock.SetTo(Wita("2025-03-03T08:00"));
            var staf = await first.SignInAsync("staf.uji");
            task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "gagal-kirim")).Id(), "Susun");
            first.Clock.SetTo(Wita("2025-03-03T09:30"));
            await first.WaitForAsync(
                db => db.SlaNotifications.Where(n => n.TaskId == task).Select(n => n.Attempts).SingleOrDefaultAsync(),
                attempts => attempts == 1,
                "the refused first attempt");
        }

        var sender = new RecordingSender();
        using var second = new SchedulingServer(_data, sender, Wita("2025-03-03T09:45"));

        await sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "reminder after the restart");
        var notification = await second.WaitForAsync(
            db => db.SlaNotifications.SingleAsync(n => n.TaskId == task && n.Kind == "reminder"),
            n => n.Status == "delivered",
            "the reminder recorded as delivered");
        notification.Attempts.Should().Be(2);
        notification.DecidedAt.Should().Be(Wita("2025-03-03T09:30"), "it was decided once, before the restart");
        sender.Delivered.Count(m => m.DeduplicationKey == $"reminder:{task}").Should().Be(1);
    }

    /// <summary>
    /// Another task started now reminds at a known instant: once its reminder is delivered, the scheduler has had
    /// its chance to (wrongly) fire anything of the first task again.
    /// </summary>
    private static async Task ThirdStepFiresAsync(SchedulingServer server)
    {
        var staf = await server.SignInAsync("staf.uji2");
        var marker = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", $"penanda-{Guid.NewGuid():N}")).Id(), "Susun");
        server.Clock.Advance(TimeSpan.FromDays(1));
        await server.Sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{marker}", "the marker's reminder");
    }
}
