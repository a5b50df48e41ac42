using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>A scheduled item whose Hangfire retries are spent shows as one incident on its instance, and an admin's retry runs it again.</summary>
public sealed class ScheduledIncidentTests : IDisposable
{
    private const string Secret = "rahasia-webhook-kantor-uji";

    private readonly ServerData _data = new();
    private readonly LoopbackReceiver _receiver = new();

    public void Dispose()
    {
        _receiver.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_reminder_whose_webhook_fails_for_good_is_one_incident_and_after_a_retry_it_is_delivered_once()
    {
        TestOffice.Configure(_data, webhooks: (_receiver.BaseUrl + "/kinerja", Secret, [NotificationKinds.Reminder]));
        _receiver.Answer = (HttpStatusCode.InternalServerError, """{"error": "rusak"}""");
        using var server = new KinerjaServer(_data, new Dictionary<string, string?> { ["Scheduling:Attempts"] = "2" });
        var staf = await server.SignInAsync("staf.uji");
        var kepala = await server.SignInAsync("kepala.uji");
        await MoveClockAsync(kepala, Wita("2025-03-03T08:00"));
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "webhook-rusak")).Id();
        var task = await staf.OpenTaskAsync(instance, "Susun");

        await kepala.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T09:30") }).OkJsonAsync();

        var dead = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "dead");
        var incidents = await WaitForIncidentsAsync(kepala, instance, 1);
        _receiver.Received.Should().HaveCount(3, "the first run and Hangfire's two retries");
        var incident = incidents.Single();
        incident.GetProperty("stepId").GetString().Should().Be("Susun");
        incident.GetProperty("error").GetString().Should()
            .StartWith("Webhook pengingat langkah \"Menyusun laporan\" ke " + _receiver.BaseUrl + "/kinerja gagal setelah 3 percobaan:")
            .And.Contain("500")
            .And.EndWith("Perbaiki penyebabnya, lalu klik Coba lagi pada insiden ini.");
        (await server.ScheduledItemAsync($"delivery:{dead.Id()}")).Status.Should().Be("failed");

        _receiver.Answer = (HttpStatusCode.OK, "{}");
        var retried = await kepala.PostAsync($"/api/instances/{instance}/incidents/{incident.Id()}/retry", null).OkJsonAsync();

        retried.GetProperty("incidents").GetArrayLength().Should().Be(0);
        var delivered = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "delivered");
        delivered.Id().Should().Be(dead.Id());
        _receiver.Received.Should().HaveCount(4);
        _receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("deduplicationKey").GetString())
            .Should().AllBe($"reminder:{task}");
        (await server.ScheduledItemAsync($"delivery:{dead.Id()}")).Status.Should().Be("done");
        var notified = await QueryAsync(server, db => db.Set<NotificationRecord>().CountAsync(n => n.DeduplicationKey == $"reminder:{task}"));
        notified.Should().Be(2, "one reminder for each of the two Staf, however often its webhook was tried");
        var history = (await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync()).EnumerateArray()
            .Select(h => h.GetProperty("action").GetString()).ToList();
        history.Where(a => a is "incident-raised" or "incident-resolved").Should().Equal("incident-raised", "incident-resolved");
    }

    [Fact]
    public async Task Only_an_admin_may_retry_a_scheduled_items_incident()
    {
        TestOffice.Configure(_data, webhooks: (_receiver.BaseUrl + "/kinerja", Secret, [NotificationKinds.Reminder]));
        _receiver.Answer = (HttpStatusCode.InternalServerError, "{}");
        using var server = new KinerjaServer(_data, new Dictionary<string, string?> { ["Scheduling:Attempts"] = "0" });
        var staf = await server.SignInAsync("staf.uji");
        var kepala = await server.SignInAsync("kepala.uji");
        await MoveClockAsync(kepala, Wita("2025-03-03T08:00"));
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "bukan-admin")).Id();
        await kepala.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T09:30") }).OkJsonAsync();
        var incident = (await WaitForIncidentsAsync(kepala, instance, 1)).Single();

        using var refused = await staf.PostAsync($"/api/instances/{instance}/incidents/{incident.Id()}/retry", null);

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await WaitForIncidentsAsync(kepala, instance, 1)).Single().Id().Should().Be(incident.Id());
        _receiver.Received.Should().HaveCount(1);
    }

    private static async Task MoveClockAsync(HttpClient client, DateTimeOffset to) =>
        await client.PostAsJsonAsync("/api/testing/clock", new { setTo = to }).OkJsonAsync();

    private static async Task<T> QueryAsync<T>(KinerjaServer server, Func<KinerjaDbContext, Task<T>> query)
    {
        using var scope = server.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<KinerjaDbContext>());
    }

    /// <summary>Polls the instance (at most 20 s) until it shows <paramref name="count"/> incidents: the last retry runs a second after the one before.</summary>
    private static async Task<IReadOnlyList<JsonElement>> WaitForIncidentsAsync(HttpClient client, Guid instance, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var incidents = (await client.GetAsync($"/api/instances/{instance}").OkJsonAsync()).GetProperty("incidents").EnumerateArray().ToList();
            if (incidents.Count >= count || DateTime.UtcNow > until)
            {
                incidents.Should().HaveCount(count);
                return incidents;
            }

            await Task.Delay(50);
        }
    }
}
