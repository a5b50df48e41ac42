using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>
/// Each of the five SOPs driven through HTTP by its office's demo users, completing whatever is active as
/// someone holding the step's role, taking each SOP's loops once, until the instance ends.
/// </summary>
public sealed class SopWalkTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public static TheoryData<SopWalk> Walks() =>
    [
        new SopWalk("bps-bengkulu", "bps-bengkulu-pengumpulan-data-capaian-kinerja", new { triwulan = 4, tahun = 2025 },
            new() { ["Langkah_02"] = ["revisi"], ["Langkah_12"] = ["koreksi"] },
            ExpectedSteps: 14, MultiInstanceStep: "Langkah_01",
            new Overrun("Langkah_01", "2026-12-21T08:00:00+07:00")),
        new SopWalk("bakesbangpol", "bakesbangpol-mekanisme-pengumpulan-data-kinerja", null,
            [], ExpectedSteps: 15, MultiInstanceStep: "Langkah_06",
            new Overrun("Langkah_02", "2026-11-23T09:00:00+07:00")),
        new SopWalk("dinas-bina-marga-sumbar", "bina-marga-pengumpulan-data-kinerja", null,
            new() { ["Langkah_09"] = ["dikembalikan"] },
            ExpectedSteps: 11, MultiInstanceStep: "Langkah_06",
            new Overrun("Langkah_02", "2026-11-23T10:00:00+07:00")),
        new SopWalk("bpkpad-balangan", "bpkpad-balangan-mekanisme-pengumpulan-data-kinerja", new { triwulan = 4, tahun = 2025 },
            [], ExpectedSteps: 9, MultiInstanceStep: null,
            new Overrun("Langkah_01", "2026-11-23T08:15:00+08:00")),
        new SopWalk("camat-batang-kapas", "camat-batang-kapas-pengumpulan-data-kinerja", new { triwulan = 4, tahun = 2025 },
            [], ExpectedSteps: 9, MultiInstanceStep: null,
            new Overrun("Langkah_01", "2026-11-23T08:15:00+07:00")),
    ];

    [Theory]
    [MemberData(nameof(Walks))]
    public async Task The_office_walks_its_sop_to_the_end_and_the_history_lists_every_step_with_who_and_when(SopWalk walk)
    {
        var organization = OrganizationLoader.LoadFile(Path.Combine(RepositoryRoot.Path, "workflows", walk.Office, OrganizationLoader.FileName));
        _server.Clock.SetTo(new DateTimeOffset(2026, 11, 23, 8, 0, 0, organization.TimeZone.BaseUtcOffset));
        var overrunChecked = false;
        var head = organization.Users.First(u => u.Roles.Contains(organization.HeadRole) || u.IsAdmin);
        var starter = await ClientAsync(head.UserName);
        Task<HttpClient> Starter() => ClientAsync(head.UserName);
        var instance = (await starter.StartAsync(walk.DefinitionKey, "2025-TW4", walk.Variables)).Id();
        var plans = walk.Loops.ToDictionary(p => p.Key, p => new Queue<string>(p.Value), StringComparer.Ordinal);
        var takenLoops = new List<string>();
        var sawMultiInstance = false;

        for (var round = 0; round < 200; round++)
        {
            var view = await (await Starter()).GetAsync($"/api/instances/{instance}").OkJsonAsync();
            if (view.GetProperty("status").GetString() != "active")
            {
                break;
            }

            var active = view.GetProperty("activeSteps").EnumerateArray().ToList();
            active.Should().NotBeEmpty($"an active instance waits on a person here: {view}");
            sawMultiInstance |= active.Count(s => s.GetProperty("stepId").GetString() == walk.MultiInstanceStep) > 1;
            var step = active[0];
            var stepId = step.GetProperty("stepId").GetString()!;
            if (stepId == walk.Overrun.StepId && !overrunChecked)
            {
                await LetItOverrunAsync(organization, step, DateTimeOffset.Parse(walk.Overrun.DueAt, System.Globalization.CultureInfo.InvariantCulture));
                overrunChecked = true;
            }

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

        var final = await (await Starter()).GetAsync($"/api/instances/{instance}").OkJsonAsync();
        final.GetProperty("status").GetString().Should().Be("completed");
        overrunChecked.Should().BeTrue($"{walk.Overrun.StepId} was left to overrun");
        takenLoops.Should().BeEquivalentTo(walk.Loops.Keys, "every loop of the SOP is taken once");
        if (walk.MultiInstanceStep is not null)
        {
            sawMultiInstance.Should().BeTrue($"{walk.MultiInstanceStep} runs once per unit");
        }

        var history = await (await Starter()).GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        var completions = history.EnumerateArray().Where(e => e.GetProperty("action").GetString() == "task-completed").ToList();
        completions.Should().OnlyContain(e => e.GetProperty("user").ValueKind == JsonValueKind.String && e.GetProperty("at").ValueKind == JsonValueKind.String);
        completions.Select(e => e.GetProperty("fromStepId").GetString()).Distinct()
            .Should().HaveCount(walk.ExpectedSteps, "every step of the SOP was done");
    }

    /// <summary>
    /// Leaves the step until its deadline passes: the people of its role are reminded before it, and the
    /// members of the supervising role get the escalation at the deadline itself, in the office's business time.
    /// </summary>
    private async Task LetItOverrunAsync(Organization organization, JsonElement step, DateTimeOffset expectedDue)
    {
        var taskId = step.GetProperty("taskId").GetGuid();
        var due = step.GetProperty("dueAt").GetDateTimeOffset();
        due.Should().Be(expectedDue, "the Waktu counts in the office's working time");
        var role = step.GetProperty("roles")[0].GetString()!;
        var worker = organization.Users.First(u => u.Roles.Contains(role)).UserName;
        var supervisorRole = organization.SupervisorOf(role)!;
        var supervisor = organization.Users.First(u => u.Roles.Contains(supervisorRole)).UserName;

        _server.Clock.SetTo(due - TimeSpan.FromSeconds(1));
        SignInAgain();
        var reminder = await WaitForNotificationAsync(worker, taskId, "reminder");
        reminder.GetProperty("createdAt").GetDateTimeOffset().Should().BeBefore(due);
        (await NotificationsAsync(supervisor, taskId, "escalation")).Should().BeEmpty("nothing is late yet");

        _server.Clock.SetTo(due);
        SignInAgain();
        var escalation = await WaitForNotificationAsync(supervisor, taskId, "escalation");
        escalation.GetProperty("createdAt").GetDateTimeOffset().Should().Be(due);
        escalation.GetProperty("message").GetString().Should().Contain(step.GetProperty("stepName").GetString());
    }

    /// <summary>Moving the clock weeks ahead expires the bearer tokens, as it would for real people.</summary>
    private void SignInAgain()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }

    private async Task<JsonElement> WaitForNotificationAsync(string userName, Guid taskId, string kind)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var found = await NotificationsAsync(userName, taskId, kind);
            if (found.Count > 0)
            {
                return found[0];
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{userName} never got a {kind} for task {taskId}.");
    }

    private async Task<List<JsonElement>> NotificationsAsync(string userName, Guid taskId, string kind)
    {
        var client = await ClientAsync(userName);
        var list = await client.GetAsync("/api/notifications").OkJsonAsync();
        return list.EnumerateArray()
            .Where(n => n.GetProperty("kind").GetString() == kind
                && n.GetProperty("taskId").ValueKind == JsonValueKind.String
                && n.GetProperty("taskId").GetGuid() == taskId)
            .ToList();
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
    string? MultiInstanceStep,
    Overrun Overrun)
{
    public override string ToString() => Office;
}

/// <summary>The step left to run late, and its deadline when the instance starts on Monday 23 November 2026, 08:00 local.</summary>
public sealed record Overrun(string StepId, string DueAt);
