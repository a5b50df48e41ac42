using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.ScaleOut;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>
/// The service on PostgreSQL, whatever provider the rest of the suite runs on: the test starts its own cluster
/// (<see cref="PostgresCluster"/>), so the default test command proves the second provider too.
/// </summary>
[Trait(TwoNodeTests.Category, TwoNodeTests.PostgresOnly)]
public sealed class PostgresServiceTests : IDisposable
{
    private const string Laporan = "uji-laporan-sederhana";

    private readonly ServerData _data = new("postgres");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Deploys_the_five_SOPs_and_an_instance_survives_a_restart()
    {
        Guid instance;
        using (var first = new KinerjaServer(_data))
        {
            var admin = await first.SignInAsync("erasukma");
            var definitions = await admin.GetAsync("/api/definitions").OkJsonAsync();
            definitions.GetRawText().Should().Contain("bina-marga-pengumpulan-data-kinerja");

            var staf = await first.SignInAsync("staf.uji");
            instance = (await staf.StartAsync(Laporan, "postgres-restart")).Id();
            await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"), comment: "sebelum restart");
        }

        using var second = new KinerjaServer(_data);
        var kepala = await second.SignInAsync("kepala.uji");
        (await kepala.ActiveStepIdsAsync(instance)).Should().Equal("Periksa");
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Periksa"), "setuju");

        var final = await kepala.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        final.GetProperty("status").GetString().Should().Be("completed");
        var history = await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString())
            .Should().StartWith("instance-started").And.Contain("instance-completed");
    }

    [Fact]
    public async Task Racing_completions_of_one_task_give_one_success_and_one_conflict()
    {
        using var server = new KinerjaServer(_data);
        var staf = await server.SignInAsync("staf.uji");
        var staf2 = await server.SignInAsync("staf.uji2");
        var instance = (await staf.StartAsync(Laporan, "postgres-balapan")).Id();
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
    public async Task A_SQLite_installation_copied_by_the_copy_database_command_carries_on_on_PostgreSQL()
    {
        using var sqlite = new ServerData("sqlite");
        Guid instance;
        using (var before = new KinerjaServer(sqlite))
        {
            var staf = await before.SignInAsync("staf.uji");
            instance = (await staf.StartAsync(Laporan, "pindah-ke-postgres")).Id();
            await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"), comment: "di SQLite");
        }

        var exitCode = await DatabaseCopyCommand.RunAsync(
            [DatabaseCopyCommand.Verb, "--to", _data.ConnectionString, $"--ConnectionStrings:Kinerja={sqlite.ConnectionString}"]);
        exitCode.Should().Be(0);

        var again = await DatabaseCopyCommand.RunAsync(
            [DatabaseCopyCommand.Verb, "--to", _data.ConnectionString, $"--ConnectionStrings:Kinerja={sqlite.ConnectionString}"]);
        again.Should().Be(1, "a second copy into a database that now holds rows is refused");

        using var after = new KinerjaServer(_data);
        var kepala = await after.SignInAsync("kepala.uji");
        (await kepala.ActiveStepIdsAsync(instance)).Should().Equal("Periksa");
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Periksa"), "setuju");
        var history = await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString())
            .Should().StartWith("instance-started").And.Contain("instance-completed");
        var definitions = await kepala.GetAsync($"/api/definitions/{Laporan}").OkJsonAsync();
        definitions.GetProperty("versions").GetArrayLength().Should().Be(1, "the copied definition is the one the service redeploys");
    }
}
