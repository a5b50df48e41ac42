using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>What the README promises a newcomer: start the BPS SOP for 2025-TW4 and see its first tasks.</summary>
public sealed class BpsNewcomerTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;


    [Fact]
    public async Task Starting_the_bps_sop_for_2025_tw4_gives_each_team_its_first_task()
    {
        var kepala = await _server.SignInAsync("winrizal");
        var timKerja = await _server.SignInAsync("dedi.firmansyah");

        var instance = await kepala.StartAsync(
            "bps-bengkulu-pengumpulan-data-capaian-kinerja",
            "2025-TW4",
            new { triwulan = 4, tahun = 2025 });

        var inbox = await timKerja.GetAsync("/api/tasks").OkJsonAsync();
        var firstSteps = inbox.GetProperty("items").EnumerateArray()
            .Where(t => t.GetProperty("instanceId").GetGuid() == instance.Id())
            .ToList();
        firstSteps.Should().HaveCount(6, "step 1 runs once per team of timKerja");
        firstSteps.Should().OnlyContain(t => t.GetProperty("stepNumber").GetInt32() == 1);
        firstSteps.Select(t => t.GetProperty("item").GetString()).Should().Contain("Tim Statistik Sosial");
        firstSteps.Should().OnlyContain(t => t.GetProperty("dueAt").ValueKind == System.Text.Json.JsonValueKind.String);
    }
}
