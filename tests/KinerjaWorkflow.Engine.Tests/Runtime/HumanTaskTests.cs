using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class HumanTaskTests
{
    private static ProcessModel TwoSteps(string[]? outcomes = null, HumanTaskKind kind = HumanTaskKind.User) =>
        new ModelDsl()
            .Start()
            .Task("periksa", role: "Sekretaris", outcomes: outcomes, kind: kind)
            .Task("arsipkan", role: "Arsiparis")
            .End()
            .Path("mulai", "periksa", "arsipkan", "selesai")
            .Build();

    [Theory]
    [InlineData(HumanTaskKind.User)]
    [InlineData(HumanTaskKind.Manual)]
    [InlineData(HumanTaskKind.Plain)]
    public void Every_kind_of_human_task_waits_as_an_open_task_for_its_roles(HumanTaskKind kind)
    {
        var instance = new TestInstance(TwoSteps(kind: kind)).Start();

        var task = instance.Task("periksa");
        task.Roles.Should().Equal("Sekretaris");
        task.Assignee.Should().BeNull();
        task.CreatedAt.Should().Be(TestInstance.T0);
        instance.Effects.OfType<TaskCreated>().Single().Task.Should().Be(task);
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TaskCreated, null, "periksa", null));
    }

    [Fact]
    public void A_task_takes_its_expected_and_due_times_from_the_deadline_calculator()
    {
        var deadlines = new FixedDeadlines(TimeSpan.FromHours(1), TimeSpan.FromHours(4));
        var instance = new TestInstance(TwoSteps(), deadlines: deadlines).Start();

        var task = instance.Task("periksa");
        task.ExpectedAt.Should().Be(TestInstance.T0.AddHours(1));
        task.DueAt.Should().Be(TestInstance.T0.AddHours(4));
    }

    [Fact]
    public void Claim_assigns_the_task_to_the_user()
    {
        var instance = new TestInstance(TwoSteps()).Start();

        instance.Run(new ClaimTask(instance.Task("periksa").Id, "siti"));

        instance.Task("periksa").Assignee.Should().Be("siti");
        instance.Effects.OfType<TaskAssigned>().Single().PreviousAssignee.Should().BeNull();
        instance.AuditLines.Should().Equal(new AuditLine(AuditActions.TaskClaimed, "periksa", null, "siti"));
    }

    [Fact]
    public void Claim_by_the_same_user_again_changes_nothing()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        var id = instance.Task("periksa").Id;
        instance.Run(new ClaimTask(id, "siti"));

        instance.Run(new ClaimTask(id, "siti"));

        instance.Effects.Should().BeEmpty();
        instance.Task("periksa").Assignee.Should().Be("siti");
    }

    [Fact]
    public void Claim_of_a_task_someone_else_holds_is_a_conflict()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        var id = instance.Task("periksa").Id;
        instance.Run(new ClaimTask(id, "siti"));

        instance.Refuses(new ClaimTask(id, "budi"), RuntimeErrorKind.Conflict)
            .Message.Should().Be("Tugas ini sudah diambil oleh orang lain.");
    }

    [Fact]
    public void Unclaim_returns_the_task_to_its_roles()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        var id = instance.Task("periksa").Id;
        instance.Run(new ClaimTask(id, "siti"));

        instance.Run(new UnclaimTask(id));

        instance.Task("periksa").Assignee.Should().BeNull();
        instance.Effects.OfType<TaskAssigned>().Single().PreviousAssignee.Should().Be("siti");
        instance.AuditLines.Should().Equal(new AuditLine(AuditActions.TaskUnclaimed, "periksa", null, "siti"));
    }

    [Fact]
    public void Assign_hands_the_task_over_and_audits_the_reason()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        var id = instance.Task("periksa").Id;
        instance.Run(new ClaimTask(id, "siti"));

        instance.Run(new AssignTask(id, "andi", "siti cuti"));

        instance.Task("periksa").Assignee.Should().Be("andi");
        instance.Effects.OfType<TaskAssigned>().Single().PreviousAssignee.Should().Be("siti");
        instance.AuditLines.Should().Equal(new AuditLine(AuditActions.TaskAssigned, "periksa", null, "andi: siti cuti"));
    }

    [Fact]
    public void Assign_names_the_recipient_in_the_audit_line_as_people_read_them()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        var id = instance.Task("periksa").Id;

        instance.Run(new AssignTask(id, "andi", "siti cuti", "Andi Saputra (Staf)"));

        instance.Task("periksa").Assignee.Should().Be("andi");
        instance.AuditLines.Should().Equal(new AuditLine(AuditActions.TaskAssigned, "periksa", null, "Andi Saputra (Staf): siti cuti"));
    }

    [Fact]
    public void Complete_ends_the_task_and_moves_to_the_next_step()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        var task = instance.Task("periksa");

        instance.Complete(task);

        instance.OpenSteps.Should().Equal("arsipkan");
        instance.State.EndedTasks.Should().ContainSingle(t => t.Id == task.Id && t.Ending == TaskEnding.Completed);
        var completed = instance.Effects.OfType<TaskCompleted>().Single();
        completed.Task.Id.Should().Be(task.Id);
        completed.Task.Assignee.Should().Be("budi", "whoever completes an unclaimed task did it");
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TaskCompleted, "periksa", "arsipkan", null));
    }

    [Fact]
    public void Complete_merges_the_variables_into_the_instance()
    {
        var instance = new TestInstance(TwoSteps()).Start(new { nilai = 70, satker = "Bina Marga" });

        instance.Complete("periksa", variables: new { nilai = 85 });

        instance.Variable("nilai").GetInt32().Should().Be(85);
        instance.Variable("satker").GetString().Should().Be("Bina Marga");
    }

    [Fact]
    public void Completing_a_task_twice_is_a_conflict()
    {
        var instance = new TestInstance(TwoSteps()).Start();
        var task = instance.Task("periksa");
        instance.Complete(task);

        instance.Refuses(new CompleteTask(task.Id, null, null, Vars.Of(null)), RuntimeErrorKind.Conflict)
            .Message.Should().Be("Tugas ini sudah diselesaikan.");
    }

    [Fact]
    public void Completing_an_unknown_task_is_not_found()
    {
        var instance = new TestInstance(TwoSteps()).Start();

        instance.Refuses(new CompleteTask(Guid.NewGuid(), null, null, Vars.Of(null)), RuntimeErrorKind.NotFound);
    }

    [Fact]
    public void An_outcome_the_step_does_not_offer_is_invalid_and_lists_the_choices()
    {
        var instance = new TestInstance(TwoSteps(["setuju", "revisi"])).Start();

        instance.Refuses(new CompleteTask(instance.Task("periksa").Id, "tolak", null, Vars.Of(null)), RuntimeErrorKind.Invalid)
            .Message.Should().Contain("'tolak'").And.Contain("setuju, revisi");
    }

    [Fact]
    public void A_step_with_outcomes_must_be_given_one()
    {
        var instance = new TestInstance(TwoSteps(["setuju", "revisi"])).Start();

        instance.Refuses(new CompleteTask(instance.Task("periksa").Id, null, null, Vars.Of(null)), RuntimeErrorKind.Invalid)
            .Message.Should().Contain("setuju, revisi");
    }

    [Fact]
    public void An_outcome_in_other_letter_case_is_taken_in_the_declared_spelling()
    {
        var instance = new TestInstance(TwoSteps(["Setuju", "Revisi"])).Start();

        instance.Complete("periksa", "SETUJU");

        instance.Variable("outcome").GetString().Should().Be("Setuju");
        instance.Effects.OfType<TaskCompleted>().Single().Outcome.Should().Be("Setuju");
    }

    [Fact]
    public void A_step_without_outcomes_is_completed_without_one()
    {
        var instance = new TestInstance(TwoSteps()).Start();

        instance.Complete("periksa", null);

        instance.OpenSteps.Should().Equal("arsipkan");
        instance.Variable("outcome").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public void A_step_without_outcomes_refuses_one_and_stays_open()
    {
        var instance = new TestInstance(TwoSteps()).Start();

        instance.Refuses(new CompleteTask(instance.Task("periksa").Id, "apa saja", null, Vars.Of(null)), RuntimeErrorKind.Invalid)
            .Message.Should().Contain("tidak menawarkan pilihan hasil");
        instance.OpenSteps.Should().Equal("periksa");
    }

    [Fact]
    public void The_outcome_replaces_an_outcome_variable_sent_with_the_completion()
    {
        var instance = new TestInstance(TwoSteps(["setuju"])).Start();

        instance.Complete("periksa", "setuju", new { outcome = "palsu" });

        instance.Variable("outcome").GetString().Should().Be("setuju");
    }

    private sealed class FixedDeadlines(TimeSpan expected, TimeSpan due) : IDeadlineCalculator
    {
        public StepDeadline ForStep(HumanTask task, DateTimeOffset start) => new(start + expected, start + due);

        public DateTimeOffset TimerDue(TimerDefinition timer, DateTimeOffset start) => start + due;
    }
}
