using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

/// <summary>The audit lines a command writes: one per happening, with who really acted and what changed.</summary>
public class AuditTrailTests
{
    private static readonly string[] Teams = ["Tim Sosial", "Tim Produksi"];

    /// <summary>The BPS shape: per team, a report reviewed and ended inside a sub-process, then a compilation step.</summary>
    private static ProcessModel PerTeamReview() =>
        new ModelDsl()
            .Start()
            .Sub(
                "laporan-per-tim",
                s => s.Start("t-mulai").Task("reviu", outcomes: ["sesuai"]).End("t-selesai").Path("t-mulai", "reviu", "t-selesai"),
                new MultiInstance(false, "timKerja", "tim", null))
            .Task("kompilasi")
            .End()
            .Path("mulai", "laporan-per-tim", "kompilasi", "selesai")
            .Build();

    [Fact]
    public void The_last_team_completing_writes_one_completion_line_even_when_its_sub_process_ends_and_the_next_step_starts()
    {
        var instance = new TestInstance(PerTeamReview()).Start(new { timKerja = Teams });
        instance.Complete(instance.State.Tasks[0], "sesuai");

        instance.Complete(instance.State.Tasks[0], "sesuai");

        instance.Audits.Where(a => a.Action == AuditActions.TaskCompleted).Should().ContainSingle();
    }
}
