using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed class ServiceTaskTests(SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly KinerjaServer _server = shared.Server;
    private readonly LoopbackReceiver _receiver = new();

    public void Dispose()
    {
        _receiver.Dispose();
    }

    private object Variables => new { tujuan = _receiver.BaseUrl, triwulan = 4, satker = "Kantor Uji" };

    [Fact]
    public async Task A_service_task_calls_the_url_after_commit_stores_the_answer_and_moves_on()
    {
        _receiver.Answer = (HttpStatusCode.OK, """{"diterima": true, "nomor": "FRA-17"}""");
        var staf = await _server.SignInAsync("staf.uji");

        var instance = (await staf.StartAsync("uji-kirim-laporan", "2025-TW4", Variables)).Id();

        var request = await _receiver.WaitForRequestAsync();
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/laporan/2025-TW4");
        using (var body = JsonDocument.Parse(request.Body))
        {
            body.RootElement.GetProperty("triwulan").GetInt32().Should().Be(4);
            body.RootElement.GetProperty("satker").GetString().Should().Be("Kantor Uji");
        }

        var view = await WaitUntilAsync(staf, instance, v => v.GetProperty("activeSteps").GetArrayLength() == 1);
        view.GetProperty("activeSteps")[0].GetProperty("stepId").GetString().Should().Be("Cek");
        view.GetProperty("variables").GetProperty("tanggapan").GetProperty("nomor").GetString().Should().Be("FRA-17");
    }

    [Fact]
    public async Task A_service_task_that_keeps_failing_becomes_an_incident_that_an_admin_can_retry()
    {
        _receiver.Answer = (HttpStatusCode.InternalServerError, """{"error": "sedang gangguan"}""");
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var instance = (await staf.StartAsync("uji-kirim-laporan", "gagal", Variables)).Id();
        await _receiver.WaitForRequestAsync(1);

        _server.Clock.Advance(TimeSpan.FromMinutes(1));
        await _receiver.WaitForRequestAsync(2);
        var failed = await WaitUntilAsync(staf, instance, v => v.GetProperty("incidents").GetArrayLength() == 1);
        failed.GetProperty("incidents")[0].GetProperty("error").GetString().Should().Contain("500");
        var incident = failed.GetProperty("incidents")[0].GetProperty("id").GetGuid();

        using var refused = await staf.PostAsync($"/api/instances/{instance}/incidents/{incident}/retry", null);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        _receiver.Answer = (HttpStatusCode.OK, """{"diterima": true}""");
        await kepala.PostAsync($"/api/instances/{instance}/incidents/{incident}/retry", null).OkJsonAsync();
        var recovered = await WaitUntilAsync(staf, instance, v => v.GetProperty("activeSteps").GetArrayLength() == 1);
        recovered.GetProperty("incidents").GetArrayLength().Should().Be(0);
        _receiver.Received.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_service_task_whose_address_the_configuration_refuses_is_an_incident_at_once_without_retries()
    {
        var staf = await _server.SignInAsync("staf.uji");

        var instance = (await staf.StartAsync("uji-kirim-laporan", "ditolak", new { tujuan = "http://10.20.30.40:8080", triwulan = 4, satker = "Kantor Uji" })).Id();

        var failed = await WaitUntilAsync(staf, instance, v => v.GetProperty("incidents").GetArrayLength() == 1);
        failed.GetProperty("incidents")[0].GetProperty("error").GetString().Should().Contain("refused").And.Contain("10.20.30.40");
        using var scope = _server.Services.CreateScope();
        var item = await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().ScheduledItems.AsNoTracking()
            .SingleAsync(i => i.InstanceId == instance && i.Kind == ScheduledKinds.ServiceTask);
        item.Status.Should().Be(ScheduledStatus.Failed);
        item.Attempts.Should().Be(1, "the refusal would be the same at every retry");
        var history = _server.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(item.JobId).History;
        history.Select(h => h.StateName).Should().NotContain(ScheduledState.StateName, "Hangfire schedules no retry");
        _receiver.Received.Should().BeEmpty();
    }

    private static async Task<JsonElement> WaitUntilAsync(HttpClient client, Guid instance, Func<JsonElement, bool> condition)
    {
        JsonElement view = default;
        for (var i = 0; i < 150; i++)
        {
            view = await client.GetAsync($"/api/instances/{instance}").OkJsonAsync();
            if (condition(view))
            {
                return view;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The instance never reached the expected state: {view}");
    }
}
