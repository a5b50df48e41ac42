using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Notifications;

namespace KinerjaWorkflow.Server.Tests.Supervision;

/// <summary>
/// Closing the loop of an escalation in Kantor Uji, whose people have email addresses: Alihkan from the escalation
/// records who handled it, when and to whom, and the new holder hears of it in the app, by email and on their
/// open stream at once.
/// </summary>
public sealed class EscalationLoopTests : IDisposable
{
    private readonly SmtpTestServer _smtp = new();
    private readonly ServerData _data = new();
    private readonly KinerjaServer _server;

    public EscalationLoopTests()
    {
        TestOffice.Configure(_data, emails: true);
        _server = new KinerjaServer(_data, new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:UseTls"] = "false",
            ["Smtp:From"] = "kinerja@uji.example",
        });
        _server.Clock.SetTo(new DateTimeOffset(2025, 10, 6, 9, 0, 0, TimeSpan.FromHours(8)));
    }

    public void Dispose()
    {
        _server.Dispose();
        _smtp.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Reassigning_from_an_escalation_shows_it_handled_and_tells_the_new_holder_on_every_channel()
    {
        var (task, escalation) = await EscalatedSusunAsync("alih-lengkap", claimedBy: "staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var newHolder = await _server.SignInAsync("staf.uji2");
        using var response = await newHolder.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        await stream.NextCommentAsync();

        var handled = await kepala.PostAsJsonAsync(
            $"/api/supervision/escalations/{escalation}/reassign",
            new { username = "staf.uji2", reason = "Staf Uji Satu sedang cuti" }).OkJsonAsync();

        handled.GetProperty("acknowledgedAt").GetDateTimeOffset().Should().Be(_server.Clock.GetUtcNow());
        handled.GetProperty("acknowledgementNote").GetString().Should().Be("Dialihkan: Staf Uji Satu sedang cuti");
        var by = handled.GetProperty("handledBy");
        by.GetProperty("name").GetString().Should().Be("Kepala Uji (Kepala Kantor)");
        by.GetProperty("reassignedTo").GetString().Should().Be("staf.uji2");
        by.GetProperty("reassignedToName").GetString().Should().Be("Staf Uji Dua (Staf)");
        handled.GetProperty("task").GetProperty("assigneeName").GetString().Should().Be("Staf Uji Dua (Staf)");
        var open = await kepala.GetAsync("/api/supervision/escalations?unacknowledged=true").OkJsonAsync();
        open.EnumerateArray().Select(e => e.Id()).Should().NotContain(escalation);

        var pushed = await stream.NextEventAsync();
        pushed.Name.Should().Be("notification");
        pushed.Data.GetProperty("kind").GetString().Should().Be(NotificationKinds.Task);
        pushed.Data.GetProperty("taskId").GetGuid().Should().Be(task);
        (await stream.NextEventAsync()).Name.Should().Be("task", "the open inbox is told the task changed hands");
        var inApp = (await newHolder.GetAsync("/api/notifications").OkJsonAsync()).EnumerateArray()
            .Single(n => n.GetProperty("kind").GetString() == NotificationKinds.Task);
        inApp.GetProperty("subject").GetString().Should().Be("Tugas untuk Anda: langkah 1 \"Menyusun laporan\" — Laporan Sederhana (alih-lengkap)");
        inApp.GetProperty("message").GetString().Should().StartWith(
            "Kepala Uji (Kepala Kantor) menyerahkan langkah 1 \"Menyusun laporan\" pada SOP Laporan Sederhana untuk alih-lengkap kepada Anda. Alasan: Staf Uji Satu sedang cuti.");
        await _smtp.WaitForEmailAsync(count: 2);
        var email = _smtp.Received.Single(e => e.Recipients.Contains("staf.uji2@uji.example"));
        email.Subject.Should().Be(inApp.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Acknowledging_records_who_and_when_without_a_new_holder()
    {
        var (_, escalation) = await EscalatedSusunAsync("tandai", claimedBy: null);
        var kepala = await _server.SignInAsync("kepala.uji");

        var handled = await kepala.PostAsJsonAsync($"/api/supervision/escalations/{escalation}/acknowledge", new { note = "Sudah saya telepon." }).OkJsonAsync();

        var by = handled.GetProperty("handledBy");
        by.GetProperty("userName").GetString().Should().Be("kepala.uji");
        by.GetProperty("name").GetString().Should().Be("Kepala Uji (Kepala Kantor)");
        by.GetProperty("at").GetDateTimeOffset().Should().Be(_server.Clock.GetUtcNow());
        by.GetProperty("reassignedTo").ValueKind.Should().Be(JsonValueKind.Null);
    }

    /// <summary>A Susun task (claimed by the given Staf, or open) and an escalation about it sent to the Kepala Kantor.</summary>
    private async Task<(Guid Task, Guid Escalation)> EscalatedSusunAsync(string businessKey, string? claimedBy)
    {
        var kepala = await _server.SignInAsync("kepala.uji");
        var instance = (await kepala.StartAsync("uji-laporan-sederhana", businessKey)).Id();
        var task = await kepala.OpenTaskAsync(instance, "Susun");
        if (claimedBy is not null)
        {
            await (await _server.SignInAsync(claimedBy)).PostAsync($"/api/tasks/{task}/claim", null).OkJsonAsync();
        }

        await _server.SendAsync(new NotificationMessage(
            TestOffice.OfficeId,
            ["kepala.uji"],
            NotificationKinds.Escalation,
            "Eskalasi tingkat 1: langkah 1 terlambat",
            $"Langkah 1 \"Menyusun laporan\" ({businessKey}) melewati tenggat.",
            instance,
            task,
            $"escalation:{task}:1"));
        var received = await kepala.GetAsync("/api/supervision/escalations").OkJsonAsync();
        return (task, received.EnumerateArray().Single(e => e.GetProperty("taskId").GetGuid() == task).Id());
    }
}
