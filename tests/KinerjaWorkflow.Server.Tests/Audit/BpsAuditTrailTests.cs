using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Audit;

/// <summary>The BPS SOP's per-team steps, as an inspector reads them in GET /api/instances/{id}/history.</summary>
public sealed class BpsAuditTrailTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Bps = "bps-bengkulu-pengumpulan-data-capaian-kinerja";

    [Fact]
    public async Task Each_team_completing_step_2_is_one_completion_line_also_for_the_last_team_that_opens_step_3()
    {
        var kepala = await shared.Server.SignInAsync("winrizal");
        var timKerja = await shared.Server.SignInAsync("dedi.firmansyah");
        var instance = (await kepala.StartAsync(Bps, "audit-langkah-2", new { triwulan = 4, tahun = 2025, timKerja = new[] { "Tim Statistik Sosial", "Tim Statistik Produksi" } })).Id();
        foreach (var step in new[] { ("Langkah_01", (string?)null), ("Langkah_02", "sesuai") })
        {
            foreach (var task in await TasksAtAsync(kepala, instance, step.Item1))
            {
                await timKerja.CompleteAsync(task, step.Item2, $"{step.Item1} selesai");
            }
        }

        var history = await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();

        history.EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "task-completed" && e.GetProperty("fromStepId").GetString() == "Langkah_02")
            .Should().HaveCount(2, "two teams each completed step 2 once");
    }

    private static async Task<IReadOnlyList<Guid>> TasksAtAsync(HttpClient client, Guid instance, string stepId)
    {
        var view = await client.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        return view.GetProperty("activeSteps").EnumerateArray()
            .Where(s => s.GetProperty("stepId").GetString() == stepId)
            .Select(s => s.GetProperty("taskId").GetGuid())
            .ToList();
    }
}
