using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Tasks;

public sealed class TaskActionTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private KinerjaServer Server => inbox.Server;

    [Fact]
    public async Task Claim_then_unclaim_puts_the_task_back_in_the_roles_inbox()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("ambil-lepas");

        var claimed = await satu.PostAsync($"/api/tasks/{siapkan}/claim", null).OkJsonAsync();
        var released = await satu.PostAsync($"/api/tasks/{siapkan}/unclaim", null).OkJsonAsync();

        claimed.GetProperty("status").GetString().Should().Be("claimed");
        claimed.GetProperty("assignee").GetString().Should().Be(Inbox.PelaksanaSatu);
        released.GetProperty("status").GetString().Should().Be("open");
        released.GetProperty("assignee").GetString().Should().BeNull();
    }

    [Fact]
    public async Task Another_member_cannot_claim_or_unclaim_a_held_task_and_nothing_changes()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var dua = await inbox.As(Inbox.PelaksanaDua);
        var (_, siapkan) = await satu.NewSiapkanAsync("dipegang-orang");
        await satu.PostAsync($"/api/tasks/{siapkan}/claim", null).OkJsonAsync();
        var before = await Server.SnapshotAsync(siapkan);

        await dua.PostAsync($"/api/tasks/{siapkan}/claim", null).ProblemAsync(HttpStatusCode.Conflict);
        await dua.PostAsync($"/api/tasks/{siapkan}/unclaim", null).ProblemAsync(HttpStatusCode.Conflict);
        await dua.PostJsonAsync($"/api/tasks/{siapkan}/complete", new { }).ProblemAsync(HttpStatusCode.Conflict);

        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Fact]
    public async Task Delegating_hands_the_task_to_another_member_and_the_audit_trail_says_who_did_it()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, siapkan) = await satu.NewSiapkanAsync("delegasi");

        var delegated = await satu.PostJsonAsync($"/api/tasks/{siapkan}/delegate", new { username = Inbox.PelaksanaDua }).OkJsonAsync();

        delegated.GetProperty("assignee").GetString().Should().Be(Inbox.PelaksanaDua);
        delegated.GetProperty("assigneeName").GetString().Should().Be("Pelaksana Dua (Pelaksana)");
        var history = await satu.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        var entry = history.EnumerateArray().Last(e => e.GetProperty("action").GetString() == "task-assigned");
        entry.GetProperty("user").GetString().Should().Be(Inbox.PelaksanaSatu);
        entry.GetProperty("detail").GetString().Should().Be("Pelaksana Dua (Pelaksana): didelegasikan oleh Pelaksana Satu (Pelaksana)");
        var view = await satu.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        view.GetProperty("startedByName").GetString().Should().Be("Pelaksana Satu (Pelaksana)");
        view.GetProperty("activeSteps").EnumerateArray().Single().GetProperty("assigneeName").GetString().Should().Be("Pelaksana Dua (Pelaksana)");
        var listed = await satu.GetAsync($"/api/tasks?businessKey=delegasi&status=active").OkJsonAsync();
        listed.GetProperty("items").EnumerateArray().Single().GetProperty("assigneeName").GetString().Should().Be("Pelaksana Dua (Pelaksana)");
        var dua = await inbox.As(Inbox.PelaksanaDua);
        await dua.CompleteAsync(siapkan);
    }

    [Theory]
    [InlineData(Inbox.Bendahara, HttpStatusCode.UnprocessableEntity)]
    [InlineData(Inbox.Outsider, HttpStatusCode.UnprocessableEntity)]
    [InlineData("tidak.ada", HttpStatusCode.UnprocessableEntity)]
    [InlineData("", HttpStatusCode.UnprocessableEntity)]
    public async Task Delegating_to_someone_outside_the_role_is_refused_and_changes_nothing(string target, HttpStatusCode expected)
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("delegasi-salah-" + target);
        var before = await Server.SnapshotAsync(siapkan);

        await satu.PostJsonAsync($"/api/tasks/{siapkan}/delegate", new { username = target }).ProblemAsync(expected);

        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Theory]
    [InlineData(Inbox.Kasubbag, "Kasubbag Inbox (Kasubbag)")]
    [InlineData(Inbox.Kepala, "Kepala Inbox (Kepala)")]
    public async Task A_supervisor_of_the_role_reassigns_a_held_task_with_a_reason_on_record(string supervisor, string supervisorName)
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, siapkan) = await satu.NewSiapkanAsync("alih-" + supervisor);
        await satu.PostAsync($"/api/tasks/{siapkan}/claim", null).OkJsonAsync();

        var reassigned = await (await inbox.As(supervisor))
            .PostJsonAsync($"/api/tasks/{siapkan}/reassign", new { username = Inbox.PelaksanaDua, reason = "Pelaksana Satu cuti." })
            .OkJsonAsync();

        reassigned.GetProperty("assignee").GetString().Should().Be(Inbox.PelaksanaDua);
        var history = await satu.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        var entry = history.EnumerateArray().Last(e => e.GetProperty("action").GetString() == "task-assigned");
        entry.GetProperty("user").GetString().Should().Be(supervisor);
        entry.GetProperty("detail").GetString().Should().Contain($"dialihkan oleh {supervisorName}: Pelaksana Satu cuti.");
        await satu.PostJsonAsync($"/api/tasks/{siapkan}/complete", new { }).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(Inbox.PelaksanaDua, "pelaksana.dua", "alasan", HttpStatusCode.Forbidden)]
    [InlineData(Inbox.Bendahara, "pelaksana.dua", "alasan", HttpStatusCode.Forbidden)]
    [InlineData(Inbox.Outsider, "pelaksana.dua", "alasan", HttpStatusCode.NotFound)]
    [InlineData(Inbox.Kasubbag, "pelaksana.dua", "", HttpStatusCode.UnprocessableEntity)]
    [InlineData(Inbox.Kasubbag, "", "alasan", HttpStatusCode.UnprocessableEntity)]
    [InlineData(Inbox.Kasubbag, "bendahara.inbox", "alasan", HttpStatusCode.UnprocessableEntity)]
    public async Task Reassigning_needs_supervision_a_member_and_a_reason_and_a_refusal_changes_nothing(
        string caller, string target, string reason, HttpStatusCode expected)
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync($"alih-salah-{caller}-{target}-{reason}");
        await satu.PostAsync($"/api/tasks/{siapkan}/claim", null).OkJsonAsync();
        var before = await Server.SnapshotAsync(siapkan);

        await (await inbox.As(caller)).PostJsonAsync($"/api/tasks/{siapkan}/reassign", new { username = target, reason }).ProblemAsync(expected);

        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Fact]
    public async Task A_finished_task_cannot_be_reassigned()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("alih-selesai");
        await satu.CompleteAsync(siapkan);
        var before = await Server.SnapshotAsync(siapkan);

        await (await inbox.As(Inbox.Kasubbag))
            .PostJsonAsync($"/api/tasks/{siapkan}/reassign", new { username = Inbox.PelaksanaDua, reason = "terlambat" })
            .ProblemAsync(HttpStatusCode.Conflict);

        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Fact]
    public async Task Completing_with_an_outcome_comment_and_variables_moves_the_instance_on()
    {
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var (instance, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "selesai-lengkap");

        var done = await kasubbag.PostAsJsonAsync(
            $"/api/tasks/{verifikasi}/complete",
            new { outcome = "Setuju", comment = "Lengkap.", variables = new { nilai = 90 } }).OkJsonAsync();

        done.GetProperty("status").GetString().Should().Be("completed");
        done.GetProperty("outcome").GetString().Should().Be("setuju");
        done.GetProperty("comment").GetString().Should().Be("Lengkap.");
        (await kasubbag.ActiveStepIdsAsync(instance)).Should().Equal("Bayar");
        var view = await kasubbag.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        view.GetProperty("variables").GetProperty("nilai").GetInt32().Should().Be(90);
    }

    [Theory]
    [InlineData("{\"outcome\":\"mungkin\"}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"outcome\":5}", HttpStatusCode.BadRequest)]
    [InlineData("{\"outcome\":\"setuju\",\"variables\":\"nilai=90\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"outcome\":\"setuju\",\"comment\":[\"a\"]}", HttpStatusCode.BadRequest)]
    [InlineData("bukan json", HttpStatusCode.BadRequest)]
    public async Task A_completion_with_a_wrong_outcome_or_wrong_types_is_a_problem_and_changes_nothing(string body, HttpStatusCode expected)
    {
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var (_, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "selesai-salah-" + body.GetHashCode(StringComparison.Ordinal));
        var before = await Server.SnapshotAsync(verifikasi);

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        await kasubbag.PostAsync($"/api/tasks/{verifikasi}/complete", content).ProblemAsync(expected);

        (await Server.SnapshotAsync(verifikasi)).Should().Be(before);
    }

    [Fact]
    public async Task A_comment_over_the_limit_is_refused_and_changes_nothing()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("komentar-panjang");
        var before = await Server.SnapshotAsync(siapkan);

        await satu.PostJsonAsync($"/api/tasks/{siapkan}/complete", new { comment = new string('x', 4001) })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);

        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_answers_the_same_completion()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, siapkan) = await satu.NewSiapkanAsync("idempoten");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{siapkan}/complete")
            {
                Content = JsonContent.Create(new { comment = "sekali" }),
            };
            request.Headers.Add("Idempotency-Key", "spj-idempoten-1");
            var done = await satu.SendAsync(request).OkJsonAsync();
            done.GetProperty("status").GetString().Should().Be("completed");
        }

        var history = await satu.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "task-completed").Should().Be(1);
    }
}
