using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Scheduling;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>Which occurrence of a timer start event fires next, and what the instance it starts is called.</summary>
public sealed class TimerStartPlanTests
{
    private static readonly TimerDefinition Quarterly = new(TimerKind.Cycle, "triwulan");

    /// <summary>WITA with the 2025 Nyepi and Idul Fitri closures.</summary>
    private static readonly BusinessCalendar Calendar = new(
        TimeZoneInfo.FindSystemTimeZoneById("Asia/Makassar"),
        OfficeHours.Default,
        [new DateOnly(2025, 3, 28), new DateOnly(2025, 3, 31), new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 2), new DateOnly(2025, 4, 3),
         new DateOnly(2025, 4, 4), new DateOnly(2025, 4, 7), new DateOnly(2026, 1, 1)]);

    [Theory]
    [InlineData("2025-04-08T08:00", "2025-TW1", 1, 2025)]
    [InlineData("2025-07-01T08:00", "2025-TW2", 2, 2025)]
    [InlineData("2026-01-02T08:00", "2025-TW4", 4, 2025)]
    public void A_quarterly_start_names_the_quarter_that_just_ended(string occurrence, string businessKey, int quarter, int year)
    {
        var (key, variables) = TimerStarts.Describe(Quarterly, Wita(occurrence), Calendar);

        key.Should().Be(businessKey);
        variables["triwulan"].GetInt32().Should().Be(quarter);
        variables["tahun"].GetInt32().Should().Be(year);
    }

    [Fact]
    public void Another_cycle_names_its_instance_by_the_local_occurrence()
    {
        var (key, variables) = TimerStarts.Describe(new TimerDefinition(TimerKind.Cycle, "R/2025-03-24T07:30:00/P1W"), Wita("2025-03-31T07:30"), Calendar);

        key.Should().Be("2025-03-31T07:30");
        variables.Should().BeEmpty();
    }

    public static TheoryData<TimerDefinition, string?, string, string?, int> Occurrences => new()
    {
        // Deployed in March: the first quarter's report starts on the first working day after the Idul Fitri closures.
        { Quarterly, null, "2025-03-20T09:00", "2025-04-08T08:00", 0 },

        // Down from April to October: of July and October only October starts.
        { Quarterly, "2025-04-08T08:00", "2025-10-10T09:00", "2025-10-01T08:00", 1 },

        // Up to date: the next quarter.
        { Quarterly, "2025-10-01T08:00", "2025-10-10T09:00", "2026-01-02T08:00", 0 },

        // A fixed date fires once, and not again.
        { new TimerDefinition(TimerKind.Date, "2025-05-02T09:00:00"), null, "2025-03-20T09:00", "2025-05-02T09:00", 0 },
        { new TimerDefinition(TimerKind.Date, "2025-05-02T09:00:00"), "2025-05-02T09:00", "2025-06-01T09:00", null, 0 },

        // A duration counts once from the first deployment.
        { new TimerDefinition(TimerKind.Duration, "P1D"), null, "2025-03-20T09:00", "2025-03-21T09:00", 0 },
        { new TimerDefinition(TimerKind.Duration, "P1D"), "2025-03-21T09:00", "2025-03-25T09:00", null, 0 },

        // A cycle with a count ends.
        { new TimerDefinition(TimerKind.Cycle, "R3/2025-03-03T08:00:00/P1W"), "2025-03-17T08:00", "2025-03-20T09:00", null, 0 },
    };

    [Theory]
    [MemberData(nameof(Occurrences))]
    public void The_next_occurrence_follows_the_last_one_that_fired(TimerDefinition timer, string? lastFired, string now, string? expected, int skipped)
    {
        var next = TimerStarts.NextOccurrence(
            timer,
            Calendar,
            lastFired is null ? null : Wita(lastFired),
            Wita("2025-03-20T09:00"),
            Wita(now),
            out var missed);

        next.Should().Be(expected is null ? null : Wita(expected));
        missed.Should().Be(skipped);
    }
}
