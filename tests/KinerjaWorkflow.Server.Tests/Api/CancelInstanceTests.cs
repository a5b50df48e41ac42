using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Api;

/// <summary>Cancelling a running SOP over HTTP, as docs/cancel-an-instance.md describes (its rule is tested by CancellersDocumentTests).</summary>
public sealed class CancelInstanceTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    [Fact]
    public async Task The_starter_cancels_at_the_first_step_with_a_reason_and_the_history_says_who_and_why()
    {
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, siapkan) = await pelaksana.NewSiapkanAsync("batal-pemulai");

        var cancelled = await pelaksana.PostAsJsonAsync($"/api/instances/{instance}/cancel", new { reason = "Salah memilih berkas." }).OkJsonAsync();

        cancelled.GetProperty("status").GetString().Should().Be("cancelled");
        (await pelaksana.TaskAsync(siapkan)).GetProperty("status").GetString().Should().Be("cancelled");
        var history = await pelaksana.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        var line = history.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "instance-cancelled");
        line.GetProperty("user").GetString().Should().Be(Inbox.PelaksanaSatu);
        line.GetProperty("detail").GetString().Should().Be("Salah memilih berkas.");
        (await ScheduledStatusesAsync(siapkan)).Should().NotContain([ScheduledStatus.Pending, ScheduledStatus.Enqueued]);
        (await DueSlaStepsAsync(DateTimeOffset.MaxValue)).Should().NotContain(siapkan, "a cancelled step's reminder and escalations are never scheduled");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public async Task Without_a_reason_nothing_is_cancelled(string? reason)
    {
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, siapkan) = await pelaksana.NewSiapkanAsync("batal-tanpa-alasan-" + (reason?.Length ?? 0));
        var before = await inbox.Server.SnapshotAsync(siapkan);

        var problem = await pelaksana.PostAsJsonAsync($"/api/instances/{instance}/cancel", new { reason })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);

        problem.GetProperty("detail").GetString().Should().Be("Tuliskan alasan pembatalan; alasan itu tercatat di riwayat proses.");
        (await inbox.Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Fact]
    public async Task Someone_else_is_refused_with_the_name_of_who_may()
    {
        var (instance, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("batal-orang-lain");
        var before = await inbox.Server.SnapshotAsync(siapkan);
        var other = await inbox.As(Inbox.PelaksanaDua);

        var problem = await other.PostAsJsonAsync($"/api/instances/{instance}/cancel", new { reason = "bukan milik saya" })
            .ProblemAsync(HttpStatusCode.Forbidden);

        problem.GetProperty("detail").GetString().Should().Be(
            "Hanya admin atau yang memulai proses ini (Pelaksana Satu (Pelaksana)) yang dapat membatalkannya.");
        (await inbox.Server.SnapshotAsync(siapkan)).Should().Be(before);
        (await other.GetAsync($"/api/instances/{instance}").OkJsonAsync()).GetProperty("canCancel").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Once_a_step_is_completed_only_an_admin_may_cancel()
    {
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "batal-lewat-langkah-1");
        var kepala = await inbox.As(Inbox.Kepala);

        var problem = await pelaksana.PostAsJsonAsync($"/api/instances/{instance}/cancel", new { reason = "terlambat sadar" })
            .ProblemAsync(HttpStatusCode.Forbidden);
        var canCancel = (await pelaksana.GetAsync($"/api/instances/{instance}").OkJsonAsync()).GetProperty("canCancel").GetBoolean();
        var adminCanCancel = (await kepala.GetAsync($"/api/instances/{instance}").OkJsonAsync()).GetProperty("canCancel").GetBoolean();
        var cancelled = await kepala.PostAsJsonAsync($"/api/instances/{instance}/cancel", new { reason = "Anggaran dibatalkan." }).OkJsonAsync();

        problem.GetProperty("detail").GetString().Should().Be("Proses ini sudah melewati langkah pertamanya; hanya admin yang dapat membatalkannya sekarang.");
        canCancel.Should().BeFalse();
        adminCanCancel.Should().BeTrue();
        cancelled.GetProperty("status").GetString().Should().Be("cancelled");
        (await kepala.TaskAsync(verifikasi)).GetProperty("status").GetString().Should().Be("cancelled");
    }

    /// <summary>The tasks whose reminder or escalation step the sweep would schedule at <paramref name="now"/>.</summary>
    private async Task<List<Guid>> DueSlaStepsAsync(DateTimeOffset now)
    {
        using var scope = inbox.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        return await db.Tasks.AsNoTracking()
            .Where(t => (t.Status == "open" || t.Status == "claimed") && t.NextSlaStepAt != null && t.NextSlaStepAt <= now)
            .Select(t => t.Id)
            .ToListAsync();
    }

    private async Task<List<string>> ScheduledStatusesAsync(Guid taskId)
    {
        using var scope = inbox.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        return await db.ScheduledItems.AsNoTracking().Where(i => i.TaskId == taskId).Select(i => i.Status).ToListAsync();
    }
}
