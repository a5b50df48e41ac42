using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class TerminateAndCancelTests
{
    private static ProcessModel RaceToTerminate() =>
        new ModelDsl()
            .Start().And("bagi").Task("tolak-cepat").Task("telaah").Wait("jeda", "PT1H").Terminate().End()
            .Path("mulai", "bagi")
            .Path("bagi", "tolak-cepat", "akhiri")
            .Path("bagi", "telaah", "selesai")
            .Path("bagi", "jeda", "selesai")
            .Build();

    [Fact]
    public void A_terminate_end_cancels_every_other_token_and_completes_the_instance()
    {
        var instance = new TestInstance(RaceToTerminate()).Start();
        var other = instance.Task("telaah");

        instance.Complete("tolak-cepat");

        instance.State.Status.Should().Be(InstanceStatus.Completed);
        instance.State.Executions.Should().BeEmpty();
        instance.State.Tasks.Should().BeEmpty();
        instance.State.Timers.Should().BeEmpty();
        instance.Effects.OfType<TaskCancelled>().Single().Task.Id.Should().Be(other.Id);
        instance.Effects.OfType<TimerCancelled>().Should().ContainSingle();
        instance.Effects.OfType<InstanceEnded>().Single().Status.Should().Be(InstanceStatus.Completed);
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.InstanceTerminatedByEndEvent, "akhiri", null, null));
    }

    [Fact]
    public void A_terminate_end_inside_a_sub_process_ends_only_the_sub_process()
    {
        var model = new ModelDsl()
            .Start()
            .Sub("cek", s => s.Start("c").And("bagi").Task("a").Task("b").Terminate("cukup").End("cs")
                .Path("c", "bagi").Path("bagi", "a", "cukup").Path("bagi", "b", "cs"))
            .Task("lanjut")
            .End()
            .Path("mulai", "cek", "lanjut", "selesai")
            .Build();
        var instance = new TestInstance(model).Start();

        instance.Complete("a");

        instance.OpenSteps.Should().Equal("lanjut");
        instance.State.Status.Should().Be(InstanceStatus.Active);
        instance.Effects.OfType<TaskCancelled>().Single().Task.NodeId.Should().Be("b");
    }

    [Fact]
    public void Cancel_ends_everything_and_records_the_reason()
    {
        var instance = new TestInstance(RaceToTerminate()).Start();
        instance.Now = TestInstance.T0.AddDays(1);

        instance.Run(new CancelInstance("pengajuan ditarik"));

        instance.State.Status.Should().Be(InstanceStatus.Cancelled);
        instance.State.EndedAt.Should().Be(TestInstance.T0.AddDays(1));
        instance.State.Executions.Should().BeEmpty();
        instance.State.Tasks.Should().BeEmpty();
        instance.State.Timers.Should().BeEmpty();
        instance.Effects.OfType<TaskCancelled>().Select(c => c.Reason).Should()
            .Equal("proses dibatalkan: pengajuan ditarik", "proses dibatalkan: pengajuan ditarik");
        instance.Effects.OfType<InstanceEnded>().Single().Status.Should().Be(InstanceStatus.Cancelled);
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.InstanceCancelled, null, null, "pengajuan ditarik"));
    }

    [Fact]
    public void Cancel_drops_waiting_jobs_and_their_incidents()
    {
        var model = new ModelDsl()
            .Start().Service("kirim", new HttpCall("GET", "https://x.example", [], null, null)).End()
            .Path("mulai", "kirim", "selesai")
            .Build();
        var instance = new TestInstance(model).Start();
        instance.Run(new FailJob(instance.Job("kirim").Id, "timeout"));

        instance.Run(new CancelInstance(null));

        instance.State.Jobs.Should().BeEmpty();
        instance.State.Incidents.Should().BeEmpty();
        instance.Effects.OfType<IncidentResolved>().Should().ContainSingle();
    }

    [Fact]
    public void Cancelling_twice_is_a_conflict()
    {
        var instance = new TestInstance(RaceToTerminate()).Start();
        instance.Run(new CancelInstance(null));

        instance.Refuses(new CancelInstance(null), RuntimeErrorKind.Conflict)
            .Message.Should().Be("Proses ini sudah dibatalkan.");
    }
}
