using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using KinerjaWorkflow.Server.Tests.Attachments;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Tasks;

public sealed class TaskDetailTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    [Fact]
    public async Task A_task_shows_its_sop_step_kelengkapan_output_waktu_and_outcomes()
    {
        var (_, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "konteks-sop");

        var task = await (await inbox.As(Inbox.Kasubbag)).TaskAsync(verifikasi);

        task.GetProperty("stepNumber").GetInt32().Should().Be(2);
        task.GetProperty("stepName").GetString().Should().Be("Memverifikasi berkas SPJ");
        task.GetProperty("kelengkapan").GetString().Should().Be("Berkas SPJ");
        task.GetProperty("output").GetString().Should().Be("SPJ terverifikasi");
        task.GetProperty("waktu").GetString().Should().Be("1 Hari Kerja");
        task.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).Should().BeEquivalentTo("setuju", "revisi");
        task.GetProperty("roles").EnumerateArray().Select(o => o.GetString()).Should().Equal("Kasubbag");
    }

    [Theory]
    [InlineData("2025-10-06T09:00:00+07:00", 0, 120)]
    [InlineData("2025-10-06T09:00:00+07:00", 90, 30)]
    [InlineData("2025-10-06T09:00:00+07:00", 180, -60)]
    [InlineData("2025-10-10T15:30:00+07:00", 30, 90)]
    [InlineData("2025-10-10T15:30:00+07:00", 60 * 24 * 3, -420)]
    public async Task Working_time_remaining_counts_office_hours_only_and_goes_negative_when_late(
        string createdAt, int minutesLater, int expectedMinutes)
    {
        inbox.Server.Clock.SetTo(DateTimeOffset.Parse(createdAt, System.Globalization.CultureInfo.InvariantCulture));
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await pelaksana.NewSiapkanAsync($"sisa-{createdAt}-{minutesLater}");
        inbox.Server.Clock.Advance(TimeSpan.FromMinutes(minutesLater));

        var task = await (await inbox.As(Inbox.PelaksanaSatu)).TaskAsync(siapkan);

        task.GetProperty("workingMinutesRemaining").GetInt64().Should().Be(expectedMinutes);
        task.GetProperty("overdue").GetBoolean().Should().Be(expectedMinutes < 0);
        inbox.Server.Clock.SetTo(Inbox.MondayMorning);
    }

    [Fact]
    public async Task A_completed_task_has_no_working_time_remaining()
    {
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await pelaksana.NewSiapkanAsync("sisa-selesai");

        var done = await pelaksana.CompleteAsync(siapkan);

        done.GetProperty("workingTimeRemaining").ValueKind.Should().Be(JsonValueKind.Null);
        done.GetProperty("allowedActions").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task The_next_step_shows_the_previous_steps_comment_and_documents_and_the_history_so_far()
    {
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var (instance, siapkan) = await pelaksana.NewSiapkanAsync("sebelumnya");
        await pelaksana.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(Documents.Pdf(), "spj.pdf")).OkJsonAsync(HttpStatusCode.Created);
        await pelaksana.CompleteAsync(siapkan, comment: "Nota lengkap, kuitansi terlampir.");
        var verifikasi = await kasubbag.OpenTaskAsync(instance, "Verifikasi");

        var task = await kasubbag.TaskAsync(verifikasi);

        var previous = task.GetProperty("previous");
        previous.GetProperty("taskId").GetGuid().Should().Be(siapkan);
        previous.GetProperty("stepName").GetString().Should().Be("Menyiapkan berkas SPJ");
        previous.GetProperty("completedBy").GetString().Should().Be(Inbox.PelaksanaSatu);
        previous.GetProperty("comment").GetString().Should().Be("Nota lengkap, kuitansi terlampir.");
        previous.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).Should().Equal("spj.pdf");
        task.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString())
            .Should().ContainInOrder("instance-started", "task-created", "task-completed", "task-created");
    }

    [Fact]
    public async Task After_a_revision_the_redo_shows_the_reviewers_comment()
    {
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "revisi-komentar");
        await kasubbag.PostAsJsonAsync($"/api/tasks/{verifikasi}/complete", new { outcome = "revisi", comment = "Kuitansi belum bermeterai." }).OkJsonAsync();

        var redo = await pelaksana.TaskAsync(await pelaksana.OpenTaskAsync(instance, "Siapkan"));

        redo.GetProperty("previous").GetProperty("outcome").GetString().Should().Be("revisi");
        redo.GetProperty("previous").GetProperty("comment").GetString().Should().Be("Kuitansi belum bermeterai.");
    }

    [Fact]
    public async Task A_completions_answer_after_a_send_back_is_the_task_as_it_reads_afterwards()
    {
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "jawaban-setelah-revisi");
        await kasubbag.PostAsync($"/api/tasks/{verifikasi}/attachments", Documents.Upload(Documents.Pdf(), "catatan.pdf")).OkJsonAsync(HttpStatusCode.Created);
        await kasubbag.CompleteAsync(verifikasi, "revisi", "Kuitansi belum bermeterai.");
        var redo = await pelaksana.OpenTaskAsync(instance, "Siapkan");
        await pelaksana.PostAsync($"/api/tasks/{redo}/attachments", Documents.Upload(Documents.Pdf(), "perbaikan.pdf")).OkJsonAsync(HttpStatusCode.Created);

        var answer = await pelaksana.CompleteAsync(redo, comment: "Sudah bermeterai.");

        answer.GetProperty("status").GetString().Should().Be("completed");
        answer.GetProperty("completedByName").GetString().Should().Be("Pelaksana Satu (Pelaksana)");
        answer.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).Should().Equal("perbaikan.pdf");
        var previous = answer.GetProperty("previous");
        previous.GetProperty("taskId").GetGuid().Should().Be(verifikasi);
        previous.GetProperty("completedByName").GetString().Should().Be("Kasubbag Inbox (Kasubbag)");
        previous.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).Should().Equal("catatan.pdf");
        answer.GetProperty("sentBack").GetProperty("reason").GetString().Should().Be("Kuitansi belum bermeterai.");
        answer.GetProperty("sentBack").GetProperty("byName").GetString().Should().Be("Kasubbag Inbox (Kasubbag)");
        var history = await pelaksana.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        answer.GetProperty("history").GetRawText().Should().Be(history.GetRawText());
        answer.GetProperty("opened").EnumerateArray().Select(t => t.GetProperty("stepId").GetString()).Should().Equal("Verifikasi");
        var read = await pelaksana.TaskAsync(redo);
        read.GetProperty("opened").GetArrayLength().Should().Be(0);
        WithoutOpened(answer).Should().Be(WithoutOpened(read), "apart from what the completion opened, the answer is the task as it reads afterwards");
    }

    private static string WithoutOpened(JsonElement task)
    {
        var copy = JsonNode.Parse(task.GetRawText())!.AsObject();
        copy.Remove("opened");
        return copy.ToJsonString();
    }

    [Fact]
    public async Task The_first_step_has_no_previous_step()
    {
        var (_, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("tanpa-sebelumnya");

        var task = await (await inbox.As(Inbox.PelaksanaSatu)).TaskAsync(siapkan);

        task.GetProperty("previous").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [InlineData(Inbox.PelaksanaSatu, new[] { "claim", "complete", "attach", "delegate" })]
    [InlineData(Inbox.Kasubbag, new[] { "reassign" })]
    [InlineData(Inbox.Kepala, new[] { "reassign" })]
    public async Task Allowed_actions_say_what_the_caller_may_do(string user, string[] expected)
    {
        var (_, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("aksi-" + user);

        var task = await (await inbox.As(user)).TaskAsync(siapkan);

        task.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task A_task_someone_else_holds_offers_its_holder_unclaim_and_others_nothing()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var dua = await inbox.As(Inbox.PelaksanaDua);
        var (_, siapkan) = await satu.NewSiapkanAsync("aksi-dipegang");
        await satu.PostAsync($"/api/tasks/{siapkan}/claim", null).OkJsonAsync();

        (await satu.TaskAsync(siapkan)).GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString())
            .Should().BeEquivalentTo("unclaim", "complete", "attach", "delegate");
        (await dua.TaskAsync(siapkan)).GetProperty("allowedActions").GetArrayLength().Should().Be(0);
    }
}
