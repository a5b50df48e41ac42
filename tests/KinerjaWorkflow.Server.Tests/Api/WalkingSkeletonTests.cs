using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed class WalkingSkeletonTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Laporan = "uji-laporan-sederhana";
    private readonly KinerjaServer _server = shared.Server;

    [Fact]
    public async Task A_report_goes_through_the_revision_loop_twice_then_to_the_end_with_a_full_history()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var instance = (await staf.StartAsync(Laporan, "2025-TW4")).Id();

        foreach (var outcome in new[] { "revisi", "revisi", "setuju" })
        {
            await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"), comment: "draf siap");
            await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Periksa"), outcome, outcome == "revisi" ? "Data triwulan belum lengkap." : null);
        }

        var final = await staf.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        final.GetProperty("status").GetString().Should().Be("completed");
        final.GetProperty("activeSteps").GetArrayLength().Should().Be(0);

        var history = await staf.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        var completions = history.EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "task-completed")
            .Select(e => (Step: e.GetProperty("fromStepId").GetString(), User: e.GetProperty("user").GetString()))
            .ToList();
        completions.Should().Equal(
            ("Susun", "staf.uji"), ("Periksa", "kepala.uji"),
            ("Susun", "staf.uji"), ("Periksa", "kepala.uji"),
            ("Susun", "staf.uji"), ("Periksa", "kepala.uji"));
    }

    [Fact]
    public async Task An_outcome_the_step_does_not_offer_is_refused_and_changes_nothing()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var instance = (await staf.StartAsync(Laporan, "TW1")).Id();
        await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"));
        var periksa = await kepala.OpenTaskAsync(instance, "Periksa");

        using var response = await kepala.PostAsJsonAsync($"/api/tasks/{periksa}/complete", new { outcome = "mungkin" });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await response.ReadJsonAsync();
        problem.GetProperty("detail").GetString().Should().Contain("setuju").And.Contain("revisi");
        (await kepala.ActiveStepIdsAsync(instance)).Should().Equal("Periksa");
        var task = await kepala.GetAsync($"/api/tasks/{periksa}").OkJsonAsync();
        task.GetProperty("status").GetString().Should().Be("open");
    }

    [Fact]
    public async Task An_outcome_on_a_step_that_offers_none_is_refused_and_changes_nothing()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync(Laporan, "tanpa-hasil")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");

        using var response = await staf.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { outcome = "bogus" });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.ReadJsonAsync()).GetProperty("detail").GetString().Should().Contain("tidak menawarkan pilihan hasil");
        (await staf.ActiveStepIdsAsync(instance)).Should().Equal("Susun");
        (await staf.GetAsync($"/api/tasks/{susun}").OkJsonAsync()).GetProperty("status").GetString().Should().Be("open");
    }

    [Fact]
    public async Task Two_racing_completions_of_one_task_give_one_success_and_one_conflict_and_advance_once()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var staf2 = await _server.SignInAsync("staf.uji2");
        var instance = (await staf.StartAsync(Laporan, "balapan")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");

        var responses = await Task.WhenAll(
            staf.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { comment = "satu" }),
            staf2.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { comment = "dua" }));

        responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict]);
        (await staf.ActiveStepIdsAsync(instance)).Should().Equal("Periksa");
        var history = await staf.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "task-completed").Should().Be(1);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Completing_a_task_twice_is_a_conflict_but_a_retry_with_the_same_idempotency_key_is_not()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync(Laporan, "idem")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{susun}/complete")
            {
                Content = JsonContent.Create(new { comment = "sekali saja" }),
            };
            request.Headers.Add("Idempotency-Key", "kunci-1");
            using var response = await staf.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var again = await staf.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { comment = "lagi" });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await staf.ActiveStepIdsAsync(instance)).Should().Equal("Periksa");
    }

    [Fact]
    public async Task Completing_without_the_tasks_role_is_forbidden_and_changes_nothing()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var instance = (await staf.StartAsync(Laporan, "peran")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");

        using var response = await kepala.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { comment = "bukan tugas saya" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staf.ActiveStepIdsAsync(instance)).Should().Equal("Susun");
    }

    [Fact]
    public async Task A_user_of_another_office_sees_neither_the_instance_nor_its_tasks()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync(Laporan, "kantor")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");
        var outsider = await _server.SignInAsync(await AnyUserOfOtherOfficeAsync());

        (await outsider.GetAsync($"/api/instances/{instance}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await outsider.GetAsync($"/api/tasks/{susun}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await outsider.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var list = await outsider.GetAsync("/api/tasks").OkJsonAsync();
        list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("instanceId").GetGuid()).Should().NotContain(instance);
        (await staf.ActiveStepIdsAsync(instance)).Should().Equal("Susun");
    }

    [Fact]
    public async Task Unknown_definitions_instances_and_tasks_are_404_problems()
    {
        var staf = await _server.SignInAsync("staf.uji");

        using var start = await staf.PostAsJsonAsync("/api/instances", new { definitionKey = "tidak-ada", businessKey = "x" });
        start.StatusCode.Should().Be(HttpStatusCode.NotFound);
        start.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await staf.GetAsync($"/api/instances/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staf.GetAsync($"/api/tasks/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staf.GetAsync("/api/definitions/tidak-ada")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Requests_without_a_token_are_refused()
    {
        using var anonymous = _server.CreateClient();
        (await anonymous.GetAsync("/api/tasks")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_instance_can_be_cancelled_and_its_open_tasks_go_with_it()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync(Laporan, "batal")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");

        var cancelled = await staf.PostAsJsonAsync($"/api/instances/{instance}/cancel", new { reason = "salah mulai" }).OkJsonAsync();

        cancelled.GetProperty("status").GetString().Should().Be("cancelled");
        var task = await staf.GetAsync($"/api/tasks/{susun}").OkJsonAsync();
        task.GetProperty("status").GetString().Should().Be("cancelled");
        using var complete = await staf.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { });
        complete.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    private async Task<string> AnyUserOfOtherOfficeAsync()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        var me = await admin.GetAsync("/api/auth/me").OkJsonAsync();
        me.GetProperty("office").GetString().Should().Be("kantor-uji");
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaWorkflow.Server.Persistence.KinerjaDbContext>();
        return db.Users.First(u => u.OfficeId != "kantor-uji").UserName;
    }
}
