using System.Net.Http.Json;
using System.Text;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.ScaleOut;
using KinerjaWorkflow.Server.Tests.Scheduling;
using Microsoft.EntityFrameworkCore;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Calendars;

/// <summary>
/// docs/business-time.md, "When the calendar changes": the worked example, through the HTTP API on the Testing clock.
/// A step given on the last working day of 2026 is due in 2027, which the calendar does not cover yet; adding 2027
/// with a holiday on the due day moves the deadline, its reminder and its escalation.
/// </summary>
public sealed class ProvisionalDeadlineTests : IDisposable
{
    /// <summary>Test dates only, not the decree: 2027 must never be added to workflows/calendars.</summary>
    private const string Test2027 = """
        tanggal,nama,jenis
        2027-01-01,Tahun Baru 2027 Masehi (uji),libur-nasional
        """;

    private readonly ServerData _data = new();
    private readonly RecordingSender _sender = new();
    private readonly SchedulingServer _server;

    public ProvisionalDeadlineTests()
    {
        _server = new SchedulingServer(_data, _sender);
    }

    public void Dispose()
    {
        _server.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Adding_the_year_moves_an_open_provisional_deadline_and_its_escalation_fires_at_the_new_instant_only()
    {
        await MoveClockAsync(await _server.SignInAsync("kepala.uji"), Wita("2026-12-31T15:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "akhir-2026")).Id();
        var task = await staf.OpenTaskAsync(instance, "Susun");
        var given = await staf.GetAsync($"/api/tasks/{task}").OkJsonAsync();
        given.GetProperty("dueAt").GetDateTimeOffset().Should().Be(Wita("2027-01-01T08:30"), "2 jam: one hour on Thursday, one on Friday, a working day while 2027 is unknown");
        given.GetProperty("dueProvisional").GetBoolean().Should().BeTrue();

        using var upload = new StringContent(Test2027, Encoding.UTF8, "text/csv");
        await kepala.PutAsync("/api/calendars/2027/nasional", upload).OkJsonAsync();

        var moved = await staf.GetAsync($"/api/tasks/{task}").OkJsonAsync();
        moved.GetProperty("dueAt").GetDateTimeOffset().Should().Be(Wita("2027-01-04T08:30"), "1 January 2027 is a holiday, then a weekend");
        moved.GetProperty("dueProvisional").GetBoolean().Should().BeFalse();
        (await _server.QueryAsync(db => db.Tasks.Where(t => t.Id == task).Select(t => t.NextSlaStepAt).SingleAsync()))
            .Should().Be(Wita("2027-01-04T08:00"), "the reminder, not scheduled yet, moves with the deadline");
        var stateDue = await _server.QueryAsync(async db =>
            (await db.Instances.SingleAsync(i => i.Id == instance)).StateJson);
        stateDue.Should().Contain("\"dueAt\":\"2027-01-04T08:30:00+08:00\"", "the instance's own state carries the new deadline");
        var history = await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Should().ContainSingle(h => h.GetProperty("action").GetString() == ProvisionalDeadlines.AuditAction)
            .Which.GetProperty("detail").GetString().Should().Contain("Jumat, 1 Januari 2027 pukul 08.30 WITA menjadi Senin, 4 Januari 2027 pukul 08.30 WITA");
        var audit = (await kepala.GetAsync("/api/users/audit").OkJsonAsync()).EnumerateArray()
            .Single(a => a.GetProperty("action").GetString() == CalendarAuditActions.DeadlinesRecomputed);
        audit.GetProperty("target").GetString().Should().Be("2027");
        audit.GetProperty("detail").GetString().Should().StartWith("1 batas waktu");

        await MoveClockAsync(kepala, Wita("2027-01-01T09:00"));

        _sender.Delivered.Should().NotContain(m => m.TaskId == task, "the old instants are not due any more");

        await MoveClockAsync(kepala, Wita("2027-01-04T08:30"));

        _sender.Delivered.Where(m => m.TaskId == task).Select(m => m.DeduplicationKey).Should().Equal($"escalation:{task}:1");
    }

    [Fact]
    public async Task A_holiday_added_inside_a_covered_year_leaves_a_final_deadline_as_it_was_given()
    {
        await MoveClockAsync(await _server.SignInAsync("kepala.uji"), Wita("2026-10-13T15:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "oktober")).Id(), "Susun");

        await kepala.PostAsJsonAsync("/api/calendars/nasional", new { date = "2026-10-14", name = "Cuti bersama (uji)", kind = "cuti-bersama" }).OkJsonAsync();

        (await staf.GetAsync($"/api/tasks/{task}").OkJsonAsync()).GetProperty("dueAt").GetDateTimeOffset()
            .Should().Be(Wita("2026-10-14T08:30"), "a deadline counted in covered years was final when it was given");
        await MoveClockAsync(kepala, Wita("2026-10-14T08:30"));
        (await _server.QueryAsync(db => db.ScheduledItems.Where(s => s.TaskId == task && s.Kind == "escalation").Select(s => s.DueAt).SingleAsync()))
            .Should().Be(Wita("2026-10-14T08:30"), "escalation level 1 is the deadline as it was given");
    }

    [Fact]
    public async Task Adding_the_year_moves_a_provisional_boundary_timer_on_an_open_step()
    {
        await MoveClockAsync(await _server.SignInAsync("kepala.uji"), Wita("2026-12-31T15:00"));
        var kepala = await _server.SignInAsync("kepala.uji");
        await kepala.PostAsync("/api/definitions", Bpmn(BoundaryProcess)).OkJsonAsync(System.Net.HttpStatusCode.Created);
        var staf = await _server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync("uji-batas-akhir-tahun", "batas")).Id();
        var timer = await _server.QueryAsync(db => db.Timers.SingleAsync(t => t.InstanceId == instance));
        timer.DueAt.Should().Be(Wita("2027-01-01T08:30"));

        using var upload = new StringContent(Test2027, Encoding.UTF8, "text/csv");
        await kepala.PutAsync("/api/calendars/2027/nasional", upload).OkJsonAsync();

        (await _server.QueryAsync(db => db.Timers.Where(t => t.Id == timer.Id).Select(t => t.DueAt).SingleAsync()))
            .Should().Be(Wita("2027-01-04T08:30"), "the boundary timer started when the step was given, and is counted again from there");
        (await _server.QueryAsync(db => db.ScheduledItems.Where(i => i.Key == $"engine-timer:{timer.Id}").Select(i => i.DueAt).SingleAsync()))
            .Should().Be(Wita("2027-01-04T08:30"));

        await MoveClockAsync(kepala, Wita("2027-01-01T09:00"));

        (await (await _server.SignInAsync("staf.uji")).ActiveStepIdsAsync(instance)).Should().Equal("Kerjakan");

        await MoveClockAsync(await _server.SignInAsync("kepala.uji"), Wita("2027-01-04T08:30"));

        (await (await _server.SignInAsync("staf.uji")).ActiveStepIdsAsync(instance)).Should().Equal("Tindaklanjut");
    }

    [Fact]
    public async Task A_late_step_whose_deadline_is_still_provisional_is_marked_so_on_the_escalation_and_the_dashboard()
    {
        // Escalations are read from the supervisor's notifications, which the recording sender of the other tests
        // does not store: this test has a server of its own with the service's own sender.
        using var data = new ServerData();
        using var server = new KinerjaServer(data);
        await (await server.SignInAsync("staf.uji")).SetClockAsync(Wita("2026-12-31T15:00"));
        var staf = await server.SignInAsync("staf.uji");
        var late = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "terlambat-sementara")).Id(), "Susun");
        (await staf.GetAsync($"/api/tasks/{late}").OkJsonAsync()).GetProperty("dueProvisional").GetBoolean().Should().BeTrue();

        // Still in 2027 without its holidays: the deadline passes, counted on a day that may yet be a holiday. A
        // session lasts eight hours, so each person signs in again after a move of the clock.
        await staf.SetClockAsync(Wita("2027-01-01T09:00"));
        var kepala = await server.SignInAsync("kepala.uji");

        var escalation = (await kepala.GetAsync("/api/supervision/escalations").OkJsonAsync()).EnumerateArray()
            .Should().ContainSingle(e => e.GetProperty("taskId").GetGuid() == late).Subject;
        escalation.GetProperty("task").GetProperty("dueProvisional").GetBoolean().Should().BeTrue();
        var overdue = (await kepala.GetAsync("/api/dashboard").OkJsonAsync()).GetProperty("overdueTasks").EnumerateArray()
            .Should().ContainSingle(t => t.GetProperty("taskId").GetGuid() == late).Subject;
        overdue.GetProperty("dueProvisional").GetBoolean().Should().BeTrue();

        using var upload = new StringContent(Test2027, Encoding.UTF8, "text/csv");
        await kepala.PutAsync("/api/calendars/2027/nasional", upload).OkJsonAsync();
        await kepala.SetClockAsync(Wita("2027-01-04T09:00"));
        kepala = await server.SignInAsync("kepala.uji");

        var counted = (await kepala.GetAsync("/api/dashboard").OkJsonAsync()).GetProperty("overdueTasks").EnumerateArray()
            .Should().ContainSingle(t => t.GetProperty("taskId").GetGuid() == late).Subject;
        counted.GetProperty("dueAt").GetDateTimeOffset().Should().Be(Wita("2027-01-04T08:30"));
        counted.GetProperty("dueProvisional").GetBoolean().Should().BeFalse("the deadline was counted again with 2027's holidays");
    }

    private const string BoundaryProcess = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0"
                          id="Definitions_Batas" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="uji-batas-akhir-tahun" name="Uji Batas Akhir Tahun" isExecutable="true">
            <bpmn:laneSet id="LaneSet_1">
              <bpmn:lane id="Lane_Staf" name="Staf">
                <bpmn:flowNodeRef>Kerjakan</bpmn:flowNodeRef><bpmn:flowNodeRef>Tindaklanjut</bpmn:flowNodeRef>
              </bpmn:lane>
            </bpmn:laneSet>
            <bpmn:startEvent id="Mulai"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:userTask id="Kerjakan" name="Mengerjakan laporan">
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
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static async Task MoveClockAsync(HttpClient client, DateTimeOffset to) =>
        (await client.PostAsJsonAsync("/api/testing/clock", new { setTo = to }).OkJsonAsync())
            .GetProperty("stillRunning").GetArrayLength().Should().Be(0);
}
