using System.Globalization;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Time;

/// <summary>
/// The worked examples of docs/business-time.md, read from the document itself so the rules people read and the
/// rules the engine applies cannot drift apart. Each table row is one test case, named by its table and number.
/// </summary>
public class BusinessTimeDocumentTests
{
    private static WorkedExamples Examples(string heading) => new("business-time.md", heading);

    public static TheoryData<string> DeadlineRows => RowNumbers("## Deadlines");

    public static TheoryData<string> TimeLeftRows => RowNumbers("## Time left");

    public static TheoryData<string> SlaRows => RowNumbers("## Reminders and escalations");

    [Fact]
    public void The_document_has_forty_deadline_examples_or_more_in_wib_and_wita()
    {
        var rows = Examples("## Deadlines").Rows;

        rows.Should().HaveCountGreaterThanOrEqualTo(40);
        rows.Select(r => r[1]).Distinct().Should().BeEquivalentTo("WIB", "WITA");
    }

    [Theory]
    [MemberData(nameof(DeadlineRows))]
    public void Deadline_example(string number)
    {
        var row = Row("## Deadlines", number);
        var calendar = Calendar(row[1], row[2]);
        var given = Instant(row[3], row[1]);
        var waktu = WaktuParser.Parse(row[4]);

        var due = calendar.Deadline(given, waktu.Deadline);
        var expected = waktu.Expected is { } lower ? calendar.Add(given, lower) : (DateTimeOffset?)null;

        Shown(due.At).Should().Be(row[6], $"row {number}: {row[4]} given {row[3]} {row[1]}");
        (expected is { } e ? Shown(e) : "—").Should().Be(row[5], $"row {number}: expected at the lower bound");
        (due.Provisional ? "ya" : "tidak").Should().Be(row[7], $"row {number}: provisional");
    }

    [Theory]
    [MemberData(nameof(TimeLeftRows))]
    public void Time_left_example(string number)
    {
        var row = Row("## Time left", number);
        var calendar = Calendar(row[1], row[2]);

        var left = calendar.TimeLeft(Instant(row[3], row[1]), Instant(row[4], row[1]));

        left.ToString().Should().Be(row[5], $"row {number}");
    }

    [Theory]
    [MemberData(nameof(SlaRows))]
    public void Reminder_and_escalation_example(string number)
    {
        var row = Row("## Reminders and escalations", number);
        var calendar = Calendar(row[1], "ASN");
        var policy = new SlaPolicy(
            double.Parse(row[4].Replace(',', '.'), CultureInfo.InvariantCulture),
            WaktuParser.Parse(row[5]).Deadline);
        var chain = row[6].Split(',', StringSplitOptions.TrimEntries);

        var plan = SlaSchedule.Plan(Instant(row[2], row[1]), Instant(row[3], row[1]), calendar, policy, chain);

        plan.Where(s => s.Kind == SlaStepKind.Reminder).Select(s => Shown(s.At)).Should().Equal([row[7]], $"row {number}: reminder");
        var escalations = plan.Where(s => s.Kind == SlaStepKind.Escalation).ToList();
        escalations.Select(s => Shown(s.At)).Should().Equal(row[8].Split(';', StringSplitOptions.TrimEntries), $"row {number}: escalations");
        escalations.Select(s => s.Recipient).Should().Equal(chain, $"row {number}: one level per role up the chain");
        escalations.Select(s => s.Level).Should().Equal(Enumerable.Range(1, chain.Length));
    }

    private static BusinessCalendar Calendar(string zone, string office)
    {
        var hours = office switch
        {
            "ASN" => TestCalendars.CivilServiceWithBreaks,
            "tanpa istirahat" => OfficeHours.Default,
            _ => throw new InvalidDataException($"Office \"{office}\" is not described in docs/business-time.md."),
        };
        return TestCalendars.For(ZoneId(zone), hours);
    }

    private static string ZoneId(string zone) => zone switch
    {
        "WIB" => TestCalendars.Jakarta,
        "WITA" => TestCalendars.Makassar,
        _ => throw new InvalidDataException($"Zone \"{zone}\" is neither WIB nor WITA."),
    };

    /// <summary>Reads "Kamis 2025-07-17 15:59" in the zone, checking that the day name is that date's.</summary>
    private static DateTimeOffset Instant(string text, string zone)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var local = DateTime.ParseExact($"{parts[1]} {parts[2]}", "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        DayName(local.DayOfWeek).Should().Be(parts[0], $"{parts[1]} is a {local.DayOfWeek} in the document's table");
        var tz = TimeZoneInfo.FindSystemTimeZoneById(ZoneId(zone));
        return new DateTimeOffset(local, tz.GetUtcOffset(local));
    }

    private static string Shown(DateTimeOffset instant) =>
        $"{DayName(instant.DayOfWeek)} {instant.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}";

    private static string DayName(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "Senin",
        DayOfWeek.Tuesday => "Selasa",
        DayOfWeek.Wednesday => "Rabu",
        DayOfWeek.Thursday => "Kamis",
        DayOfWeek.Friday => "Jumat",
        DayOfWeek.Saturday => "Sabtu",
        _ => "Minggu",
    };

    private static TheoryData<string> RowNumbers(string heading) => Examples(heading).Numbers();

    private static string[] Row(string heading, string number) => Examples(heading).Row(number);
}
