using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class InclusiveGatewayTests
{
    /// <summary>Reviews by whichever sections the amounts concern, then one decision.</summary>
    private static ProcessModel Reviews() =>
        new ModelDsl()
            .Start().Or("pilih", defaultTo: "umum").Task("teknis").Task("keuangan").Task("hukum").Task("umum")
            .Or("gabung").Task("putuskan").End()
            .Path("mulai", "pilih")
            .Flow("pilih", "teknis", "fisik == true")
            .Flow("pilih", "keuangan", "anggaran > 100")
            .Flow("pilih", "hukum", "kontrak == true")
            .Flow("pilih", "umum")
            .Path("teknis", "gabung").Path("keuangan", "gabung").Path("hukum", "gabung").Path("umum", "gabung")
            .Path("gabung", "putuskan", "selesai")
            .Build();

    [Fact]
    public void The_split_takes_every_flow_whose_condition_holds()
    {
        var instance = new TestInstance(Reviews()).Start(new { fisik = true, anggaran = 500, kontrak = false });

        instance.OpenSteps.Should().Equal("teknis", "keuangan");
    }

    [Fact]
    public void The_split_takes_the_default_flow_when_nothing_holds()
    {
        var instance = new TestInstance(Reviews()).Start(new { fisik = false, anggaran = 5, kontrak = false });

        instance.OpenSteps.Should().Equal("umum");
    }

    [Fact]
    public void The_split_without_a_true_condition_or_default_is_refused()
    {
        var model = new ModelDsl()
            .Start().Or("pilih").Task("teknis").End()
            .Path("mulai", "pilih")
            .Flow("pilih", "teknis", "fisik == true")
            .Path("teknis", "selesai")
            .Build();

        new TestInstance(model).Refuses(new StartInstance(Guid.NewGuid(), null, Vars.Of(new { fisik = false })), RuntimeErrorKind.Invalid)
            .Message.Should().Contain("tidak ada jalur yang memenuhi syarat");
    }

    [Fact]
    public void The_join_waits_for_a_taken_branch_that_is_still_running()
    {
        var instance = new TestInstance(Reviews()).Start(new { fisik = true, anggaran = 500, kontrak = false });

        instance.Complete("teknis");

        instance.OpenSteps.Should().Equal("keuangan");
        instance.State.Executions.Should().ContainSingle(e => e.NodeId == "gabung" && e.State == ExecutionState.WaitingAtJoin);
    }

    [Fact]
    public void The_join_fires_when_the_taken_branches_have_arrived_without_waiting_for_the_others()
    {
        var instance = new TestInstance(Reviews()).Start(new { fisik = true, anggaran = 500, kontrak = false });
        instance.Complete("teknis");

        instance.Complete("keuangan");

        instance.OpenSteps.Should().Equal("putuskan");
        instance.State.Executions.Should().ContainSingle();
    }

    [Fact]
    public void The_join_passes_a_single_taken_branch_straight_through()
    {
        var instance = new TestInstance(Reviews()).Start(new { fisik = false, anggaran = 500, kontrak = false });

        instance.Complete("keuangan");

        instance.OpenSteps.Should().Equal("putuskan");
    }

    [Fact]
    public void The_join_waits_for_a_branch_still_on_its_way_through_a_timer()
    {
        var model = new ModelDsl()
            .Start().Or("pilih").Task("teknis").Wait("tunggu", "PT1H").Or("gabung").Task("putuskan").End()
            .Path("mulai", "pilih")
            .Flow("pilih", "teknis", "fisik == true")
            .Flow("pilih", "tunggu", "tunda == true")
            .Path("teknis", "gabung").Path("tunggu", "gabung")
            .Path("gabung", "putuskan", "selesai")
            .Build();
        var instance = new TestInstance(model).Start(new { fisik = true, tunda = true });
        instance.Complete("teknis");
        instance.OpenSteps.Should().BeEmpty();

        instance.Fire("tunggu");

        instance.OpenSteps.Should().Equal("putuskan");
    }
}
