using System.Text.Json;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>Reminders and escalations through the service's own notification channels, as the people see them.</summary>
public sealed class SlaInboxTests : IDisposable
{
    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_assignees_see_the_reminder_and_the_supervisor_the_escalation_once_each_across_a_restart()
    {
        Guid task;
        using (var first = new SchedulingServer(_data, null, Wita("2025-03-03T08:00")))
        {
            var staf = await first.SignInAsync("staf.uji");
            task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "2025-TW1")).Id(), "Susun");
            first.Clock.SetTo(Wita("2025-03-03T09:30"));
            await first.WaitForAsync(
                db => db.ScheduledItems.CountAsync(n => n.TaskId == task && n.Status == "done"),
                count => count == 1,
                "the reminder delivered");
        }

        using var second = new SchedulingServer(_data, null, Wita("2025-03-03T10:30"));
        await second.WaitForAsync(
            db => db.ScheduledItems.CountAsync(n => n.TaskId == task && n.Status == "done"),
            count => count == 2,
            "the escalation delivered after the restart");

        foreach (var user in new[] { "staf.uji", "staf.uji2" })
        {
            var seen = await InboxAsync(second, user, task);
            seen.Select(n => n.GetProperty("kind").GetString()).Should().Equal("reminder");
            seen[0].GetProperty("message").GetString().Should().Contain("Menyusun laporan").And.Contain("2025-TW1");
        }

        var kepala = await InboxAsync(second, "kepala.uji", task);
        kepala.Select(n => n.GetProperty("kind").GetString()).Should().Equal("escalation");
        kepala[0].GetProperty("subject").GetString().Should().StartWith("Eskalasi tingkat 1");
    }

    private static async Task<List<JsonElement>> InboxAsync(SchedulingServer server, string user, Guid task)
    {
        var client = await server.SignInAsync(user);
        var all = await client.GetAsync("/api/notifications").OkJsonAsync();
        return all.EnumerateArray()
            .Where(n => n.GetProperty("taskId").ValueKind != JsonValueKind.Null && n.GetProperty("taskId").GetGuid() == task)
            .ToList();
    }
}
