using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>
/// Reminders and escalations of late steps: each step of a task's plan is written into the schedule once it is due,
/// and swept to Hangfire, when the manual clock passes it.
/// </summary>
public sealed class SlaTests : IDisposable
{
    private readonly ServerData _data = new();
    private readonly RecordingSender _sender = new();
    private readonly SchedulingServer _server;

    public SlaTests()
    {
        _server = new SchedulingServer(_data, _sender);
    }

    public void Dispose()
    {
        _server.Dispose();
        _data.Dispose();
    }

    /// <summary>Kantor Uji is in WITA (UTC+8).</summary>
    internal static DateTimeOffset Wita(string local) => DateTimeOffset.Parse(local + "+08:00", CultureInfo.InvariantCulture);

    /// <summary>Kantor Camat Batang Kapas is in WIB (UTC+7).</summary>
    internal static DateTimeOffset Wib(string local) => DateTimeOffset.Parse(local + "+07:00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_reminder_and_then_an_escalation_fire_when_the_clock_passes_their_business_instants()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "2025-TW1")).Id();
        var task = await staf.OpenTaskAsync(instance, "Susun");

        (await _server.QueryAsync(db => db.ScheduledItems.CountAsync(s => s.TaskId == task))).Should().Be(0, "no step of the plan is due yet");
        (await _server.NextSlaStepAtAsync(task)).Should().Be(Wita("2025-03-03T09:30"));

        _server.Clock.SetTo(Wita("2025-03-03T09:29"));
        (await _server.QueryAsync(db => db.ScheduledItems.CountAsync(s => s.TaskId == task))).Should().Be(0, "the reminder is not due for a minute yet");

        _server.Clock.SetTo(Wita("2025-03-03T09:30"));
        var reminder = await _sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "reminder");
        reminder.Kind.Should().Be("reminder");
        (await _server.NextSlaStepAtAsync(task)).Should().Be(Wita("2025-03-03T10:00"), "the escalation is planned as the reminder is scheduled");
        reminder.UserNames.Should().BeEquivalentTo("staf.uji", "staf.uji2");
        reminder.Text.Should().Contain("langkah 1 \"Menyusun laporan\"").And.Contain("SOP \"Laporan Sederhana\" (2025-TW1)")
            .And.Contain("Senin, 3 Maret 2025 pukul 10.00 WITA").And.Contain("Sisa waktu kerja: 30 menit");

        _server.Clock.SetTo(Wita("2025-03-03T10:00"));
        var escalation = await _sender.WaitForAsync(m => m.DeduplicationKey == $"escalation:{task}:1", "escalation");
        escalation.UserNames.Should().Equal("kepala.uji");
        escalation.Subject.Should().StartWith("Eskalasi tingkat 1: langkah 1 \"Menyusun laporan\"");
        escalation.Text.Should().Contain("Belum diambil oleh anggota peran Staf");

        var decided = await _server.WaitForAsync(
            db => db.ScheduledItems.Where(n => n.TaskId == task && n.Status == "done").ToListAsync(),
            rows => rows.Count == 2,
            "both items recorded as done");
        decided.OrderBy(n => n.FinishedAt).Select(n => (n.Kind, n.Level, n.Role, n.DueAt, n.FinishedAt)).Should().Equal(
            ("reminder", 1, (string?)null, Wita("2025-03-03T09:30"), (DateTimeOffset?)Wita("2025-03-03T09:30")),
            ("escalation", 1, "Kepala Kantor", Wita("2025-03-03T10:00"), (DateTimeOffset?)Wita("2025-03-03T10:00")));
        (await _server.NextSlaStepAtAsync(task)).Should().BeNull("the head of office is the last level");
    }

    [Theory]
    // "1 Hari Kerja" given Monday 08:00 at the Kantor Camat (breaks 12:00–13:00) is due Tuesday 08:00: 7.5 working hours.
    [InlineData("", "2025-03-03T14:37:30", "2025-03-05T08:00", "2025-03-06T08:00")]
    [InlineData("sop:reminderAt=\"0,5\" sop:escalationInterval=\"2 jam\"", "2025-03-03T11:45", "2025-03-04T10:00", "2025-03-04T12:00")]
    public async Task The_escalation_chain_is_planned_per_office_and_overridden_per_definition(
        string processAttributes,
        string reminderAt,
        string secondLevelAt,
        string headAt)
    {
        _server.Clock.SetTo(Wib("2025-03-03T08:00"));
        var task = await StartChainAsync(processAttributes);
        (await _server.NextSlaStepAtAsync(task)).Should().Be(Wib(reminderAt));

        // Past the last level at once: every step is scheduled in turn, each at its own planned instant.
        _server.Clock.SetTo(Wib(headAt));
        var steps = await _server.WaitForAsync(
            db => db.ScheduledItems.Where(s => s.TaskId == task).ToListAsync(),
            rows => rows.Count == 4 && rows.All(r => r.Status is "done" or "cancelled"),
            "the reminder and three escalation levels scheduled and run");

        steps.OrderBy(s => s.DueAt).Select(s => (s.Kind, s.Level, s.Role, s.DueAt)).Should().Equal(
            ("reminder", 1, (string?)null, Wib(reminderAt)),
            ("escalation", 1, "Kasubag Perencanaan Keuangan dan Pelaporan", Wib("2025-03-04T08:00")),
            ("escalation", 2, "Sekretaris", Wib(secondLevelAt)),
            ("escalation", 3, "Camat", Wib(headAt)));
    }

    [Fact]
    public async Task An_office_closure_added_after_the_step_was_given_moves_the_levels_not_counted_yet_but_not_the_deadline()
    {
        _server.Clock.SetTo(Wib("2025-03-03T08:00"));
        var task = await StartChainAsync(string.Empty);
        var camat = await _server.SignInAsync("legiandru");
        await camat.PostAsJsonAsync("/api/calendars/kantor", new { date = "2025-03-05", name = "Rapat kerja kecamatan" }).OkJsonAsync();

        _server.Clock.SetTo(Wib("2025-03-07T08:00"));
        var steps = await _server.WaitForAsync(
            db => db.ScheduledItems.Where(s => s.TaskId == task && s.Kind == "escalation").ToListAsync(),
            rows => rows.Count == 3 && rows.All(r => r.Status == "done"),
            "three escalation levels scheduled and run");

        steps.OrderBy(s => s.Level).Select(s => (s.Level, s.DueAt)).Should().Equal(
            (1, Wib("2025-03-04T08:00")),
            (2, Wib("2025-03-06T08:00")),
            (3, Wib("2025-03-07T08:00")));
    }

    [Fact]
    public async Task A_task_whose_plan_cannot_be_read_does_not_hold_up_the_reminders_of_the_others()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var broken = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "rusak")).Id(), "Susun");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "sehat")).Id(), "Susun");

        // A version of the SOP that is not deployed: its reminder settings cannot be read.
        await _server.QueryAsync(db => db.Tasks.Where(t => t.Id == broken).ExecuteUpdateAsync(u => u.SetProperty(t => t.DefinitionVersion, 99)));
        _server.Clock.SetTo(Wita("2025-03-03T09:30"));

        await _sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "the other task's reminder");
        (await _server.NextSlaStepAtAsync(broken)).Should().Be(Wita("2025-03-03T09:30"), "it stays due, to be tried again at the next sweep");
        _sender.Delivered.Should().NotContain(m => m.TaskId == broken);
    }

    [Fact]
    public async Task An_overdue_step_escalates_one_level_further_up_each_working_day_until_the_head_is_told()
    {
        _server.Clock.SetTo(Wib("2025-03-03T08:00"));
        var task = await StartChainAsync(string.Empty);
        _server.Clock.SetTo(Wib("2025-03-03T14:40"));
        await _sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "reminder");

        var expected = new[]
        {
            ("2025-03-04T08:00", 1, "rini.marlina"),
            ("2025-03-05T08:00", 2, "yusrizal"),
            ("2025-03-06T08:00", 3, "legiandru"),
        };
        foreach (var (at, level, supervisor) in expected)
        {
            _server.Clock.SetTo(Wib(at));
            var escalation = await _sender.WaitForAsync(m => m.DeduplicationKey == $"escalation:{task}:{level}", $"escalation level {level}");
            escalation.UserNames.Should().Equal(supervisor);
        }

        _server.Clock.SetTo(Wib("2025-03-10T16:00"));
        var decided = await _server.WaitForAsync(
            db => db.ScheduledItems.Where(n => n.TaskId == task).ToListAsync(),
            rows => rows.Count == 4 && rows.All(n => n.Status == "done"),
            "the reminder and three escalations delivered");
        decided.Select(n => (n.Kind, n.Level)).Should().BeEquivalentTo(
            new[] { ("reminder", 1), ("escalation", 1), ("escalation", 2), ("escalation", 3) },
            "the head of office is the last level: nothing escalates past it");
    }

    [Fact]
    public async Task Completing_a_step_early_cancels_its_reminder_and_escalation()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var done = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "selesai-awal")).Id(), "Susun");
        var late = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "terlambat")).Id(), "Susun");

        _server.Clock.SetTo(Wita("2025-03-03T09:00"));
        await staf.CompleteAsync(done, comment: "selesai sebelum tenggat");

        (await _server.QueryAsync(db => db.ScheduledItems.CountAsync(s => s.TaskId == done))).Should().Be(0, "its reminder was not due yet, so nothing was scheduled");

        // The other step's reminder and escalation come due at the same instants: once they are delivered, the cancelled ones would have been too.
        _server.Clock.SetTo(Wita("2025-03-03T09:30"));
        await _sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{late}", "reminder of the late step");
        _server.Clock.SetTo(Wita("2025-03-03T10:30"));
        await _sender.WaitForAsync(m => m.DeduplicationKey == $"escalation:{late}:1", "escalation of the late step");
        await _server.WaitForAsync(
            db => db.ScheduledItems.CountAsync(n => n.TaskId == late && n.Status == "done"),
            count => count == 2,
            "the late step's reminder and escalation");
        _sender.Delivered.Should().NotContain(m => m.TaskId == done);
        (await _server.QueryAsync(db => db.ScheduledItems.CountAsync(n => n.TaskId == done && n.Status == "done"))).Should().Be(0);
    }

    [Fact]
    public async Task Reassigning_a_step_moves_its_pending_reminder_to_the_new_assignee()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "dialihkan")).Id(), "Susun");
        await staf.PostAsync($"/api/tasks/{task}/claim", null).OkJsonAsync();
        await staf.PostAsJsonAsync($"/api/tasks/{task}/delegate", new { username = "staf.uji2" }).OkJsonAsync();

        _server.Clock.SetTo(Wita("2025-03-03T09:30"));

        var reminder = await _sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "reminder");
        reminder.UserNames.Should().Equal("staf.uji2");
        _server.Clock.SetTo(Wita("2025-03-03T10:00"));
        var escalation = await _sender.WaitForAsync(m => m.DeduplicationKey == $"escalation:{task}:1", "escalation");
        escalation.Text.Should().Contain("Sedang dikerjakan oleh Staf Uji Dua (Staf)");
    }

    [Fact]
    public async Task A_refused_delivery_is_retried_by_hangfire_and_recorded_once()
    {
        _sender.FailNext(1);
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "smtp-menolak")).Id(), "Susun");

        _server.Clock.SetTo(Wita("2025-03-03T09:30"));
        await _sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "retried reminder");
        var delivered = await _server.WaitForAsync(
            db => db.ScheduledItems.SingleAsync(n => n.TaskId == task && n.Kind == "reminder"),
            n => n.Status == "done",
            "the reminder recorded as done");
        delivered.Attempts.Should().Be(2, "the first attempt was refused and Hangfire retried it");
        delivered.FinishedAt.Should().Be(Wita("2025-03-03T09:30"));
        _sender.Calls.Should().Be(2);
        _sender.Delivered.Count(m => m.TaskId == task).Should().Be(1);
    }

    [Fact]
    public async Task An_item_run_again_after_it_is_done_sends_nothing_more()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "dua-kali")).Id(), "Susun");
        _server.Clock.SetTo(Wita("2025-03-03T09:30"));
        await _sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "reminder");
        var reminder = await _server.WaitForAsync(
            db => db.ScheduledItems.SingleAsync(s => s.TaskId == task && s.Kind == "reminder"), s => s.Status == "done", "the reminder done");

        await _server.RunAgainAsync(reminder.Id);

        _sender.Delivered.Count(m => m.TaskId == task).Should().Be(1);
    }

    [Fact]
    public async Task A_reminder_whose_moment_passed_before_its_deadline_is_sent_once_with_the_working_time_left()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "terlambat-ingat")).Id(), "Susun");

        _server.Clock.SetTo(Wita("2025-03-03T09:45"));

        var reminder = await _sender.WaitForAsync(m => m.DeduplicationKey == $"reminder:{task}", "late reminder");
        reminder.Text.Should().Contain("Sisa waktu kerja: 15 menit");
        _server.Clock.SetTo(Wita("2025-03-03T10:00"));
        await _sender.WaitForAsync(m => m.DeduplicationKey == $"escalation:{task}:1", "escalation");
        _sender.Delivered.Count(m => m.DeduplicationKey == $"reminder:{task}").Should().Be(1);
    }

    [Fact]
    public async Task A_reminder_whose_moment_and_deadline_both_passed_is_not_sent_but_the_escalation_is()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "lompat")).Id(), "Susun");

        _server.Clock.SetTo(Wita("2025-03-03T10:15"));

        await _sender.WaitForAsync(m => m.DeduplicationKey == $"escalation:{task}:1", "escalation");
        var items = await _server.WaitForAsync(
            db => db.ScheduledItems.Where(i => i.TaskId == task).OrderBy(i => i.DueAt).Select(i => i.Status).ToListAsync(),
            statuses => !statuses.Contains("pending") && !statuses.Contains("enqueued"),
            "both items finished");
        items.Should().Equal("cancelled", "done");
        _sender.Delivered.Should().NotContain(m => m.DeduplicationKey == $"reminder:{task}");
    }

    private async Task<Guid> StartChainAsync(string processAttributes)
    {
        var camat = await _server.SignInAsync("legiandru");
        await camat.PostAsync("/api/definitions", Bpmn(ChainXml(processAttributes))).OkJsonAsync(HttpStatusCode.Created);
        var staf = await _server.SignInAsync("fauzan.hafiz");
        var instance = (await staf.StartAsync("uji-eskalasi-berjenjang", "berjenjang")).Id();
        return await staf.OpenTaskAsync(instance, "Rekap");
    }

    internal static MultipartFormDataContent Bpmn(string xml) => Api.DefinitionApiTests.Bpmn(xml);

    private static string ChainXml(string processAttributes) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0"
                          id="Definitions_Berjenjang" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="uji-eskalasi-berjenjang" name="Uji Eskalasi Berjenjang" isExecutable="true" {processAttributes}>
            <bpmn:laneSet id="LaneSet_1">
              <bpmn:lane id="Lane_Staf" name="Staf">
                <bpmn:flowNodeRef>Mulai</bpmn:flowNodeRef>
                <bpmn:flowNodeRef>Rekap</bpmn:flowNodeRef>
                <bpmn:flowNodeRef>Selesai</bpmn:flowNodeRef>
              </bpmn:lane>
            </bpmn:laneSet>
            <bpmn:startEvent id="Mulai"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:userTask id="Rekap" name="Merekap data kinerja">
              <bpmn:extensionElements>
                <sop:step nomor="1" waktu="1 Hari Kerja" kelengkapan="Data kinerja" output="Rekap kinerja" />
              </bpmn:extensionElements>
              <bpmn:incoming>F1</bpmn:incoming>
              <bpmn:outgoing>F2</bpmn:outgoing>
            </bpmn:userTask>
            <bpmn:endEvent id="Selesai"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="F1" sourceRef="Mulai" targetRef="Rekap" />
            <bpmn:sequenceFlow id="F2" sourceRef="Rekap" targetRef="Selesai" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}
