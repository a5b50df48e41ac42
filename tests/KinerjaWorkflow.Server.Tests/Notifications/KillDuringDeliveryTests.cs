using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Notifications;

/// <summary>The service as its own process, killed with -9 while a webhook delivery is on the wire.</summary>
public sealed class KillDuringDeliveryTests : IDisposable
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Scheduling__PollInterval"] = "00:00:00.100",
        ["Scheduling__SchedulePollInterval"] = "00:00:01",
        ["Scheduling__Attempts"] = "1",
        ["Scheduling__RetryDelays__0"] = "1",
        ["Scheduling__InvisibilityTimeout"] = "00:00:05",
        ["Notifications__WebhookTimeout"] = "00:05:00",
    };

    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_reminder_whose_webhook_was_cut_off_by_kill_9_is_stored_once_and_its_delivery_completed_after_the_restart()
    {
        using var receiver = new LoopbackReceiver { Hold = true };
        TestOffice.Configure(_data, webhooks: (receiver.BaseUrl + "/kinerja", "rahasia-uji", ["reminder"]));
        Guid task;
        await using (var first = new ServiceProcess("pertama", _data, Settings))
        {
            await first.StartAsync();
            var staf = await first.SignInAsync("staf.uji");
            await staf.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T08:00") }).OkJsonAsync();
            task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "kill-9")).Id(), "Susun");

            // The move answers only once its jobs have run; the webhook never answers, so it is not awaited.
            var moving = staf.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T09:30") });
            await receiver.WaitForRequestAsync(1, TimeSpan.FromSeconds(60));
            first.Kill();
            await Task.WhenAny(moving);
        }

        receiver.Hold = false;
        await using var second = new ServiceProcess("kedua", _data, Settings);
        await second.StartAsync();

        await receiver.WaitForRequestAsync(2, TimeSpan.FromSeconds(60));
        var kepala = await second.SignInAsync("kepala.uji");
        var delivery = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "delivered");
        receiver.Received.Select(r => r.Headers["X-Kinerja-Delivery"]).Distinct().Should().Equal(delivery.Id().ToString());
        receiver.Received.Select(r => r.Body).Distinct().Should().HaveCount(1, "the receiver can tell the repeat by its delivery id");
        foreach (var user in new[] { "staf.uji", "staf.uji2" })
        {
            var inbox = await (await second.SignInAsync(user)).GetAsync("/api/notifications").OkJsonAsync();
            inbox.EnumerateArray().Count(n => n.GetProperty("kind").GetString() == "reminder" && n.GetProperty("taskId").GetGuid() == task)
                .Should().Be(1);
        }
    }
}
