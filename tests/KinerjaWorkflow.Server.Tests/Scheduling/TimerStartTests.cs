using System.Net;
using System.Text.Json;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>Timer start events: one instance per occurrence, in the office's business calendar.</summary>
public sealed class TimerStartTests : IDisposable
{
    private const string Key = "uji-laporan-triwulan";
    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_quarterly_timer_start_starts_exactly_one_instance_per_quarter()
    {
        using var server = new SchedulingServer(_data, new RecordingSender(), Wita("2025-03-20T09:00"));
        var kepala = await server.SignInAsync("kepala.uji");
        await kepala.PostAsync("/api/definitions", Bpmn(Xml("triwulan"))).OkJsonAsync(HttpStatusCode.Created);

        // 1 April 2025 is Idul Fitri and the cuti bersama run to 7 April: the first working day is Tuesday 8 April.
        (await NextFiringsAsync(server)).Should().Equal(Wita("2025-04-08T08:00"));

        server.Clock.SetTo(Wita("2025-04-08T08:00"));
        kepala = await server.SignInAsync("kepala.uji");
        var first = await WaitForInstancesAsync(server, kepala, 1);
        first[0].GetProperty("businessKey").GetString().Should().Be("2025-TW1");
        var detail = await kepala.GetAsync($"/api/instances/{first[0].GetProperty("id").GetGuid()}").OkJsonAsync();
        detail.GetProperty("variables").GetProperty("triwulan").GetInt32().Should().Be(1);
        detail.GetProperty("variables").GetProperty("tahun").GetInt32().Should().Be(2025);

        var fired = await server.QueryAsync(db => db.ScheduledItems.SingleAsync(i => i.Key.StartsWith($"timer-start:{Key}/") && i.DueAt == Wita("2025-04-08T08:00")));
        fired.Status.Should().Be("done");
        await server.RunAgainAsync(fired.Id);
        (await NextFiringsAsync(server)).Should().Equal(Wita("2025-07-01T08:00"));

        server.Clock.SetTo(Wita("2025-07-01T08:00"));
        kepala = await server.SignInAsync("kepala.uji");
        var both = await WaitForInstancesAsync(server, kepala, 2);
        both.Select(i => i.GetProperty("businessKey").GetString()).Should().BeEquivalentTo("2025-TW1", "2025-TW2");
    }

    [Fact]
    public async Task Redeploying_a_definition_reschedules_its_timer_start()
    {
        using var server = new SchedulingServer(_data, new RecordingSender(), Wita("2025-03-20T09:00"));
        var kepala = await server.SignInAsync("kepala.uji");
        await kepala.PostAsync("/api/definitions", Bpmn(Xml("triwulan"))).OkJsonAsync(HttpStatusCode.Created);

        await kepala.PostAsync("/api/definitions", Bpmn(Xml("R/2025-03-24T07:30:00/P1W"))).OkJsonAsync(HttpStatusCode.Created);
        (await NextFiringsAsync(server)).Should().Equal(Wita("2025-03-24T07:30"));

        await kepala.PostAsync("/api/definitions", Bpmn(Xml(null))).OkJsonAsync(HttpStatusCode.Created);
        (await NextFiringsAsync(server)).Should().BeEmpty();
    }

    [Fact]
    public async Task Quarters_missed_while_the_host_was_down_start_only_the_latest_once()
    {
        using (var first = new SchedulingServer(_data, new RecordingSender(), Wita("2025-03-20T09:00")))
        {
            var kepala = await first.SignInAsync("kepala.uji");
            await kepala.PostAsync("/api/definitions", Bpmn(Xml("triwulan"))).OkJsonAsync(HttpStatusCode.Created);
        }

        using var second = new SchedulingServer(_data, new RecordingSender(), Wita("2025-10-10T09:00"));
        var admin = await second.SignInAsync("kepala.uji");

        var started = await WaitForInstancesAsync(second, admin, 1);
        started[0].GetProperty("businessKey").GetString().Should().Be("2025-TW3");
        await WaitForFiringsAsync(second, Wita("2026-01-02T08:00"));
        (await InstancesAsync(admin)).Should().HaveCount(1);
    }

    private static Task<List<DateTimeOffset>> NextFiringsAsync(SchedulingServer server) =>
        server.QueryAsync(db => db.ScheduledItems
            .Where(i => i.Kind == "timer-start" && i.Status == "pending" && i.Key.StartsWith($"timer-start:{Key}/"))
            .Select(i => i.DueAt)
            .ToListAsync());

    private static async Task WaitForFiringsAsync(SchedulingServer server, params DateTimeOffset[] expected)
    {
        IReadOnlyList<DateTimeOffset> firings = [];
        for (var i = 0; i < 200; i++)
        {
            firings = await NextFiringsAsync(server);
            if (firings.SequenceEqual(expected))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Timer start triggers stayed at {string.Join(", ", firings)}");
    }

    private static async Task<List<JsonElement>> InstancesAsync(HttpClient client) =>
        (await client.GetAsync($"/api/instances?definitionKey={Key}").OkJsonAsync()).EnumerateArray().ToList();

    private static async Task<List<JsonElement>> WaitForInstancesAsync(SchedulingServer server, HttpClient client, int count)
    {
        for (var i = 0; i < 200; i++)
        {
            var instances = await InstancesAsync(client);
            if (instances.Count >= count)
            {
                instances.Should().HaveCount(count);
                return instances;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Fewer than {count} instance(s) of {Key} started by {server.Clock.GetUtcNow():O}");
    }

    /// <summary>The quarterly report of Kantor Uji: a timer start event with the given cycle (or none) and a manual start.</summary>
    private static string Xml(string? cycle) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0"
                          id="Definitions_Triwulan" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="{Key}" name="Laporan Triwulan" isExecutable="true">
            <bpmn:laneSet id="LaneSet_1">
              <bpmn:lane id="Lane_Staf" name="Staf"><bpmn:flowNodeRef>Susun</bpmn:flowNodeRef></bpmn:lane>
            </bpmn:laneSet>
            {(cycle is null ? string.Empty : $"""
            <bpmn:startEvent id="Mulai_Triwulan" name="Triwulan berakhir">
              <bpmn:outgoing>F0</bpmn:outgoing>
              <bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition>
            </bpmn:startEvent>
            <bpmn:sequenceFlow id="F0" sourceRef="Mulai_Triwulan" targetRef="Gabung" />
            """)}
            <bpmn:startEvent id="Mulai_Manual"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:exclusiveGateway id="Gabung"><bpmn:outgoing>F2</bpmn:outgoing></bpmn:exclusiveGateway>
            <bpmn:userTask id="Susun" name="Menyusun laporan triwulan">
              <bpmn:extensionElements><sop:step nomor="1" waktu="5 Hari Kerja" output="Laporan triwulan" /></bpmn:extensionElements>
              <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing>
            </bpmn:userTask>
            <bpmn:endEvent id="Selesai"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="F1" sourceRef="Mulai_Manual" targetRef="Gabung" />
            <bpmn:sequenceFlow id="F2" sourceRef="Gabung" targetRef="Susun" />
            <bpmn:sequenceFlow id="F3" sourceRef="Susun" targetRef="Selesai" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}
