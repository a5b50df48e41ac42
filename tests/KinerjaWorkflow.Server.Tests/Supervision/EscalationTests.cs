using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Supervision;

/// <summary>Escalations reach supervisors as in-app notifications through the notification sender, as the scheduler sends them.</summary>
public sealed class EscalationTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    [Fact]
    public async Task A_supervisor_sees_the_escalations_they_received_with_the_task_as_it_is_now()
    {
        var (task, instance) = await EscalatedSiapkanAsync("eskalasi-daftar", Inbox.Kasubbag);

        var received = await ReceivedAsync(Inbox.Kasubbag, "eskalasi-daftar");

        received.GetProperty("subject").GetString().Should().Be("Langkah terlambat");
        received.GetProperty("taskId").GetGuid().Should().Be(task);
        received.GetProperty("instanceId").GetGuid().Should().Be(instance);
        received.GetProperty("acknowledgedAt").ValueKind.Should().Be(JsonValueKind.Null);
        received.GetProperty("task").GetProperty("stepId").GetString().Should().Be("Siapkan");
        received.GetProperty("task").GetProperty("status").GetString().Should().Be("open");
    }

    [Theory]
    [InlineData(Inbox.PelaksanaSatu)]
    [InlineData(Inbox.Kepala)]
    [InlineData(Inbox.Outsider)]
    public async Task Nobody_else_sees_an_escalation(string user)
    {
        await EscalatedSiapkanAsync("eskalasi-orang-lain-" + user, Inbox.Kasubbag);

        var list = await (await inbox.As(user)).GetAsync("/api/supervision/escalations").OkJsonAsync();

        list.EnumerateArray().Should().NotContain(e => e.GetProperty("message").GetString()!.Contains("eskalasi-orang-lain-" + user, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acknowledging_records_who_and_when_once_and_drops_it_from_the_unacknowledged()
    {
        await EscalatedSiapkanAsync("eskalasi-tanggap", Inbox.Kasubbag);
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var escalation = (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-tanggap")).Id();

        var first = await kasubbag.PostAsJsonAsync($"/api/supervision/escalations/{escalation}/acknowledge", new { note = "Sudah saya telepon." }).OkJsonAsync();
        inbox.Server.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await kasubbag.PostAsJsonAsync($"/api/supervision/escalations/{escalation}/acknowledge", new { note = "lagi" }).OkJsonAsync();

        first.GetProperty("acknowledgementNote").GetString().Should().Be("Sudah saya telepon.");
        first.GetProperty("readAt").ValueKind.Should().NotBe(JsonValueKind.Null);
        again.GetProperty("acknowledgedAt").GetDateTimeOffset().Should().Be(first.GetProperty("acknowledgedAt").GetDateTimeOffset());
        again.GetProperty("acknowledgementNote").GetString().Should().Be("Sudah saya telepon.");
        var open = await kasubbag.GetAsync("/api/supervision/escalations?unacknowledged=true").OkJsonAsync();
        open.EnumerateArray().Select(e => e.Id()).Should().NotContain(escalation);
    }

    [Theory]
    [InlineData(Inbox.PelaksanaSatu, HttpStatusCode.NotFound)]
    [InlineData(Inbox.Outsider, HttpStatusCode.NotFound)]
    public async Task Only_the_recipient_acknowledges_and_a_refusal_changes_nothing(string user, HttpStatusCode expected)
    {
        await EscalatedSiapkanAsync("eskalasi-bukan-milik-" + user, Inbox.Kasubbag);
        var escalation = (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-bukan-milik-" + user)).Id();

        await (await inbox.As(user)).PostAsJsonAsync($"/api/supervision/escalations/{escalation}/acknowledge", new { }).ProblemAsync(expected);

        (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-bukan-milik-" + user)).GetProperty("acknowledgedAt").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_unknown_escalation_or_an_overlong_note_is_a_problem()
    {
        await EscalatedSiapkanAsync("eskalasi-catatan", Inbox.Kasubbag);
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var escalation = (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-catatan")).Id();

        await kasubbag.PostAsJsonAsync($"/api/supervision/escalations/{Guid.NewGuid()}/acknowledge", new { }).ProblemAsync(HttpStatusCode.NotFound);
        await kasubbag.PostAsJsonAsync($"/api/supervision/escalations/{escalation}/acknowledge", new { note = new string('x', 1001) })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);

        (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-catatan")).GetProperty("acknowledgedAt").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Reassigning_from_an_escalation_hands_the_task_over_and_acknowledges_it()
    {
        var (task, _) = await EscalatedSiapkanAsync("eskalasi-alih", Inbox.Kasubbag);
        await (await inbox.As(Inbox.PelaksanaSatu)).PostAsync($"/api/tasks/{task}/claim", null).OkJsonAsync();
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var escalation = (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-alih")).Id();

        var handled = await kasubbag.PostAsJsonAsync(
            $"/api/supervision/escalations/{escalation}/reassign",
            new { username = Inbox.PelaksanaDua, reason = "Terlambat; Pelaksana Satu sedang dinas luar." }).OkJsonAsync();

        handled.GetProperty("task").GetProperty("assignee").GetString().Should().Be(Inbox.PelaksanaDua);
        handled.GetProperty("acknowledgedAt").ValueKind.Should().NotBe(JsonValueKind.Null);
        (await kasubbag.TaskAsync(task)).GetProperty("assignee").GetString().Should().Be(Inbox.PelaksanaDua);
    }

    [Fact]
    public async Task A_refused_reassignment_from_an_escalation_neither_reassigns_nor_acknowledges()
    {
        var (task, _) = await EscalatedSiapkanAsync("eskalasi-alih-tolak", Inbox.Kasubbag);
        var before = await inbox.Server.SnapshotAsync(task);
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var escalation = (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-alih-tolak")).Id();

        await kasubbag.PostAsJsonAsync($"/api/supervision/escalations/{escalation}/reassign", new { username = Inbox.Bendahara, reason = "salah orang" })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);

        (await inbox.Server.SnapshotAsync(task)).Should().Be(before);
        (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-alih-tolak")).GetProperty("acknowledgedAt").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task When_one_recipient_takes_an_escalation_on_the_others_see_who_did_and_it_leaves_their_open_list()
    {
        await EscalatedSiapkanAsync("eskalasi-dua-penerima", Inbox.Kasubbag, Inbox.Kepala);
        var escalation = (await ReceivedAsync(Inbox.Kasubbag, "eskalasi-dua-penerima")).Id();
        await (await inbox.As(Inbox.Kasubbag)).PostAsJsonAsync($"/api/supervision/escalations/{escalation}/acknowledge", new { }).OkJsonAsync();

        var atKepala = await ReceivedAsync(Inbox.Kepala, "eskalasi-dua-penerima");
        var open = await (await inbox.As(Inbox.Kepala)).GetAsync("/api/supervision/escalations?unacknowledged=true").OkJsonAsync();

        atKepala.GetProperty("handledBy").GetProperty("name").GetString().Should().Be("Kasubbag Inbox (Kasubbag)");
        open.EnumerateArray().Select(e => e.Id()).Should().NotContain(atKepala.Id());
    }

    /// <summary>A new Siapkan task and an escalation about it sent to <paramref name="supervisors"/>, naming the business key.</summary>
    private async Task<(Guid Task, Guid Instance)> EscalatedSiapkanAsync(string businessKey, params string[] supervisors)
    {
        var (instance, task) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync(businessKey);
        await inbox.Server.Services.GetRequiredService<INotificationSender>().SendAsync(
            new NotificationMessage(
                "kantor-uji-inbox",
                supervisors,
                NotificationKinds.Escalation,
                "Langkah terlambat",
                $"Langkah 1 \"Menyiapkan berkas SPJ\" ({businessKey}) melewati tenggat.",
                instance,
                task,
                $"escalation:{task}:1"),
            CancellationToken.None);
        return (task, instance);
    }

    private async Task<JsonElement> ReceivedAsync(string user, string businessKey)
    {
        var list = await (await inbox.As(user)).GetAsync("/api/supervision/escalations").OkJsonAsync();
        return list.EnumerateArray().Single(e => e.GetProperty("message").GetString()!.Contains($"({businessKey})", StringComparison.Ordinal));
    }
}
