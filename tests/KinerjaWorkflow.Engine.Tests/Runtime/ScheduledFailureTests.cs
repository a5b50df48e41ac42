using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

/// <summary>A reminder, escalation, timer or delivery the server scheduled fails for good: one incident, retried by an admin.</summary>
public class ScheduledFailureTests
{
    private static readonly Guid Reminder = Guid.Parse("00000000-0000-0000-0000-00000000a001");

    private static ProcessModel TwoSteps() =>
        new ModelDsl().Start().Task("ajukan").Task("periksa").End().Path("mulai", "ajukan", "periksa", "selesai").Build();

    /// <summary>Stored as the server stores it between commands, so the incident's item survives the round trip.</summary>
    private static TestInstance Failed()
    {
        var instance = new TestInstance(TwoSteps(), roundTripThrough: new JsonSerializerOptions(JsonSerializerDefaults.Web)).Start();
        instance.User = null;
        instance.Run(new ReportScheduledFailure(Reminder, "ajukan", "Webhook pengingat gagal"));
        return instance;
    }

    [Fact]
    public void A_failure_raises_one_incident_at_the_step_by_the_job_worker()
    {
        var instance = Failed();

        var incident = instance.State.Incidents.Single();
        (incident.ScheduledItemId, incident.NodeId, incident.Error).Should().Be(((Guid?)Reminder, "ajukan", "Webhook pengingat gagal"));
        instance.Effects.OfType<IncidentRaised>().Single().Incident.Should().Be(incident);
        instance.Audits.Select(a => (a.Action, a.Actor.Kind)).Should().Equal((AuditActions.IncidentRaised, ActorKind.JobWorker));
        instance.OpenSteps.Should().Equal("ajukan");
    }

    [Fact]
    public void The_same_item_reported_again_changes_nothing()
    {
        var instance = Failed();
        var before = instance.State.Incidents;

        instance.Run(new ReportScheduledFailure(Reminder, "ajukan", "Webhook pengingat gagal lagi"));

        instance.State.Incidents.Should().Equal(before);
        instance.Effects.Should().BeEmpty();
    }

    [Fact]
    public void A_retry_resolves_it_and_requests_no_job()
    {
        var instance = Failed();
        var incident = instance.State.Incidents.Single();
        instance.User = "admin";

        instance.Run(new RetryIncident(incident.Id));

        instance.State.Incidents.Should().BeEmpty();
        instance.Effects.OfType<IncidentResolved>().Single().Incident.Should().Be(incident);
        instance.Effects.OfType<JobRequested>().Should().BeEmpty();
        instance.State.Jobs.Should().BeEmpty();
    }

    [Fact]
    public void An_ended_instance_takes_no_incident()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        instance.Run(new CancelInstance("salah input"));

        var report = () => instance.Run(new ReportScheduledFailure(Reminder, "ajukan", "gagal"));

        report.Should().Throw<RuntimeCommandException>().Which.Kind.Should().Be(RuntimeErrorKind.Conflict);
    }
}
