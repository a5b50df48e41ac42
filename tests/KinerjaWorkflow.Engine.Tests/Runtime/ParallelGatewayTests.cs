using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class ParallelGatewayTests
{
    private static ProcessModel ForkJoin() =>
        new ModelDsl()
            .Start().And("bagi").Task("teknis").Task("keuangan").And("gabung").Task("putuskan").End()
            .Path("mulai", "bagi")
            .Path("bagi", "teknis", "gabung")
            .Path("bagi", "keuangan", "gabung")
            .Path("gabung", "putuskan", "selesai")
            .Build();

    [Fact]
    public void A_fork_starts_every_branch()
    {
        var instance = new TestInstance(ForkJoin()).Start();

        instance.OpenSteps.Should().Equal("teknis", "keuangan");
    }

    [Fact]
    public void A_join_waits_until_every_branch_has_arrived()
    {
        var instance = new TestInstance(ForkJoin()).Start();

        instance.Complete("teknis");

        instance.OpenSteps.Should().Equal("keuangan");
        instance.State.Executions.Should().ContainSingle(e => e.NodeId == "gabung" && e.State == ExecutionState.WaitingAtJoin);
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TaskCompleted, "teknis", "gabung", null));
    }

    [Fact]
    public void A_join_goes_on_with_one_token_once_all_have_arrived()
    {
        var instance = new TestInstance(ForkJoin()).Start();
        instance.Complete("teknis");

        instance.Complete("keuangan");

        instance.OpenSteps.Should().Equal("putuskan");
        instance.State.Executions.Should().ContainSingle().Which.NodeId.Should().Be("putuskan");
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TaskCompleted, "keuangan", "putuskan", null));
    }

    [Fact]
    public void Tokens_on_the_same_flow_queue_up_and_each_complete_set_fires_once()
    {
        // Two of three branches merge before the join, so they arrive on the same incoming flow.
        var model = new ModelDsl()
            .Start().And("bagi").Task("a").Task("b").Task("c").Xor("satukan").And("gabung").Task("putuskan").End()
            .Path("mulai", "bagi")
            .Path("bagi", "a", "satukan")
            .Path("bagi", "b", "satukan")
            .Path("bagi", "c", "gabung")
            .Path("satukan", "gabung", "putuskan", "selesai")
            .Build();
        var instance = new TestInstance(model).Start();
        instance.Complete("a").Complete("b");
        instance.State.Executions.Count(e => e.State == ExecutionState.WaitingAtJoin).Should().Be(2);

        instance.Complete("c");

        instance.OpenSteps.Should().Equal("putuskan");
        instance.State.Executions.Should().ContainSingle(e => e.NodeId == "gabung" && e.State == ExecutionState.WaitingAtJoin);
    }

    [Fact]
    public void A_fork_ignores_conditions()
    {
        var model = new ModelDsl()
            .Start().And("bagi").Task("teknis").Task("keuangan").End()
            .Path("mulai", "bagi")
            .Flow("bagi", "teknis", "false")
            .Flow("bagi", "keuangan")
            .Path("teknis", "selesai").Path("keuangan", "selesai")
            .Build();

        var instance = new TestInstance(model).Start();

        instance.OpenSteps.Should().Equal("teknis", "keuangan");
    }

    [Fact]
    public void The_instance_completes_only_when_the_last_branch_ends()
    {
        var model = new ModelDsl()
            .Start().And("bagi").Task("teknis").Task("keuangan").End("selesai-1").End("selesai-2")
            .Path("mulai", "bagi")
            .Path("bagi", "teknis", "selesai-1")
            .Path("bagi", "keuangan", "selesai-2")
            .Build();
        var instance = new TestInstance(model).Start();

        instance.Complete("teknis");
        instance.State.Status.Should().Be(InstanceStatus.Active);
        instance.Complete("keuangan");

        instance.State.Status.Should().Be(InstanceStatus.Completed);
    }
}
