using KinerjaWorkflow.Engine.Time;
using static KinerjaWorkflow.Engine.Tests.Time.TestCalendars;

namespace KinerjaWorkflow.Engine.Tests.Time;

/// <summary>What the worked examples of docs/business-time.md do not show: recipients and refused settings.</summary>
public class SlaScheduleTests
{
    private static readonly BusinessCalendar Calendar = For(Jakarta, CivilServiceWithBreaks);
    private static readonly SlaPolicy Policy = new(0.75, new WaktuDuration(1, WaktuUnit.WorkingDay));

    [Fact]
    public void The_head_of_offices_step_escalates_to_the_office_admins_when_the_chain_names_nobody_else()
    {
        var plan = SlaSchedule.Plan(At("2025-07-14T09:00+07:00"), At("2025-07-15T09:00+07:00"), Calendar, Policy, [null]);

        plan.Should().ContainSingle(s => s.Kind == SlaStepKind.Escalation)
            .Which.Should().Be(new SlaPlanStep(SlaStepKind.Escalation, 1, null, At("2025-07-15T09:00+07:00")));
    }

    [Fact]
    public void A_step_due_the_moment_it_is_given_gets_no_reminder()
    {
        var plan = SlaSchedule.Plan(At("2025-07-14T09:00+07:00"), At("2025-07-14T09:00+07:00"), Calendar, Policy, ["Sekretaris"]);

        plan.Select(s => s.Kind).Should().Equal(SlaStepKind.Escalation);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(0.5, 0)]
    public void Refuses_a_share_outside_zero_to_one_or_an_empty_interval(double share, int intervalDays)
    {
        var plan = () => SlaSchedule.Plan(
            At("2025-07-14T09:00+07:00"),
            At("2025-07-15T09:00+07:00"),
            Calendar,
            new SlaPolicy(share, new WaktuDuration(intervalDays, WaktuUnit.WorkingDay)),
            ["Sekretaris"]);

        plan.Should().Throw<ArgumentOutOfRangeException>();
    }
}
