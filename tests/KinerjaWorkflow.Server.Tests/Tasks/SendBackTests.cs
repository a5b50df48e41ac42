using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Tasks;

/// <summary>
/// "revisi" on Verifikasi leads back to Siapkan: a send-back outcome, derived from the diagram. It needs a reason,
/// which the person who gets the work back reads on the task and in the inbox, and the history keeps.
/// </summary>
public sealed class SendBackTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private const string NoReason =
        "Hasil \"revisi\" mengembalikan pekerjaan ke langkah sebelumnya; tuliskan alasannya agar penerimanya tahu apa yang harus diperbaiki.";

    [Fact]
    public async Task The_step_names_its_send_back_outcomes()
    {
        var (_, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "kembali-daftar");

        var task = await (await inbox.As(Inbox.Kasubbag)).TaskAsync(verifikasi);

        task.GetProperty("sendBackOutcomes").EnumerateArray().Select(o => o.GetString()).Should().Equal("revisi");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Sending_back_without_a_reason_is_refused_and_changes_nothing(string? comment)
    {
        var (_, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "kembali-tanpa-alasan-" + (comment?.Length ?? 0));
        var before = await inbox.Server.SnapshotAsync(verifikasi);

        var problem = await (await inbox.As(Inbox.Kasubbag))
            .PostAsJsonAsync($"/api/tasks/{verifikasi}/complete", new { outcome = "revisi", comment })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);

        problem.GetProperty("detail").GetString().Should().Be(NoReason);
        (await inbox.Server.SnapshotAsync(verifikasi)).Should().Be(before);
    }

    [Fact]
    public async Task The_reason_reaches_whoever_gets_the_work_back_on_the_task_and_in_the_inbox_and_stays_in_the_history()
    {
        var (instance, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "kembali-dengan-alasan");
        await (await inbox.As(Inbox.Kasubbag)).CompleteAsync(verifikasi, "revisi", "Kuitansi belum bermeterai.");
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var redo = await pelaksana.OpenTaskAsync(instance, "Siapkan");

        var sentBack = (await pelaksana.TaskAsync(redo)).GetProperty("sentBack");
        var card = (await pelaksana.ListAsync("businessKey=kembali-dengan-alasan&status=active")).Single().GetProperty("sentBack");
        var history = await pelaksana.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();

        sentBack.GetProperty("outcome").GetString().Should().Be("revisi");
        sentBack.GetProperty("reason").GetString().Should().Be("Kuitansi belum bermeterai.");
        sentBack.GetProperty("fromStepId").GetString().Should().Be("Verifikasi");
        sentBack.GetProperty("byName").GetString().Should().Be("Kasubbag Inbox (Kasubbag)");
        card.GetProperty("reason").GetString().Should().Be("Kuitansi belum bermeterai.");
        history.EnumerateArray().Should().Contain(e =>
            e.GetProperty("action").GetString() == "task-completed"
            && e.GetProperty("detail").GetString() == "revisi"
            && e.GetProperty("comment").GetString() == "Kuitansi belum bermeterai.");
    }

    [Fact]
    public async Task An_outcome_that_goes_forward_needs_no_reason_and_the_next_step_is_not_sent_back()
    {
        var (instance, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "maju-tanpa-alasan");
        await (await inbox.As(Inbox.Kasubbag)).CompleteAsync(verifikasi, "setuju");
        var bendahara = await inbox.As(Inbox.Bendahara);

        var bayar = await bendahara.TaskAsync(await bendahara.OpenTaskAsync(instance, "Bayar"));

        bayar.GetProperty("sentBack").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_claim_refused_because_someone_holds_the_task_names_the_person()
    {
        var (_, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("rebutan-klaim");
        await (await inbox.As(Inbox.PelaksanaSatu)).PostAsync($"/api/tasks/{siapkan}/claim", null).OkJsonAsync();

        var problem = await (await inbox.As(Inbox.PelaksanaDua)).PostAsync($"/api/tasks/{siapkan}/claim", null)
            .ProblemAsync(HttpStatusCode.Conflict);

        problem.GetProperty("detail").GetString().Should().Be("Tugas ini sudah diambil oleh Pelaksana Satu (Pelaksana).");
    }
}
