using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class ServiceTaskTests
{
    private static ProcessModel Monev(string url = "https://monev.example/api/fra/${triwulan}", string? body = null) =>
        new ModelDsl()
            .Start()
            .Service("kirim", new HttpCall("POST", url, [KeyValuePair.Create("X-Satker", "${satker}")], body, "monev"))
            .Task("periksa")
            .End()
            .Path("mulai", "kirim", "periksa", "selesai")
            .Build();

    private static TestInstance Started(string? body = null) =>
        new TestInstance(Monev(body: body)).Start(new { triwulan = 4, satker = "Dinas \"BMCKTR\"" });

    [Fact]
    public void A_service_task_requests_its_job_and_waits()
    {
        var instance = Started();

        var job = instance.Job("kirim");
        job.Kind.Should().Be(JobKind.Http);
        job.Method.Should().Be("POST");
        job.ResultVariable.Should().Be("monev");
        instance.Effects.OfType<JobRequested>().Single().Job.Should().Be(job);
        instance.State.ActiveNodeIds.Should().Equal("kirim");
    }

    [Fact]
    public void Url_and_headers_get_values_as_text()
    {
        var job = Started().Job("kirim");

        job.Url.Should().Be("https://monev.example/api/fra/4");
        job.Headers.Single().Should().Be(KeyValuePair.Create("X-Satker", "Dinas \"BMCKTR\""));
    }

    [Fact]
    public void The_body_gets_values_as_json()
    {
        var job = Started("""{"satker": "${satker}", "triwulan": ${triwulan}, "kunci": "${businessKey}"}""").Job("kirim");

        job.Body.Should().Be("""{"satker": "Dinas \"BMCKTR\"", "triwulan": 4, "kunci": "SPT-001"}""");
    }

    [Fact]
    public void An_unknown_variable_is_empty_in_a_url_and_null_in_a_body()
    {
        var instance = new TestInstance(Monev("https://monev.example/${tidakAda}", """{"x": ${tidakAda}}""")).Start();

        instance.Job("kirim").Url.Should().Be("https://monev.example/");
        instance.Job("kirim").Body.Should().Be("""{"x": null}""");
    }

    [Fact]
    public void Completing_the_job_stores_the_result_and_moves_on()
    {
        var instance = Started();

        instance.Run(new CompleteJob(instance.Job("kirim").Id, Vars.Json(new { status = "diterima" })));

        instance.State.Jobs.Should().BeEmpty();
        instance.Variable("monev").GetProperty("status").GetString().Should().Be("diterima");
        instance.OpenSteps.Should().Equal("periksa");
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.JobCompleted, "kirim", "periksa", null));
    }

    [Fact]
    public void Completing_an_unknown_job_is_not_found()
    {
        Started().Refuses(new CompleteJob(Guid.NewGuid(), null), RuntimeErrorKind.NotFound);
    }

    [Fact]
    public void A_failed_job_raises_an_incident_and_the_token_keeps_waiting()
    {
        var instance = Started();
        var job = instance.Job("kirim");

        instance.Run(new FailJob(job.Id, "HTTP 503"));

        var incident = instance.State.Incidents.Single();
        (incident.JobId, incident.NodeId, incident.Error).Should().Be((job.Id, "kirim", "HTTP 503"));
        instance.Effects.OfType<IncidentRaised>().Single().Incident.Should().Be(incident);
        instance.State.ActiveNodeIds.Should().Equal("kirim");
        instance.OpenSteps.Should().BeEmpty();
    }

    [Fact]
    public void A_failed_job_cannot_complete_until_retried()
    {
        var instance = Started();
        var job = instance.Job("kirim");
        instance.Run(new FailJob(job.Id, "HTTP 503"));

        instance.Refuses(new CompleteJob(job.Id, null), RuntimeErrorKind.Conflict);
    }

    [Fact]
    public void Retrying_an_incident_resolves_it_and_requests_the_job_again_under_a_new_id()
    {
        var instance = Started();
        var job = instance.Job("kirim");
        instance.Run(new FailJob(job.Id, "HTTP 503"));

        instance.Run(new RetryIncident(instance.State.Incidents.Single().Id));

        instance.State.Incidents.Should().BeEmpty();
        instance.Effects.OfType<IncidentResolved>().Should().ContainSingle();
        var again = instance.Effects.OfType<JobRequested>().Single().Job;
        again.Id.Should().NotBe(job.Id);
        again.Should().Be(job with { Id = again.Id });
        instance.State.Jobs.Should().Equal(again);
    }

    [Fact]
    public void The_retried_job_completes_normally()
    {
        var instance = Started();
        instance.Run(new FailJob(instance.Job("kirim").Id, "HTTP 503"));
        instance.Run(new RetryIncident(instance.State.Incidents.Single().Id));

        instance.Run(new CompleteJob(instance.Job("kirim").Id, null));

        instance.OpenSteps.Should().Equal("periksa");
    }

    [Fact]
    public void Retrying_an_unknown_incident_is_not_found()
    {
        Started().Refuses(new RetryIncident(Guid.NewGuid()), RuntimeErrorKind.NotFound);
    }

    [Fact]
    public void A_send_task_requests_a_notification_and_moves_on_at_once()
    {
        var model = new ModelDsl()
            .Start().Send("beritahu", "Kepala Dinas", "Laporan ${businessKey} triwulan ${triwulan} siap diperiksa").Task("periksa").End()
            .Path("mulai", "beritahu", "periksa", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { triwulan = 2 }, businessKey: "FRA-2025");

        var job = instance.Effects.OfType<JobRequested>().Single().Job;
        (job.Kind, job.Role, job.Body).Should().Be((JobKind.Notification, "Kepala Dinas", "Laporan FRA-2025 triwulan 2 siap diperiksa"));
        instance.State.Jobs.Should().BeEmpty();
        instance.OpenSteps.Should().Equal("periksa");
    }
}
