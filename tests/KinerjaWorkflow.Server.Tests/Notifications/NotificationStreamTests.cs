using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Notifications;

/// <summary>Each test opens its own stream, which sees only what happens after it opened: one server serves them all.</summary>
public sealed class NotificationStreamTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;

    [Fact]
    public async Task The_stream_pushes_the_users_own_notification_sent_after_subscribing()
    {
        var staf = await _server.SignInAsync("staf.uji");
        using var response = await staf.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        (await stream.NextCommentAsync()).Should().Be("terhubung");

        await _server.SendAsync(TestOffice.Message("reminder:orang-lain", NotificationKinds.Reminder, "staf.uji2"));
        await _server.SendAsync(TestOffice.Message("reminder:saya", NotificationKinds.Reminder, "staf.uji"));

        var pushed = await stream.NextEventAsync();
        pushed.Name.Should().Be("notification");
        pushed.Data.GetProperty("kind").GetString().Should().Be("reminder");
        pushed.Data.GetProperty("subject").GetString().Should().Be("Subjek reminder:saya");
        var stored = await staf.GetAsync("/api/notifications").OkJsonAsync();
        pushed.Id.Should().Be(stored.EnumerateArray().Single(n => n.GetProperty("subject").GetString() == "Subjek reminder:saya").Id().ToString());
    }

    [Fact]
    public async Task The_stream_pushes_a_new_task_for_the_users_role_and_not_one_for_another_role()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        using var response = await staf.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        await stream.NextCommentAsync();

        var instance = (await kepala.StartAsync("uji-laporan-sederhana", "SSE-1")).Id();

        var task = await stream.NextEventAsync();
        task.Name.Should().Be("task");
        task.Data.GetProperty("instanceId").GetGuid().Should().Be(instance);
        task.Data.GetProperty("stepId").GetString().Should().Be("Susun");
        task.Data.GetProperty("stepNumber").GetInt32().Should().Be(1);
        task.Data.GetProperty("businessKey").GetString().Should().Be("SSE-1");
        task.Data.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Staf");

        await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"));
        await _server.SendAsync(TestOffice.Message("message:sesudah", NotificationKinds.Message, "staf.uji"));

        (await stream.NextEventAsync()).Name.Should().Be("notification", "the Kepala Kantor's new task is not for Staf");
    }

    [Fact]
    public async Task A_quiet_stream_sends_heartbeat_comments()
    {
        var staf = await _server.SignInAsync("staf.uji");
        using var response = await staf.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        await stream.NextCommentAsync();

        (await stream.NextCommentAsync(TimeSpan.FromSeconds(5))).Should().Be("heartbeat");
        (await stream.NextCommentAsync(TimeSpan.FromSeconds(5))).Should().Be("heartbeat");
    }
}
