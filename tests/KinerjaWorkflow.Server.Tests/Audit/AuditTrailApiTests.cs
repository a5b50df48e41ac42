using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Attachments;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Audit;

/// <summary>
/// GET /api/instances/{id}/history as an inspector relies on it (docs/audit-trail.md). The clock is frozen
/// for the whole class: every line of a command, and of the commands after it, has the same time, so only
/// the sequence can order them.
/// </summary>
public sealed class AuditTrailApiTests : IClassFixture<SharedServer>
{
    private const string Laporan = "uji-laporan-sederhana";
    private const string Bps = "bps-bengkulu-pengumpulan-data-capaian-kinerja";

    private readonly SharedServer _shared;

    public AuditTrailApiTests(SharedServer shared)
    {
        _shared = shared;
        shared.Server.Clock.SetTo(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
    }

    private KinerjaServer Server => _shared.Server;

    public static TheoryData<string, string> Sops() => new()
    {
        { "bps-bengkulu", Bps },
        { "bakesbangpol", "bakesbangpol-mekanisme-pengumpulan-data-kinerja" },
        { "dinas-bina-marga-sumbar", "bina-marga-pengumpulan-data-kinerja" },
        { "bpkpad-balangan", "bpkpad-balangan-mekanisme-pengumpulan-data-kinerja" },
        { "camat-batang-kapas", "camat-batang-kapas-pengumpulan-data-kinerja" },
    };

    [Theory]
    [MemberData(nameof(Sops))]
    public async Task Each_sop_run_to_the_end_has_one_completion_line_per_completed_task_in_strict_sequence(string office, string definition)
    {
        var organization = OrganizationLoader.LoadFile(Path.Combine(RepositoryRoot.Path, "workflows", office, OrganizationLoader.FileName));
        var head = await Server.SignInAsync(organization.Users.First(u => u.Roles.Contains(organization.HeadRole) || u.IsAdmin).UserName);
        var instance = (await head.StartAsync(definition, "audit-sampai-akhir", new { triwulan = 4, tahun = 2025 })).Id();
        var completed = new List<Guid>();

        for (var round = 0; round < 200; round++)
        {
            var view = await head.GetAsync($"/api/instances/{instance}").OkJsonAsync();
            if (view.GetProperty("status").GetString() != "active")
            {
                break;
            }

            var step = view.GetProperty("activeSteps")[0];
            var worker = organization.Users.First(u => u.Roles.Contains(step.GetProperty("roles")[0].GetString()!));
            var client = await Server.SignInAsync(worker.UserName);
            var taskId = step.GetProperty("taskId").GetGuid();
            var task = await client.GetAsync($"/api/tasks/{taskId}").OkJsonAsync();
            var outcome = task.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).FirstOrDefault();
            await client.CompleteAsync(taskId, outcome, $"Langkah {step.GetProperty("stepNumber")} selesai");
            completed.Add(taskId);
        }

        var history = await HistoryAsync(head, instance);
        history[^1].GetProperty("action").GetString().Should().Be("instance-completed");
        history.Where(e => e.GetProperty("action").GetString() == "task-completed")
            .Select(e => e.GetProperty("taskId").GetGuid())
            .Should().Equal(completed, "each completion is one line, in the order the tasks were completed");
        history.Select(e => e.GetProperty("sequence").GetInt64())
            .Should().Equal(Enumerable.Range(1, history.Count).Select(n => (long)n), "the lines are numbered 1, 2, 3, ... without gaps");
    }

    [Fact]
    public async Task Each_team_completing_bps_step_2_is_one_line_naming_the_team_and_the_last_one_goes_on_to_step_3()
    {
        var kepala = await Server.SignInAsync("winrizal");
        var timKerja = await Server.SignInAsync("dedi.firmansyah");
        string[] teams = ["Tim Statistik Sosial", "Tim Statistik Produksi"];
        var instance = (await kepala.StartAsync(Bps, "audit-langkah-2", new { triwulan = 4, tahun = 2025, timKerja = teams })).Id();
        foreach (var (stepId, outcome) in new[] { ("Langkah_01", (string?)null), ("Langkah_02", "sesuai") })
        {
            foreach (var task in await TasksAtAsync(kepala, instance, stepId))
            {
                await timKerja.CompleteAsync(task, outcome, $"{stepId} selesai");
            }
        }

        var step2 = (await HistoryAsync(kepala, instance))
            .Where(e => e.GetProperty("action").GetString() == "task-completed" && e.GetProperty("fromStepId").GetString() == "Langkah_02")
            .ToList();

        step2.Select(e => e.GetProperty("item").GetString()).Should().Equal(teams);
        step2.Select(e => e.GetProperty("taskId").GetGuid()).Should().OnlyHaveUniqueItems();
        step2.Select(ToSteps).Should().Equal("Laporan_Selesai", "Langkah_03");
        step2.Should().OnlyContain(e => e.GetProperty("comment").GetString() == "Langkah_02 selesai");
    }

    [Fact]
    public async Task A_completion_line_names_the_person_with_name_and_roles_the_comment_the_variables_and_the_documents()
    {
        var staf = await Server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync(Laporan, "audit-lengkap", new { nilai = 70 })).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");
        var pdf = Documents.Pdf("laporan triwulan");
        var document = await staf.PostAsync($"/api/tasks/{susun}/attachments", Documents.Upload(pdf, "laporan-tw4.pdf"))
            .OkJsonAsync(HttpStatusCode.Created);

        await staf.PostAsJsonAsync($"/api/tasks/{susun}/complete", new { comment = "Draf sudah lengkap", variables = new { nilai = 85, catatan = "lengkap" } })
            .OkJsonAsync();

        var line = (await HistoryAsync(staf, instance)).Single(e => e.GetProperty("action").GetString() == "task-completed");
        var actor = line.GetProperty("actor");
        (actor.GetProperty("kind").GetString(), actor.GetProperty("userName").GetString(), actor.GetProperty("name").GetString())
            .Should().Be(("person", "staf.uji", "Staf Uji Satu"));
        actor.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Staf");
        line.GetProperty("taskId").GetGuid().Should().Be(susun);
        line.GetProperty("comment").GetString().Should().Be("Draf sudah lengkap");
        line.GetProperty("variables").EnumerateArray()
            .Select(v => (v.GetProperty("name").GetString(), v.GetProperty("before").GetRawText(), v.GetProperty("after").GetRawText()))
            .Should().Equal(("catatan", "null", "\"lengkap\""), ("nilai", "70", "85"));
        var stored = line.GetProperty("documents").EnumerateArray().Should().ContainSingle().Which;
        (stored.GetProperty("id").GetGuid(), stored.GetProperty("fileName").GetString(), stored.GetProperty("sha256").GetString())
            .Should().Be((document.Id(), "laporan-tw4.pdf", Convert.ToHexStringLower(SHA256.HashData(pdf))));
    }

    [Fact]
    public async Task The_task_the_engine_creates_is_credited_to_the_engine_not_to_whoever_completed_the_step_before()
    {
        var staf = await Server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync(Laporan, "audit-pelaku")).Id();
        await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"));

        var lines = (await HistoryAsync(staf, instance))
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetProperty("kind").GetString(), e.GetProperty("user").GetString()));

        lines.Should().Equal(
            ("instance-started", "person", "staf.uji"),
            ("task-created", "engine", null),
            ("task-completed", "person", "staf.uji"),
            ("task-created", "engine", null));
    }

    [Fact]
    public async Task Under_a_frozen_clock_a_task_continues_the_completion_just_before_it_in_sequence()
    {
        var staf = await Server.SignInAsync("staf.uji");
        var kepala = await Server.SignInAsync("kepala.uji");
        var instance = (await staf.StartAsync(Laporan, "audit-jam-beku")).Id();
        var susun1 = await staf.OpenTaskAsync(instance, "Susun");
        await staf.CompleteAsync(susun1, comment: "draf pertama");
        var periksa = await kepala.OpenTaskAsync(instance, "Periksa");
        await kepala.CompleteAsync(periksa, "revisi", "kurang data");
        var susun2 = await staf.OpenTaskAsync(instance, "Susun");
        await staf.CompleteAsync(susun2, comment: "draf kedua");

        var history = await HistoryAsync(staf, instance);
        history.Select(e => e.GetProperty("at").GetDateTimeOffset()).Distinct().Should().ContainSingle("the clock stood still");
        history.Select(e => e.GetProperty("sequence").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();

        var ofPeriksa = (await kepala.GetAsync($"/api/tasks/{periksa}").OkJsonAsync()).GetProperty("previous");
        (ofPeriksa.GetProperty("taskId").GetGuid(), ofPeriksa.GetProperty("comment").GetString()).Should().Be((susun1, "draf pertama"));
        var ofSusun2 = (await staf.GetAsync($"/api/tasks/{susun2}").OkJsonAsync()).GetProperty("previous");
        (ofSusun2.GetProperty("stepId").GetString(), ofSusun2.GetProperty("taskId").GetGuid()).Should().Be(("Periksa", periksa));
    }

    private static async Task<IReadOnlyList<JsonElement>> HistoryAsync(HttpClient client, Guid instance) =>
        [.. (await client.GetAsync($"/api/instances/{instance}/history").OkJsonAsync()).EnumerateArray()];

    private static string ToSteps(JsonElement line) =>
        string.Join(",", line.GetProperty("toSteps").EnumerateArray().Select(s => s.GetProperty("id").GetString()));

    private static async Task<IReadOnlyList<Guid>> TasksAtAsync(HttpClient client, Guid instance, string stepId)
    {
        var view = await client.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        return view.GetProperty("activeSteps").EnumerateArray()
            .Where(s => s.GetProperty("stepId").GetString() == stepId)
            .Select(s => s.GetProperty("taskId").GetGuid())
            .ToList();
    }
}
