using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Attachments;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>
/// Every task action tried by someone of the task's office without its role (403) and by someone of another
/// office (404, as if the task did not exist); each refusal leaves the task, its instance and its documents
/// exactly as they were.
/// </summary>
public sealed class AccessMatrixTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private KinerjaServer Server => inbox.Server;

    public static TheoryData<string, string, HttpStatusCode> Refusals()
    {
        var data = new TheoryData<string, string, HttpStatusCode>();
        foreach (var action in Actions)
        {
            data.Add(Inbox.Bendahara, action, HttpStatusCode.Forbidden);
            data.Add(Inbox.Outsider, action, HttpStatusCode.NotFound);
        }

        foreach (var action in new[] { "claim", "unclaim", "delegate", "complete", "upload", "delete-attachment" })
        {
            data.Add(Inbox.Kasubbag, action, HttpStatusCode.Forbidden);
        }

        data.Add(Inbox.PelaksanaDua, "reassign", HttpStatusCode.Forbidden);
        return data;
    }

    private static readonly string[] Actions =
        ["get", "claim", "unclaim", "delegate", "reassign", "complete", "upload", "list-attachments", "download", "delete-attachment"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_action_answers_a_problem_and_changes_nothing(string caller, string action, HttpStatusCode expected)
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, task) = await satu.NewSiapkanAsync($"matriks-{caller}-{action}");
        var attachment = (await satu.PostAsync($"/api/tasks/{task}/attachments", Documents.Upload(Documents.Pdf(action), "spj.pdf"))
            .OkJsonAsync(HttpStatusCode.Created)).Id();
        if (action == "unclaim")
        {
            await satu.PostAsync($"/api/tasks/{task}/claim", null).OkJsonAsync();
        }

        var before = await Server.SnapshotAsync(task);
        var client = await inbox.As(caller);

        var request = action switch
        {
            "get" => client.GetAsync($"/api/tasks/{task}"),
            "claim" => client.PostAsync($"/api/tasks/{task}/claim", null),
            "unclaim" => client.PostAsync($"/api/tasks/{task}/unclaim", null),
            "delegate" => client.PostAsJsonAsync($"/api/tasks/{task}/delegate", new { username = Inbox.PelaksanaDua }),
            "reassign" => client.PostAsJsonAsync($"/api/tasks/{task}/reassign", new { username = Inbox.PelaksanaDua, reason = "uji" }),
            "complete" => client.PostAsJsonAsync($"/api/tasks/{task}/complete", new { comment = "bukan saya" }),
            "upload" => client.PostAsync($"/api/tasks/{task}/attachments", Documents.Upload(Documents.Pdf("asing"), "asing.pdf")),
            "list-attachments" => client.GetAsync($"/api/tasks/{task}/attachments"),
            "download" => client.GetAsync($"/api/attachments/{attachment}"),
            "delete-attachment" => client.DeleteAsync($"/api/tasks/{task}/attachments/{attachment}"),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        await request.ProblemAsync(expected);

        (await Server.SnapshotAsync(task)).Should().Be(before);
    }

    [Fact]
    public async Task Only_an_admin_deploys_a_definition_and_a_refusal_deploys_nothing()
    {
        var staf = await inbox.As(Inbox.Kasubbag);
        var before = await (await inbox.As(Inbox.Kepala)).GetAsync("/api/definitions").OkJsonAsync();
        var bpmn = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestWorkflows", "kantor-uji-inbox", "surat-pertanggungjawaban.bpmn"));

        using var content = new StringContent(bpmn.Replace("Surat Pertanggungjawaban", "SPJ baru", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/xml");
        await staf.PostAsync("/api/definitions", content).ProblemAsync(HttpStatusCode.Forbidden);

        var after = await (await inbox.As(Inbox.Kepala)).GetAsync("/api/definitions").OkJsonAsync();
        after.GetRawText().Should().Be(before.GetRawText());
    }
}
