using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed class RestartTests : IDisposable
{
    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_host_restarted_mid_instance_loses_nothing()
    {
        Guid instance;
        using (var first = new KinerjaServer(_data))
        {
            var staf = await first.SignInAsync("staf.uji");
            instance = (await staf.StartAsync("uji-laporan-sederhana", "restart")).Id();
            await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"), comment: "sebelum restart");
        }

        using var second = new KinerjaServer(_data);
        var kepala = await second.SignInAsync("kepala.uji");
        (await kepala.ActiveStepIdsAsync(instance)).Should().Equal("Periksa");
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Periksa"), "setuju");

        var final = await kepala.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        final.GetProperty("status").GetString().Should().Be("completed");
        var history = await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).Should().StartWith("instance-started");
        (await second.SignInAsync("kepala.uji")).Should().NotBeNull();
        var definitions = await kepala.GetAsync("/api/definitions/uji-laporan-sederhana").OkJsonAsync();
        definitions.GetProperty("versions").GetArrayLength().Should().Be(1, "an unchanged workflow redeployed at start-up is the same version");
    }
}
