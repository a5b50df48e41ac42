using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Supervision;

/// <summary>The scheduler's own escalation, end to end: its own server, since passing the deadline escalates every late task on it.</summary>
public sealed class EscalationFlowTests : IDisposable
{
    private readonly KinerjaServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _server.Data.Dispose();
    }

    [Fact]
    public async Task A_step_past_its_deadline_reaches_its_supervisor_who_reassigns_it_from_the_escalation()
    {
        _server.Clock.SetTo(Inbox.MondayMorning);
        var satu = await _server.SignInAsync(Inbox.PelaksanaSatu);
        var (_, task) = await satu.NewSiapkanAsync("eskalasi-nyata");
        await satu.PostAsync($"/api/tasks/{task}/claim", null).OkJsonAsync();

        _server.Clock.SetTo(Inbox.MondayMorning.AddHours(2).AddMinutes(1));
        var kasubbag = await _server.SignInAsync(Inbox.Kasubbag);
        var escalation = await EscalationOfAsync(kasubbag, task);

        var overdue = await kasubbag.GetAsync("/api/supervision/overdue").OkJsonAsync();
        overdue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("task").Id()).Should().Contain(task);
        var handled = await kasubbag.PostAsJsonAsync(
            $"/api/supervision/escalations/{escalation.Id()}/reassign",
            new { username = Inbox.PelaksanaDua, reason = "Lewat tenggat; dialihkan." }).OkJsonAsync();
        handled.GetProperty("task").GetProperty("assignee").GetString().Should().Be(Inbox.PelaksanaDua);
        (await kasubbag.GetAsync("/api/supervision/escalations?unacknowledged=true").OkJsonAsync())
            .EnumerateArray().Select(e => e.Id()).Should().NotContain(escalation.Id());
    }

    private static async Task<JsonElement> EscalationOfAsync(HttpClient supervisor, Guid task)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            var received = await supervisor.GetAsync("/api/supervision/escalations").OkJsonAsync();
            foreach (var escalation in received.EnumerateArray())
            {
                if (escalation.GetProperty("taskId").ValueKind != JsonValueKind.Null && escalation.GetProperty("taskId").GetGuid() == task)
                {
                    return escalation;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No escalation of task {task} reached the supervisor within 20 s.");
    }
}
