using System.Text.Json;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>The definition API adds up each SOP's step deadlines and sets them against the total the SOP states.</summary>
public sealed class WaktuTotalApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;

    [Fact]
    public async Task Bpkpad_stated_total_is_set_against_its_steps_and_the_two_minutes_of_step_3_show_as_the_difference()
    {
        var total = await WaktuTotalAsync("bpkpad-balangan", "bpkpad-balangan-mekanisme-pengumpulan-data-kinerja");

        total.GetProperty("total").GetString().Should().Be("122 hari 3 jam 2 menit");
        total.GetProperty("stepsCounted").GetInt32().Should().Be(9);
        total.GetProperty("stated").GetString().Should().Be("122 Hari 3 jam");
        total.GetProperty("difference").GetString().Should().Be("+2 menit");
        total.GetProperty("agrees").GetBoolean().Should().BeFalse();
        total.GetProperty("stepsWithoutWaktu").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("camat-batang-kapas", "camat-batang-kapas-pengumpulan-data-kinerja", new[] { 6, 7, 8, 9 })]
    [InlineData("bakesbangpol", "bakesbangpol-mekanisme-pengumpulan-data-kinerja", new[] { 8, 9 })]
    [InlineData("dinas-bina-marga-sumbar", "bina-marga-pengumpulan-data-kinerja", new int[0])]
    [InlineData("bps-bengkulu", "bps-bengkulu-pengumpulan-data-capaian-kinerja", new int[0])]
    public async Task Sops_without_a_stated_total_show_their_steps_sum_and_the_steps_that_add_nothing(string office, string key, int[] stepsWithoutWaktu)
    {
        var total = await WaktuTotalAsync(office, key);

        total.GetProperty("total").GetString().Should().NotBe("0 menit");
        total.GetProperty("stated").ValueKind.Should().Be(JsonValueKind.Null);
        total.GetProperty("difference").ValueKind.Should().Be(JsonValueKind.Null);
        total.GetProperty("agrees").ValueKind.Should().Be(JsonValueKind.Null);
        total.GetProperty("stepsWithoutWaktu").EnumerateArray().Select(s => s.GetProperty("number").GetInt32()).Should().Equal(stepsWithoutWaktu);
    }

    private async Task<JsonElement> WaktuTotalAsync(string office, string key)
    {
        var organization = OrganizationLoader.LoadFile(Path.Combine(RepositoryRoot.Path, "workflows", office, OrganizationLoader.FileName));
        var client = await _server.SignInAsync(organization.Users[0].UserName);
        var definition = await client.GetAsync($"/api/definitions/{key}").OkJsonAsync();
        return definition.GetProperty("waktuTotal");
    }
}
