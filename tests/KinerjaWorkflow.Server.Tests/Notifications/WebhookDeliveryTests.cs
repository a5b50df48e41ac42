using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Notifications;

public sealed class WebhookDeliveryTests : IDisposable
{
    private const string Secret = "rahasia-webhook-kantor-uji";

    /// <summary>Three runs: the first and two Hangfire retries, one second apart.</summary>
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Scheduling:Attempts"] = "2",
    };

    private readonly ServerData _data = new();
    private readonly LoopbackReceiver _receiver = new();

    public void Dispose()
    {
        _receiver.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task The_webhook_gets_the_notification_as_json_signed_with_the_offices_secret()
    {
        TestOffice.Configure(_data, webhooks: (_receiver.BaseUrl + "/kinerja", Secret, null));
        using var server = new KinerjaServer(_data, FastRetries);
        var instance = Guid.NewGuid();
        var task = Guid.NewGuid();

        await server.SendAsync(new NotificationMessage(
            TestOffice.OfficeId, ["staf.uji"], NotificationKinds.Escalation, "Eskalasi tingkat 1", "Langkah 2 terlambat.", instance, task, "escalation:x:1"));

        var request = await _receiver.WaitForRequestAsync();
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/kinerja");
        request.Headers["Content-Type"].Should().StartWith("application/json");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(request.Body)));
        request.Headers["X-Kinerja-Signature"].Should().Be(expected);
        using var body = JsonDocument.Parse(request.Body);
        var json = body.RootElement;
        json.GetProperty("event").GetString().Should().Be("notification");
        json.GetProperty("office").GetString().Should().Be("kantor-uji");
        json.GetProperty("kind").GetString().Should().Be("escalation");
        json.GetProperty("subject").GetString().Should().Be("Eskalasi tingkat 1");
        json.GetProperty("text").GetString().Should().Be("Langkah 2 terlambat.");
        json.GetProperty("instanceId").GetGuid().Should().Be(instance);
        json.GetProperty("taskId").GetGuid().Should().Be(task);
        json.GetProperty("deduplicationKey").GetString().Should().Be("escalation:x:1");
        json.GetProperty("at").GetDateTimeOffset().Should().BeCloseTo(server.Clock.GetUtcNow(), TimeSpan.FromSeconds(10));
        var kepala = await server.SignInAsync("kepala.uji");
        var delivery = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "delivered");
        request.Headers["X-Kinerja-Delivery"].Should().Be(delivery.Id().ToString());
    }

    [Fact]
    public async Task A_webhook_gets_only_the_kinds_it_lists_and_each_key_once()
    {
        TestOffice.Configure(_data, webhooks: (_receiver.BaseUrl + "/eskalasi", Secret, ["escalation"]));
        using var server = new KinerjaServer(_data, FastRetries);

        await server.SendAsync(TestOffice.Message("reminder:r1", NotificationKinds.Reminder, "staf.uji"));
        await server.SendAsync(TestOffice.Message("escalation:e1", NotificationKinds.Escalation, "kepala.uji"));
        await server.SendAsync(TestOffice.Message("escalation:e1", NotificationKinds.Escalation, "kepala.uji"));
        await server.SendAsync(TestOffice.Message("escalation:e2", NotificationKinds.Escalation, "kepala.uji"));

        await _receiver.WaitForRequestAsync(2);
        var kepala = await server.SignInAsync("kepala.uji");
        await kepala.WaitForDeliveryAsync(d => d.GetProperty("deduplicationKey").GetString() == "escalation:e2" && d.GetProperty("status").GetString() == "delivered");
        var keys = _receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("deduplicationKey").GetString());
        keys.Should().BeEquivalentTo("escalation:e1", "escalation:e2");
    }

    [Fact]
    public async Task A_webhook_that_times_out_is_retried_by_hangfire_then_dead_lettered()
    {
        using var silent = new SilentReceiver();
        TestOffice.Configure(_data, webhooks: (silent.Url, Secret, null));
        using var server = new KinerjaServer(_data, new Dictionary<string, string?>(FastRetries)
        {
            ["Notifications:WebhookTimeout"] = "00:00:00.500",
        });
        var kepala = await server.SignInAsync("kepala.uji");

        await server.SendAsync(TestOffice.Message("escalation:lambat", NotificationKinds.Escalation, "kepala.uji"));

        var first = await kepala.WaitForDeliveryAsync(d => d.GetProperty("attempts").GetInt32() >= 1 && d.GetProperty("lastError").GetString() is not null);
        first.GetProperty("lastError").GetString().Should().Contain("timed out");

        var dead = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "dead");

        dead.GetProperty("attempts").GetInt32().Should().Be(3);
        dead.GetProperty("lastError").GetString().Should().Contain("timed out");
        (await silent.ConnectionsAtLeastAsync(3)).Should().Be(3, "one try per run, each timing out");
        var deadOnly = await kepala.GetAsync("/api/notifications/deliveries?status=dead").OkJsonAsync();
        deadOnly.EnumerateArray().Select(d => d.Id()).Should().Equal(dead.Id());
    }

    [Fact]
    public async Task A_webhook_to_a_host_the_outbound_settings_refuse_is_a_dead_letter_at_its_first_failure()
    {
        TestOffice.Configure(_data, webhooks: ("http://10.20.30.40:8080/kinerja", Secret, null));
        using var server = new KinerjaServer(_data, FastRetries);
        var kepala = await server.SignInAsync("kepala.uji");

        await server.SendAsync(TestOffice.Message("escalation:ditolak", NotificationKinds.Escalation, "kepala.uji"));

        var dead = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "dead");
        dead.GetProperty("attempts").GetInt32().Should().Be(1, "every retry would be refused alike");
        dead.GetProperty("lastError").GetString().Should().Contain("refused").And.Contain("10.20.30.40");
        (await server.ScheduledItemAsync($"delivery:{dead.Id()}")).Status.Should().Be("failed");
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_by_hangfire_shown_failed_and_delivered_after_an_admin_retry()
    {
        TestOffice.Configure(_data, webhooks: (_receiver.BaseUrl + "/kinerja", Secret, null));
        _receiver.Answer = (HttpStatusCode.InternalServerError, """{"error": "rusak"}""");
        using var server = new KinerjaServer(_data, FastRetries);
        var kepala = await server.SignInAsync("kepala.uji");

        await server.SendAsync(TestOffice.Message("escalation:gagal", NotificationKinds.Escalation, "kepala.uji"));

        var dead = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "dead");
        dead.GetProperty("attempts").GetInt32().Should().Be(3);
        dead.GetProperty("lastError").GetString().Should().Contain("500");
        _receiver.Received.Should().HaveCount(3, "the first run and Hangfire's two retries");
        var item = await server.ScheduledItemAsync($"delivery:{dead.Id()}");
        item.Status.Should().Be("failed");
        (await server.WaitForHangfireStateAsync(item.JobId!, "Failed")).Should().Be("Failed", "the dashboard shows it failed");

        _receiver.Answer = (HttpStatusCode.OK, "{}");
        await kepala.PostAsync($"/api/notifications/deliveries/{dead.Id()}/retry", null).OkJsonAsync();

        var delivered = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "delivered");
        delivered.Id().Should().Be(dead.Id());
        _receiver.Received.Should().HaveCount(4);
        (await server.ScheduledItemAsync($"delivery:{dead.Id()}")).Status.Should().Be("done");
    }

    [Fact]
    public async Task A_delivery_pending_when_the_host_stops_is_delivered_after_the_restart()
    {
        TestOffice.Configure(_data, webhooks: (_receiver.BaseUrl + "/kinerja", Secret, null));
        _receiver.Answer = (HttpStatusCode.ServiceUnavailable, """{"error": "sedang pemeliharaan"}""");
        var slowRetry = new Dictionary<string, string?>(FastRetries) { ["Scheduling:RetryDelays:0"] = "3" };
        Guid deliveryId;
        using (var first = new KinerjaServer(_data, slowRetry))
        {
            await first.SendAsync(TestOffice.Message("reminder:restart", NotificationKinds.Reminder, "staf.uji"));
            var kepala = await first.SignInAsync("kepala.uji");
            var failed = await kepala.WaitForDeliveryAsync(d => d.GetProperty("attempts").GetInt32() == 1 && d.GetProperty("lastError").GetString() is not null);
            failed.GetProperty("lastError").GetString().Should().Contain("503");
            deliveryId = failed.Id();
        }

        _receiver.Answer = (HttpStatusCode.OK, "{}");
        using var second = new KinerjaServer(_data, slowRetry);
        var admin = await second.SignInAsync("kepala.uji");

        var delivered = await admin.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "delivered");
        delivered.Id().Should().Be(deliveryId);
        delivered.GetProperty("attempts").GetInt32().Should().Be(2);
        _receiver.Received.Should().HaveCount(2);
        _receiver.Received.Select(r => r.Headers["X-Kinerja-Delivery"]).Distinct().Should().Equal(deliveryId.ToString());
        _receiver.Received.Select(r => r.Body).Distinct().Should().HaveCount(1, "a retry sends the same signed body");
    }

    [Fact]
    public async Task A_send_tasks_message_reaches_the_roles_inbox_and_the_webhook()
    {
        TestOffice.Configure(_data, webhooks: (_receiver.BaseUrl + "/kinerja", Secret, ["message"]));
        TestOffice.AddWorkflow(_data, "kirim-pesan.bpmn", SendTaskWorkflow);
        using var server = new KinerjaServer(_data, FastRetries);
        var kepala = await server.SignInAsync("kepala.uji");

        var instance = (await kepala.StartAsync("uji-kirim-pesan", "PESAN-7")).Id();

        var request = await _receiver.WaitForRequestAsync();
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("kind").GetString().Should().Be("message");
        body.RootElement.GetProperty("text").GetString().Should().Be("Laporan PESAN-7 sudah masuk, mohon diproses.");
        body.RootElement.GetProperty("subject").GetString().Should().Be("Pemberitahuan SOP Kirim Pesan Uji (PESAN-7)");
        body.RootElement.GetProperty("instanceId").GetGuid().Should().Be(instance);
        foreach (var user in new[] { "staf.uji", "staf.uji2" })
        {
            var list = await (await server.SignInAsync(user)).GetAsync("/api/notifications").OkJsonAsync();
            list.GetArrayLength().Should().Be(1);
            list[0].GetProperty("message").GetString().Should().Be("Laporan PESAN-7 sudah masuk, mohon diproses.");
        }

        (await kepala.GetAsync("/api/notifications").OkJsonAsync()).GetArrayLength().Should().Be(0, "the message is for Staf");
    }

    private const string SendTaskWorkflow = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0"
                          id="Definitions_Pesan" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="uji-kirim-pesan" name="Kirim Pesan Uji" isExecutable="true">
            <bpmn:laneSet id="LaneSet_1">
              <bpmn:lane id="Lane_Kepala" name="Kepala Kantor">
                <bpmn:flowNodeRef>Mulai</bpmn:flowNodeRef>
                <bpmn:flowNodeRef>Beritahu</bpmn:flowNodeRef>
              </bpmn:lane>
              <bpmn:lane id="Lane_Staf" name="Staf">
                <bpmn:flowNodeRef>Proses</bpmn:flowNodeRef>
                <bpmn:flowNodeRef>Selesai</bpmn:flowNodeRef>
              </bpmn:lane>
            </bpmn:laneSet>
            <bpmn:startEvent id="Mulai">
              <bpmn:outgoing>F1</bpmn:outgoing>
            </bpmn:startEvent>
            <bpmn:sendTask id="Beritahu" name="Beritahu staf">
              <bpmn:extensionElements>
                <sop:notify role="Staf">Laporan ${businessKey} sudah masuk, mohon diproses.</sop:notify>
              </bpmn:extensionElements>
              <bpmn:incoming>F1</bpmn:incoming>
              <bpmn:outgoing>F2</bpmn:outgoing>
            </bpmn:sendTask>
            <bpmn:userTask id="Proses" name="Memproses laporan">
              <bpmn:extensionElements>
                <sop:step nomor="1" waktu="1 Hari Kerja" kelengkapan="Laporan" output="Laporan diproses" />
              </bpmn:extensionElements>
              <bpmn:incoming>F2</bpmn:incoming>
              <bpmn:outgoing>F3</bpmn:outgoing>
            </bpmn:userTask>
            <bpmn:endEvent id="Selesai">
              <bpmn:incoming>F3</bpmn:incoming>
            </bpmn:endEvent>
            <bpmn:sequenceFlow id="F1" sourceRef="Mulai" targetRef="Beritahu" />
            <bpmn:sequenceFlow id="F2" sourceRef="Beritahu" targetRef="Proses" />
            <bpmn:sequenceFlow id="F3" sourceRef="Proses" targetRef="Selesai" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}
