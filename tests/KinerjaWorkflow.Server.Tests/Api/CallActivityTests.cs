using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed class CallActivityTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;


    [Fact]
    public async Task A_call_activity_runs_the_called_sop_as_a_child_and_continues_when_it_completes()
    {
        var kepala = await _server.SignInAsync("kepala.uji");
        var staf = await _server.SignInAsync("staf.uji");
        var parent = (await kepala.StartAsync("uji-panggil-laporan", "rekap-1", new { catatan = "dari induk" })).Id();

        var children = await kepala.GetAsync("/api/instances?definitionKey=uji-laporan-sederhana").OkJsonAsync();
        var child = children.EnumerateArray().Single().Id();
        var childView = await kepala.GetAsync($"/api/instances/{child}").OkJsonAsync();
        childView.GetProperty("parentInstanceId").GetGuid().Should().Be(parent);
        childView.GetProperty("businessKey").GetString().Should().Be("rekap-1");
        childView.GetProperty("variables").GetProperty("catatan").GetString().Should().Be("dari induk");
        (await kepala.GetAsync($"/api/instances/{parent}").OkJsonAsync())
            .GetProperty("waiting").EnumerateArray().Select(w => w.GetProperty("nodeId").GetString()).Should().Equal("Laporan");

        await staf.CompleteAsync(await staf.OpenTaskAsync(child, "Susun"));
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(child, "Periksa"), "setuju");

        (await kepala.GetAsync($"/api/instances/{child}").OkJsonAsync()).GetProperty("status").GetString().Should().Be("completed");
        (await kepala.ActiveStepIdsAsync(parent)).Should().Equal("Rekap");
    }
}
