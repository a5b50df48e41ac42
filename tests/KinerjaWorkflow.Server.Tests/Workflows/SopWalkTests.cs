using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>
/// Each of the five SOPs driven through HTTP by its office's demo users, completing whatever is active as
/// someone holding the step's role, taking each SOP's loops once, until the instance ends.
/// </summary>
public sealed class SopWalkTests : IDisposable
{
    private readonly KinerjaServer _server = new();
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public void Dispose()
    {
        _server.Dispose();
        _server.Data.Dispose();
    }

    public static TheoryData<SopWalk> Walks() =>
    [
        new SopWalk("bps-bengkulu", "bps-bengkulu-pengumpulan-data-capaian-kinerja", new { triwulan = 4, tahun = 2025 },
            new() { ["Langkah_02"] = ["revisi"], ["Langkah_08"] = ["revisi"], ["Langkah_12"] = ["koreksi"] },
            ExpectedSteps: 14, MultiInstanceStep: "Langkah_01"),
        new SopWalk("bakesbangpol", "bakesbangpol-mekanisme-pengumpulan-data-kinerja", null,
            new() { ["Langkah_10"] = ["koreksi"] },
            ExpectedSteps: 15, MultiInstanceStep: "Langkah_06"),
        new SopWalk("dinas-bina-marga-sumbar", "bina-marga-pengumpulan-data-kinerja", null,
            new() { ["Langkah_09"] = ["dikembalikan"] },
            ExpectedSteps: 11, MultiInstanceStep: "Langkah_06"),
        new SopWalk("bpkpad-balangan", "bpkpad-balangan-mekanisme-pengumpulan-data-kinerja", new { triwulan = 4, tahun = 2025 },
            [], ExpectedSteps: 9, MultiInstanceStep: null),
        new SopWalk("camat-batang-kapas", "camat-batang-kapas-pengumpulan-data-kinerja", new { triwulan = 4, tahun = 2025 },
            [], ExpectedSteps: 9, MultiInstanceStep: null),
    ];

    [Theory]
    [MemberData(nameof(Walks))]
    public async Task The_office_walks_its_sop_to_the_end_and_the_history_lists_every_step_with_who_and_when(SopWalk walk)
    {
        var organization = OrganizationLoader.LoadFile(Path.Combine(RepositoryRoot.Path, "workflows", walk.Office, OrganizationLoader.FileName));
        var head = organization.Users.First(u => u.Roles.Contains(organization.HeadRole) || u.IsAdmin);
        var starter = await ClientAsync(head.UserName);
        var instance = (await starter.StartAsync(walk.DefinitionKey, "2025-TW4", walk.Variables)).Id();
        var plans = walk.Loops.ToDictionary(p => p.Key, p => new Queue<string>(p.Value), StringComparer.Ordinal);
        var takenLoops = new List<string>();
        var sawMultiInstance = false;

        for (var round = 0; round < 200; round++)
        {
            var view = await starter.GetAsync($"/api/instances/{instance}").OkJsonAsync();
            if (view.GetProperty("status").GetString() != "active")
            {
                break;
            }

            var active = view.GetProperty("activeSteps").EnumerateArray().ToList();
            active.Should().NotBeEmpty($"an active instance waits on a person here: {view}");
            sawMultiInstance |= active.Count(s => s.GetProperty("stepId").GetString() == walk.MultiInstanceStep) > 1;
            var step = active[0];
            var stepId = step.GetProperty("stepId").GetString()!;
            var role = step.GetProperty("roles")[0].GetString()!;
            var user = organization.Users.First(u => u.Roles.Contains(role));
            var client = await ClientAsync(user.UserName);
            var task = await client.GetAsync($"/api/tasks/{step.GetProperty("taskId").GetGuid()}").OkJsonAsync();
            var outcome = ChooseOutcome(task, plans, stepId, takenLoops);
            using var response = await client.PostAsJsonAsync(
                $"/api/tasks/{step.GetProperty("taskId").GetGuid()}/complete",
                new { outcome, comment = $"Langkah {step.GetProperty("stepNumber")} selesai" });
            response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        }

        var final = await starter.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        final.GetProperty("status").GetString().Should().Be("completed");
        takenLoops.Should().BeEquivalentTo(walk.Loops.Keys, "every loop of the SOP is taken once");
        if (walk.MultiInstanceStep is not null)
        {
            sawMultiInstance.Should().BeTrue($"{walk.MultiInstanceStep} runs once per unit");
        }

        var history = await starter.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        var completions = history.EnumerateArray().Where(e => e.GetProperty("action").GetString() == "task-completed").ToList();
        completions.Should().OnlyContain(e => e.GetProperty("user").ValueKind == JsonValueKind.String && e.GetProperty("at").ValueKind == JsonValueKind.String);
        completions.Select(e => e.GetProperty("fromStepId").GetString()).Distinct()
            .Should().HaveCount(walk.ExpectedSteps, "every step of the SOP was done");
    }

    private static string? ChooseOutcome(JsonElement task, Dictionary<string, Queue<string>> plans, string stepId, List<string> takenLoops)
    {
        var allowed = task.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()!).ToList();
        if (allowed.Count == 0)
        {
            return null;
        }

        if (plans.TryGetValue(stepId, out var plan) && plan.Count > 0)
        {
            takenLoops.Add(stepId);
            return plan.Dequeue();
        }

        return allowed[0];
    }

    private async Task<HttpClient> ClientAsync(string userName)
    {
        if (!_clients.TryGetValue(userName, out var client))
        {
            client = await _server.SignInAsync(userName);
            _clients[userName] = client;
        }

        return client;
    }
}

public sealed record SopWalk(
    string Office,
    string DefinitionKey,
    object? Variables,
    Dictionary<string, string[]> Loops,
    int ExpectedSteps,
    string? MultiInstanceStep)
{
    public override string ToString() => Office;
}
