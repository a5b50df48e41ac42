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

    private static ProcessModel TwoSteps() =>
        new ModelDsl().Start().Task("ajukan").Task("periksa").End().Path("mulai", "ajukan", "periksa", "selesai").Build();

    private static ProcessModel Paused() =>
        new ModelDsl()
            .Start().Task("ajukan").Wait("jeda", "PT2H").Task("periksa").End()
            .Path("mulai", "ajukan", "jeda", "periksa", "selesai")
            .Build();

    private static ProcessModel Sending() =>
        new ModelDsl()
            .Start().Service("kirim", new HttpCall("POST", "https://monev.example/api", [], null, "monev")).Task("periksa").End()
            .Path("mulai", "kirim", "periksa", "selesai")
            .Build();

    [Fact]
    public void The_last_team_completing_writes_one_completion_line_even_when_its_sub_process_ends_and_the_next_step_starts()
    {
        var instance = new TestInstance(PerTeamReview()).Start(new { timKerja = Teams });
        instance.Complete(instance.State.Tasks[0], "sesuai");

        instance.Complete(instance.State.Tasks[0], "sesuai");

        instance.AuditLines.Where(a => a.Action == AuditActions.TaskCompleted)
            .Should().Equal(new AuditLine(AuditActions.TaskCompleted, "reviu", "kompilasi", "sesuai"));
    }

    [Fact]
    public void A_team_completing_while_others_still_work_goes_to_the_end_of_its_sub_process()
    {
        var instance = new TestInstance(PerTeamReview()).Start(new { timKerja = Teams });

        instance.Complete(instance.State.Tasks[0], "sesuai");

        instance.AuditLines.Should().Equal(new AuditLine(AuditActions.TaskCompleted, "reviu", "t-selesai", "sesuai"));
    }

    private static readonly Dictionary<string, (Func<TestInstance> Run, (string Action, ActorKind Kind, string? User)[] Expected)> Situations = new()
    {
        ["a person starts"] = (
            () => new TestInstance(TwoSteps()).Start(),
            [(AuditActions.InstanceStarted, ActorKind.Person, "budi"), (AuditActions.TaskCreated, ActorKind.Engine, null)]),
        ["a person completes; the engine creates the next task"] = (
            () => new TestInstance(TwoSteps()).Start().Complete("ajukan"),
            [(AuditActions.TaskCompleted, ActorKind.Person, "budi"), (AuditActions.TaskCreated, ActorKind.Engine, null)]),
        ["the last step ends the process: the engine ends it"] = (
            () => new TestInstance(TwoSteps()).Start().Complete("ajukan").Complete("periksa"),
            [(AuditActions.TaskCompleted, ActorKind.Person, "budi"), (AuditActions.InstanceCompleted, ActorKind.Engine, null)]),
        ["a timer comes due: the scheduler"] = (
            () => new TestInstance(Paused()).Start().Complete("ajukan").Fire("jeda"),
            [(AuditActions.TimerFired, ActorKind.Scheduler, null), (AuditActions.TaskCreated, ActorKind.Engine, null)]),
        ["a service task answers: the job worker"] = (
            () =>
            {
                var instance = new TestInstance(Sending()).Start();
                instance.Run(new CompleteJob(instance.Job("kirim").Id, null));
                return instance;
            },
            [(AuditActions.JobCompleted, ActorKind.JobWorker, null), (AuditActions.TaskCreated, ActorKind.Engine, null)]),
        ["a service task fails: the job worker"] = (
            () =>
            {
                var instance = new TestInstance(Sending()).Start();
                instance.Run(new FailJob(instance.Job("kirim").Id, "503"));
                return instance;
            },
            [(AuditActions.IncidentRaised, ActorKind.JobWorker, null)]),
        ["a person cancels: the tasks end by the engine, after the person's line"] = (
            () =>
            {
                var instance = new TestInstance(TwoSteps()).Start();
                instance.Run(new CancelInstance("salah input"));
                return instance;
            },
            [(AuditActions.InstanceCancelled, ActorKind.Person, "budi"), (AuditActions.TaskCancelled, ActorKind.Engine, null)]),
        ["a parent's cancellation reaching its called instance: the engine"] = (
            () =>
            {
                var instance = new TestInstance(TwoSteps()).Start();
                instance.User = null;
                instance.Run(new CancelInstance("induk dibatalkan"));
                return instance;
            },
            [(AuditActions.InstanceCancelled, ActorKind.Engine, null), (AuditActions.TaskCancelled, ActorKind.Engine, null)]),
        ["a called instance is started by its parent's engine, whoever completed the parent's step"] = (
            () =>
            {
                var instance = new TestInstance(TwoSteps());
                instance.Run(new StartInstance(TestInstance.IdOf(2000), null, Vars.Of(null), null, TestInstance.IdOf(1), "induk"));
                return instance;
            },
            [(AuditActions.InstanceStarted, ActorKind.Engine, null), (AuditActions.TaskCreated, ActorKind.Engine, null)]),
        ["a timer start event starts an instance: the scheduler"] = (
            () =>
            {
                var model = new ModelDsl()
                    .Start("tiap-triwulan", new TimerDefinition(TimerKind.Duration, "PT1H")).Task("ajukan").End()
                    .Path("tiap-triwulan", "ajukan", "selesai")
                    .Build();
                var instance = new TestInstance(model) { User = null };
                return instance.Start(startEventId: "tiap-triwulan");
            },
            [(AuditActions.InstanceStarted, ActorKind.Scheduler, null), (AuditActions.TaskCreated, ActorKind.Engine, null)]),
    };

    public static TheoryData<string> Actors() => [.. Situations.Keys];

    [Theory]
    [MemberData(nameof(Actors))]
    public void Each_line_credits_who_really_acted(string situation)
    {
        var (run, expected) = Situations[situation];

        var instance = run();

        instance.Audits.Select(a => (a.Action, a.Actor.Kind, a.Actor.UserName)).Should().Equal(expected);
    }

    [Fact]
    public void Task_lines_name_the_task_and_the_team_it_runs_for()
    {
        var instance = new TestInstance(PerTeamReview()).Start(new { timKerja = Teams });
        var produksi = instance.State.Tasks.Single(t => t.LoopItem!.Value.GetString() == "Tim Produksi");

        instance.Complete(produksi, "sesuai");

        var line = instance.Audits.Single();
        (line.TaskId, line.Item!.Value.GetString()).Should().Be((produksi.Id, "Tim Produksi"));
    }

    [Fact]
    public void The_engines_task_created_lines_name_each_team()
    {
        var instance = new TestInstance(PerTeamReview()).Start(new { timKerja = Teams });

        instance.Audits.Where(a => a.Action == AuditActions.TaskCreated)
            .Select(a => (a.TaskId, a.Item!.Value.GetString()))
            .Should().Equal(instance.State.Tasks.Select(t => ((Guid?)t.Id, t.LoopItem!.Value.GetString())));
    }

    [Fact]
    public void The_completion_line_keeps_the_comment()
    {
        var instance = new TestInstance(TwoSteps()).Start();

        instance.Run(new CompleteTask(instance.Task("ajukan").Id, null, "Nota dinas sudah terbit", Vars.Of(null)));

        instance.Audits.First().Comment.Should().Be("Nota dinas sudah terbit");
    }

    [Fact]
    public void The_completion_line_lists_the_variables_it_set_and_changed_with_their_values_before_and_after()
    {
        var instance = new TestInstance(TwoSteps()).Start(new { nilai = 70, ruas = "Padang" });

        instance.Complete("ajukan", variables: new { nilai = 85, catatan = "lengkap", ruas = "Padang" });

        instance.Audits.First().Variables.Select(v => (v.Name, v.Before?.GetRawText(), v.After.GetRawText()))
            .Should().Equal(("catatan", null, "\"lengkap\""), ("nilai", "70", "85"));
        instance.Audits.Skip(1).Should().OnlyContain(a => a.Variables.Count == 0, "only the command's own line lists what it changed");
    }

    [Fact]
    public void A_variable_set_to_null_where_there_was_none_is_no_change()
    {
        var instance = new TestInstance(TwoSteps()).Start();

        instance.Complete("ajukan", variables: new { catatan = (string?)null });

        instance.Audits.First().Variables.Should().BeEmpty("outcome and catatan read as null before and after");
    }

    [Fact]
    public void The_start_line_lists_the_variables_the_instance_starts_with()
    {
        var instance = new TestInstance(TwoSteps()).Start(new { triwulan = 4 });

        instance.Audits.First().Variables.Select(v => (v.Name, v.Before, v.After.GetRawText()))
            .Should().Equal(("triwulan", null, "4"));
    }

    [Fact]
    public void A_claim_changes_no_variable_and_names_the_task()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        var task = instance.Task("ajukan");

        instance.Run(new ClaimTask(task.Id, "siti"));

        var line = instance.Audits.Single();
        (line.Action, line.TaskId, line.Actor, line.Variables.Count).Should().Be((AuditActions.TaskClaimed, task.Id, AuditActor.Person("budi"), 0));
    }
}
