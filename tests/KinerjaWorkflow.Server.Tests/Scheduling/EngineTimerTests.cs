using System.Net;
using System.Text.Json;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>Intermediate and boundary timers of the engine: schedule rows Hangfire fires when the clock passes them.</summary>
public sealed class EngineTimerTests : IDisposable
{
    private readonly ServerData _data = new();
    private readonly SchedulingServer _server;

    public EngineTimerTests()
    {
        _server = new SchedulingServer(_data, new RecordingSender());
    }

    public void Dispose()
    {
        _server.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task An_intermediate_timer_fires_when_the_clock_passes_it()
    {
        var (staf, instance) = await StartAsync(
            """
            <bpmn:intermediateCatchEvent id="Tunggu" name="Tunggu satu jam">
              <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
              <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            """ + Task("Kerjakan", "F2", "F3") + """
            <bpmn:endEvent id="Selesai"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="F1" sourceRef="Mulai" targetRef="Tunggu" />
            <bpmn:sequenceFlow id="F2" sourceRef="Tunggu" targetRef="Kerjakan" />
            <bpmn:sequenceFlow id="F3" sourceRef="Kerjakan" targetRef="Selesai" />
            """,
            "Kerjakan");
        (await staf.ActiveStepIdsAsync(instance)).Should().BeEmpty();
        var timer = await _server.QueryAsync(db => db.Timers.SingleAsync(t => t.InstanceId == instance));
        timer.DueAt.Should().Be(Wita("2025-03-03T09:00"));

        _server.Clock.SetTo(Wita("2025-03-03T09:00"));

        await WaitForStepsAsync(staf, instance, "Kerjakan");
        (await _server.QueryAsync(db => db.Timers.SingleAsync(t => t.Id == timer.Id))).Status.Should().Be("fired");
    }

    [Fact]
    public async Task An_interrupting_boundary_timer_cancels_its_step_with_its_sla_and_takes_its_own_path()
    {
        var (staf, instance) = await StartAsync(BoundaryProcess, "Kerjakan", "Tindaklanjut");
        var task = await staf.OpenTaskAsync(instance, "Kerjakan");

        _server.Clock.SetTo(Wita("2025-03-03T10:00"));

        await WaitForStepsAsync(staf, instance, "Tindaklanjut");
        (await _server.QueryAsync(db => db.Tasks.SingleAsync(t => t.Id == task))).Status.Should().Be("cancelled");

        // Its reminder and escalation were not due when it was cancelled; a week later none has been scheduled.
        _server.Clock.SetTo(Wita("2025-03-10T10:00"));
        await _server.Services.GetRequiredService<ScheduleSweep>().SweepAsync(CancellationToken.None);
        (await _server.QueryAsync(db => db.ScheduledItems.CountAsync(s => s.TaskId == task))).Should().Be(0);
    }

    [Fact]
    public async Task Completing_a_step_before_its_boundary_timer_cancels_the_timers_schedule_row()
    {
        var (staf, instance) = await StartAsync(BoundaryProcess, "Kerjakan", "Tindaklanjut");
        var timer = await _server.QueryAsync(db => db.Timers.SingleAsync(t => t.InstanceId == instance));
        (await TimerItemAsync(timer.Id)).Should().Be("pending");

        await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Kerjakan"));

        (await _server.QueryAsync(db => db.Timers.SingleAsync(t => t.Id == timer.Id))).Status.Should().Be("cancelled");
        (await TimerItemAsync(timer.Id)).Should().Be("cancelled");
        var view = await staf.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        view.GetProperty("status").GetString().Should().Be("completed");
    }

    [Fact]
    public async Task A_timer_the_instance_no_longer_waits_for_is_cancelled_instead_of_fired()
    {
        var (staf, instance) = await StartAsync(BoundaryProcess, "Kerjakan", "Tindaklanjut");
        var timer = await _server.QueryAsync(db => db.Timers.SingleAsync(t => t.InstanceId == instance));
        await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Kerjakan"));

        // A run that raced the completion: its rows still say pending and enqueued, the engine no longer waits for it.
        await _server.QueryAsync(db => db.Timers.Where(t => t.Id == timer.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, "pending")));
        var key = $"engine-timer:{timer.Id}";
        await _server.QueryAsync(db => db.ScheduledItems.Where(i => i.Key == key).ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, "enqueued")));
        await _server.RunAgainAsync(await _server.QueryAsync(db => db.ScheduledItems.Where(i => i.Key == key).Select(i => i.Id).SingleAsync()));

        (await _server.QueryAsync(db => db.Timers.SingleAsync(t => t.Id == timer.Id))).Status.Should().Be("cancelled");
        var history = await staf.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).Should().NotContain("timer-fired");
    }

    private const string BoundaryProcess = """
        <bpmn:userTask id="Kerjakan" name="Mengerjakan laporan">
          <bpmn:extensionElements><sop:step nomor="1" waktu="1 Hari Kerja" output="Laporan" /></bpmn:extensionElements>
          <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
        </bpmn:userTask>
        <bpmn:boundaryEvent id="Batas" name="Dua jam kerja" attachedToRef="Kerjakan">
          <bpmn:outgoing>F3</bpmn:outgoing>
          <bpmn:timerEventDefinition><bpmn:timeDuration>2 Jam</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:boundaryEvent>
        <bpmn:userTask id="Tindaklanjut" name="Menindaklanjuti keterlambatan">
          <bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F4</bpmn:outgoing>
        </bpmn:userTask>
        <bpmn:endEvent id="Selesai"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
        <bpmn:endEvent id="Terlambat"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
        <bpmn:sequenceFlow id="F1" sourceRef="Mulai" targetRef="Kerjakan" />
        <bpmn:sequenceFlow id="F2" sourceRef="Kerjakan" targetRef="Selesai" />
        <bpmn:sequenceFlow id="F3" sourceRef="Batas" targetRef="Tindaklanjut" />
        <bpmn:sequenceFlow id="F4" sourceRef="Tindaklanjut" targetRef="Terlambat" />
        """;

    private static string Task(string id, string incoming, string outgoing) => $"""
        <bpmn:userTask id="{id}" name="Mengerjakan">
          <bpmn:extensionElements><sop:step nomor="1" waktu="1 Hari Kerja" output="Hasil" /></bpmn:extensionElements>
          <bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>
        </bpmn:userTask>
        """;

    /// <summary>Deploys a process of Kantor Uji whose human tasks are Staf's and starts it on Monday 08:00 WITA.</summary>
    private async Task<(HttpClient Staf, Guid Instance)> StartAsync(string body, params string[] stafSteps)
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                              xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0"
                              id="Definitions_Timer" targetNamespace="http://bpmn.io/schema/bpmn">
              <bpmn:process id="uji-timer" name="Uji Timer" isExecutable="true">
                <bpmn:laneSet id="LaneSet_1">
                  <bpmn:lane id="Lane_Staf" name="Staf">
                    {string.Concat(stafSteps.Select(id => $"<bpmn:flowNodeRef>{id}</bpmn:flowNodeRef>"))}
                  </bpmn:lane>
                </bpmn:laneSet>
                <bpmn:startEvent id="Mulai"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
                {body}
              </bpmn:process>
            </bpmn:definitions>
            """;
        var kepala = await _server.SignInAsync("kepala.uji");
        await kepala.PostAsync("/api/definitions", Bpmn(xml)).OkJsonAsync(HttpStatusCode.Created);
        var staf = await _server.SignInAsync("staf.uji");
        return (staf, (await staf.StartAsync("uji-timer", "timer")).Id());
    }

    private Task<string> TimerItemAsync(Guid timerId) =>
        _server.QueryAsync(db => db.ScheduledItems.Where(i => i.Key == $"engine-timer:{timerId}").Select(i => i.Status).SingleAsync());

    private static async Task WaitForStepsAsync(HttpClient client, Guid instance, params string[] steps)
    {
        IReadOnlyList<string> active = [];
        for (var i = 0; i < 200; i++)
        {
            active = await client.ActiveStepIdsAsync(instance);
            if (active.SequenceEqual(steps))
            {
                return;
            }

            await System.Threading.Tasks.Task.Delay(100);
        }

        throw new TimeoutException($"Active steps stayed {JsonSerializer.Serialize(active)}, expected {JsonSerializer.Serialize(steps)}");
    }
}
