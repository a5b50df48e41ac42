using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Notifications;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.ScaleOut;

/// <summary>
/// A webhook receiver that answers after Hangfire's invisibility timeout has passed, with two nodes taking jobs
/// from one PostgreSQL queue: the job sending to it is still running when the queue would hand it to another
/// worker. The running job keeps its claim, so the receiver gets the reminder once.
/// </summary>
[Trait(TwoNodeTests.Category, TwoNodeTests.PostgresOnly)]
public sealed class SlowReceiverTests
{
    /// <summary>Three invisibility timeouts, well inside the webhook's own timeout.</summary>
    private static readonly TimeSpan AnswerAfter = TimeSpan.FromSeconds(6);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Scheduling__InvisibilityTimeout"] = "00:00:02",
        ["Notifications__WebhookTimeout"] = "00:01:00",
    };

    [Fact]
    public async Task A_reminder_to_a_receiver_slower_than_the_invisibility_timeout_is_sent_once_by_one_node()
    {
        using var receiver = new LoopbackReceiver { AnswerAfter = AnswerAfter };
        var nodes = TwoNodes.With(Settings);
        try
        {
            TestOffice.Configure(nodes.Data, webhooks: (receiver.BaseUrl + "/kinerja", "rahasia-uji", ["reminder"]));
            await nodes.InitializeAsync();
            var staf = await nodes.A.SignInAsync("staf.uji");
            await staf.SetClockAsync(Wita("2025-03-03T08:00"));
            var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "penerima-lambat")).Id(), "Susun");

            await (await nodes.B.SignInAsync("staf.uji")).SetClockAsync(Wita("2025-03-03T09:30"));

            var delivery = await (await nodes.B.SignInAsync("kepala.uji")).WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "delivered");
            delivery.GetProperty("deduplicationKey").GetString().Should().Be($"reminder:{task}");
            receiver.SignedWith("rahasia-uji").Select(r => r.Headers["X-Kinerja-Delivery"]).Should().Equal(
                [delivery.Id().ToString()],
                "the job still sending is not handed to a second worker");
        }
        finally
        {
            await nodes.DisposeAsync();
        }
    }
}
