using System.Net;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Notifications;

public sealed class NotificationApiTests : IDisposable
{
    private readonly KinerjaServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _server.Data.Dispose();
    }

    [Fact]
    public async Task A_notification_is_stored_for_each_user_and_listed_only_to_them()
    {
        await _server.SendAsync(TestOffice.Message("reminder:a", NotificationKinds.Reminder, "staf.uji", "staf.uji2"));
        var staf = await _server.SignInAsync("staf.uji");
        var staf2 = await _server.SignInAsync("staf.uji2");
        var kepala = await _server.SignInAsync("kepala.uji");

        var mine = await staf.GetAsync("/api/notifications").OkJsonAsync();
        var theirs = await staf2.GetAsync("/api/notifications").OkJsonAsync();
        var none = await kepala.GetAsync("/api/notifications").OkJsonAsync();

        mine.GetArrayLength().Should().Be(1);
        mine[0].GetProperty("kind").GetString().Should().Be("reminder");
        mine[0].GetProperty("subject").GetString().Should().Be("Subjek reminder:a");
        mine[0].GetProperty("message").GetString().Should().Be("Teks pemberitahuan reminder:a – Mutu Baku");
        mine[0].GetProperty("readAt").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        theirs.GetArrayLength().Should().Be(1);
        theirs[0].Id().Should().NotBe(mine[0].Id());
        none.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Sending_the_same_key_again_stores_nothing_more()
    {
        await _server.SendAsync(TestOffice.Message("escalation:t1:1", NotificationKinds.Escalation, "kepala.uji"));
        await _server.SendAsync(TestOffice.Message("escalation:t1:1", NotificationKinds.Escalation, "kepala.uji"));
        await _server.SendAsync(TestOffice.Message("escalation:t1:2", NotificationKinds.Escalation, "kepala.uji"));
        var kepala = await _server.SignInAsync("kepala.uji");

        var list = await kepala.GetAsync("/api/notifications").OkJsonAsync();

        list.EnumerateArray().Select(n => n.GetProperty("subject").GetString())
            .Should().BeEquivalentTo("Subjek escalation:t1:1", "Subjek escalation:t1:2");
    }

    [Fact]
    public async Task A_user_of_another_office_is_not_notified()
    {
        await _server.SendAsync(TestOffice.Message("reminder:asing", NotificationKinds.Reminder, "staf.uji", "hasanuddin.amir"));
        var staf = await _server.SignInAsync("staf.uji");
        var foreigner = await _server.SignInAsync("hasanuddin.amir");

        (await staf.GetAsync("/api/notifications/count").OkJsonAsync()).GetProperty("unread").GetInt32().Should().Be(1);
        (await foreigner.GetAsync("/api/notifications/count").OkJsonAsync()).GetProperty("unread").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task Reading_one_and_then_all_lowers_the_unread_count()
    {
        foreach (var key in new[] { "m:1", "m:2", "m:3" })
        {
            await _server.SendAsync(TestOffice.Message(key, NotificationKinds.Message, "staf.uji"));
        }

        var staf = await _server.SignInAsync("staf.uji");
        (await staf.GetAsync("/api/notifications/count").OkJsonAsync()).GetProperty("unread").GetInt32().Should().Be(3);

        var first = (await staf.GetAsync("/api/notifications").OkJsonAsync())[0].Id();
        var read = await staf.PostAsync($"/api/notifications/{first}/read", null).OkJsonAsync();
        read.GetProperty("readAt").GetDateTimeOffset().Should().BeCloseTo(_server.Clock.GetUtcNow(), TimeSpan.FromSeconds(5));
        (await staf.GetAsync("/api/notifications/count").OkJsonAsync()).GetProperty("unread").GetInt32().Should().Be(2);
        (await staf.GetAsync("/api/notifications?unread=true").OkJsonAsync()).EnumerateArray().Select(n => n.Id()).Should().NotContain(first);

        var marked = await staf.PostAsync("/api/notifications/read-all", null).OkJsonAsync();
        marked.GetProperty("marked").GetInt32().Should().Be(2);
        (await staf.GetAsync("/api/notifications/count").OkJsonAsync()).GetProperty("unread").GetInt32().Should().Be(0);
        (await staf.GetAsync("/api/notifications?unread=true").OkJsonAsync()).GetArrayLength().Should().Be(0);
        (await staf.GetAsync("/api/notifications").OkJsonAsync()).GetArrayLength().Should().Be(3);
    }

    [Fact]
    public async Task Another_users_notification_is_not_found_and_stays_unread()
    {
        await _server.SendAsync(TestOffice.Message("m:milik-staf2", NotificationKinds.Message, "staf.uji2"));
        var staf = await _server.SignInAsync("staf.uji");
        var staf2 = await _server.SignInAsync("staf.uji2");
        var theirs = (await staf2.GetAsync("/api/notifications").OkJsonAsync())[0].Id();

        using var refused = await staf.PostAsync($"/api/notifications/{theirs}/read", null);

        refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await refused.ReadJsonAsync()).GetProperty("detail").GetString().Should().Be("Notifikasi tidak ditemukan.");
        (await staf2.GetAsync("/api/notifications/count").OkJsonAsync()).GetProperty("unread").GetInt32().Should().Be(1);
    }
}

/// <summary>Refusals that change nothing, so one server serves them all.</summary>
public sealed class NotificationAccessTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;

    [Theory]
    [InlineData("/api/notifications")]
    [InlineData("/api/notifications/count")]
    [InlineData("/api/notifications/stream")]
    public async Task Notifications_need_a_signed_in_user(string path)
    {
        using var anonymous = _server.CreateClient();

        using var response = await anonymous.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Only_an_admin_sees_the_delivery_outbox()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");

        using var refused = await staf.GetAsync("/api/notifications/deliveries");
        using var unknownStatus = await kepala.GetAsync("/api/notifications/deliveries?status=hilang");

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        unknownStatus.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknownStatus.ReadJsonAsync()).GetProperty("detail").GetString().Should().Contain("hilang");
    }
}
