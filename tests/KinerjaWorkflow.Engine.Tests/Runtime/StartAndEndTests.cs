using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class StartAndEndTests
{
    private static ProcessModel OneStep() =>
        new ModelDsl().Start().Task("ajukan").End().Path("mulai", "ajukan", "selesai").Build();

    [Fact]
    public void Start_creates_an_active_instance_with_the_given_id_variables_and_time()
    {
        var instance = new TestInstance(OneStep()).Start(new { nilai = 80 }, businessKey: "SPT-7");

        instance.State.Id.Should().Be(TestInstance.IdOf(1000));
        instance.State.DefinitionKey.Should().Be("proses-uji");
        instance.State.Status.Should().Be(InstanceStatus.Active);
        instance.State.StartedAt.Should().Be(TestInstance.T0);
        instance.State.BusinessKey.Should().Be("SPT-7");
        instance.State.Variables.Keys.Should().Equal("nilai");
        instance.Variable("nilai").GetInt32().Should().Be(80);
    }

    [Fact]
    public void Start_runs_to_the_first_step_and_audits_the_start_towards_it()
    {
        var instance = new TestInstance(OneStep()).Start();

        instance.OpenSteps.Should().Equal("ajukan");
        instance.State.ActiveNodeIds.Should().Equal("ajukan");
        instance.AuditLines.First().Should().Be(new AuditLine(AuditActions.InstanceStarted, "mulai", "ajukan", null));
    }

    [Fact]
    public void Start_of_a_started_instance_is_a_conflict()
    {
        var instance = new TestInstance(OneStep()).Start();

        instance.Refuses(new StartInstance(Guid.NewGuid(), null, Vars.Of(null)), RuntimeErrorKind.Conflict);
    }

    [Fact]
    public void A_command_without_an_instance_is_not_found()
    {
        var instance = new TestInstance(OneStep());

        instance.Refuses(new CancelInstance(null), RuntimeErrorKind.NotFound);
    }

    [Fact]
    public void Start_at_a_named_timer_start_event_uses_that_event()
    {
        var model = new ModelDsl()
            .Start()
            .Start("tiap-triwulan", new TimerDefinition(TimerKind.Cycle, "triwulan"))
            .Task("ajukan").Task("rekap").End()
            .Path("mulai", "ajukan", "selesai")
            .Path("tiap-triwulan", "rekap", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(startEventId: "tiap-triwulan");

        instance.OpenSteps.Should().Equal("rekap");
    }

    [Fact]
    public void Start_needs_exactly_one_none_start_event()
    {
        var model = new ModelDsl().Start("a").Start("b").End().Path("a", "selesai").Path("b", "selesai").Build();

        new TestInstance(model).Refuses(new StartInstance(Guid.NewGuid(), null, Vars.Of(null)), RuntimeErrorKind.Invalid)
            .Message.Should().Contain("tepat satu kejadian mulai");
    }

    [Fact]
    public void Start_stores_the_calling_instance()
    {
        var parent = Guid.NewGuid();
        var instance = new TestInstance(OneStep());

        instance.Run(new StartInstance(Guid.NewGuid(), null, Vars.Of(null), null, parent, "eksekusi-induk"));

        instance.State.ParentInstanceId.Should().Be(parent);
        instance.State.ParentExecutionId.Should().Be("eksekusi-induk");
    }

    [Fact]
    public void Reaching_the_end_completes_the_instance_with_its_variables()
    {
        var instance = new TestInstance(OneStep()).Start(new { nilai = 80 });
        instance.Now = TestInstance.T0.AddHours(3);

        instance.Complete("ajukan", variables: new { catatan = "lengkap" });

        instance.State.Status.Should().Be(InstanceStatus.Completed);
        instance.State.EndedAt.Should().Be(TestInstance.T0.AddHours(3));
        instance.State.Executions.Should().BeEmpty();
        var ended = instance.Effects.OfType<InstanceEnded>().Single();
        ended.Status.Should().Be(InstanceStatus.Completed);
        ended.Variables.Keys.Should().BeEquivalentTo("nilai", "catatan", "outcome");
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.InstanceCompleted, "selesai", null, null));
    }

    [Fact]
    public void A_process_without_wait_states_completes_within_the_start()
    {
        var model = new ModelDsl().Start().End().Path("mulai", "selesai").Build();

        var instance = new TestInstance(model).Start();

        instance.State.Status.Should().Be(InstanceStatus.Completed);
        instance.Effects.OfType<InstanceEnded>().Should().ContainSingle();
    }

    [Fact]
    public void Commands_on_a_completed_instance_are_conflicts()
    {
        var instance = new TestInstance(OneStep()).Start();
        var task = instance.Task("ajukan");
        instance.Complete(task);

        instance.Refuses(new CancelInstance("terlambat"), RuntimeErrorKind.Conflict)
            .Message.Should().Be("Proses ini sudah selesai.");
    }

    [Fact]
    public void The_business_key_is_not_a_variable()
    {
        var instance = new TestInstance(OneStep()).Start(businessKey: "SPT-9");

        instance.State.Variables.Should().NotContainKey("businessKey");
    }
}
