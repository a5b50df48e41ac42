using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>When reminders and escalations fall, in an office's business time (WITA, default hours).</summary>
public sealed class SlaPlannerTests
{
    private static readonly BusinessCalendar Calendar = new(
        TimeZoneInfo.FindSystemTimeZoneById("Asia/Makassar"),
        OfficeHours.Default,
        [new DateOnly(2025, 3, 28), new DateOnly(2025, 3, 31), new DateOnly(2025, 4, 1)]);

    private static readonly Organization Office = OrganizationLoader.Parse("kantor-sla", """
        name: Kantor SLA
        timeZone: Asia/Makassar
        officeHours: { monday: "07:30-16:00", tuesday: "07:30-16:00", wednesday: "07:30-16:00", thursday: "07:30-16:00", friday: "07:30-16:30", saturday: tutup, sunday: tutup }
        breaks: { monday: tidak ada, tuesday: tidak ada, wednesday: tidak ada, thursday: tidak ada, friday: tidak ada }
        reminderAt: 0.75
        escalationInterval: 1 Hari Kerja
        roles:
          - name: Kepala
            head: true
          - name: Sekretaris
            supervisor: Kepala
          - name: Kasubbag
            supervisor: Sekretaris
          - name: Staf
            supervisor: Kasubbag
        users:
          - username: kepala.sla
            name: Kepala
            roles: [Kepala]
        """);

    private static readonly SlaSettings Defaults = new(0.75, new WaktuDuration(1, WaktuUnit.WorkingDay));

    public static TheoryData<string, string, string, string[]> Plans => new()
    {
        // Two office hours from Monday 08:00: reminded after 1.5, escalated at the deadline, then "1 Hari Kerja" per level:
        // the same clock time on the next working day, as a step's Waktu reads (docs/business-time.md).
        { "2025-03-03T08:00", "2025-03-03T10:00", "2025-03-03T09:30", ["2025-03-03T10:00", "2025-03-04T10:00", "2025-03-05T10:00"] },

        // Given at 15:30 on Thursday with 2 hours: due Friday 09:00, reminded at Friday 08:30; the next levels on Monday and Tuesday.
        { "2025-03-06T15:30", "2025-03-07T09:00", "2025-03-07T08:30", ["2025-03-07T09:00", "2025-03-10T09:00", "2025-03-11T09:00"] },

        // Due on the Thursday before Nyepi's cuti bersama (Friday) and Idul Fitri (Monday, Tuesday): levels wait for Wednesday.
        { "2025-03-27T07:30", "2025-03-27T16:00", "2025-03-27T13:52:30", ["2025-03-27T16:00", "2025-04-02T16:00", "2025-04-03T16:00"] },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void A_step_is_reminded_at_three_quarters_of_its_working_time_and_escalates_up_the_chain_a_working_day_apart(
        string created,
        string due,
        string reminder,
        string[] escalations)
    {
        var plan = SlaPlanner.Plan(["Staf"], Wita(created), Wita(due), Calendar, Office, Defaults);

        plan.Should().Equal(
            new[] { new PlannedSlaStep("reminder", 1, null, Wita(reminder)) }
                .Concat(escalations.Select((at, i) => new PlannedSlaStep("escalation", i + 1, new[] { "Kasubbag", "Sekretaris", "Kepala" }[i], Wita(at)))));
    }

    [Fact]
    public void The_head_of_offices_step_escalates_to_the_office_admins_when_the_office_names_no_recipient()
    {
        var plan = SlaPlanner.Plan(["Kepala"], Wita("2025-03-03T08:00"), Wita("2025-03-03T16:00"), Calendar, Office, Defaults);

        plan.Select(p => (p.Kind, p.Role)).Should().Equal(("reminder", null), ("escalation", null));
    }

    [Fact]
    public void The_head_of_offices_step_escalates_to_the_role_the_office_names()
    {
        var office = OrganizationLoader.Parse("kantor-sla", Office.Yaml + "\nheadEscalationTo: Sekretaris\n");

        var plan = SlaPlanner.Plan(["Kepala"], Wita("2025-03-03T08:00"), Wita("2025-03-03T16:00"), Calendar, office, Defaults);

        plan.Where(p => p.Kind == "escalation").Should().Equal(new PlannedSlaStep("escalation", 1, "Sekretaris", Wita("2025-03-03T16:00")));
    }

    [Fact]
    public void A_step_with_no_working_time_before_its_deadline_gets_no_reminder()
    {
        var plan = SlaPlanner.Plan(["Staf"], Wita("2025-03-08T10:00"), Wita("2025-03-08T12:00"), Calendar, Office, Defaults);

        plan.Select(p => p.Kind).Should().Equal("escalation", "escalation", "escalation");
    }

    [Fact]
    public void The_first_role_the_office_knows_decides_the_chain()
    {
        var plan = SlaPlanner.Plan(["Tim Luar", "Sekretaris"], Wita("2025-03-03T08:00"), Wita("2025-03-03T16:00"), Calendar, Office, Defaults);

        plan.Where(p => p.Kind == "escalation").Select(p => p.Role).Should().Equal("Kepala");
    }

    [Theory]
    [InlineData("", 0.75, 1, WaktuUnit.WorkingDay)]
    [InlineData("sop:reminderAt=\"50%\" sop:escalationInterval=\"2 jam\"", 0.5, 2, WaktuUnit.Hour)]
    [InlineData("sop:reminderAt=\"banyak\" sop:escalationInterval=\"segera\"", 0.75, 1, WaktuUnit.WorkingDay)]

    // The deprecated names of definitions deployed before, read as before; the current name wins over them.
    [InlineData("sop:pengingat=\"50%\" sop:eskalasiUlang=\"2 jam\"", 0.5, 2, WaktuUnit.Hour)]
    [InlineData("sop:reminderAt=\"0,25\" sop:pengingat=\"50%\" sop:escalationInterval=\"3 jam\" sop:eskalasiUlang=\"2 jam\"", 0.25, 3, WaktuUnit.Hour)]
    public void A_definition_may_set_its_own_reminder_share_and_escalation_interval(string attributes, double reminderAt, int amount, WaktuUnit unit)
    {
        var definition = new DefinitionRecord
        {
            Id = Guid.NewGuid(),
            Key = "uji-sla",
            Version = 1,
            OfficeId = "kantor-sla",
            Name = "Uji SLA",
            Xml = $"""
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0">
                  <bpmn:process id="uji-sla" isExecutable="true" {attributes} />
                </bpmn:definitions>
                """,
            ContentHash = "-",
            DeployedAt = DateTimeOffset.UnixEpoch,
        };

        var settings = new SlaSettingsReader(NullLogger<SlaSettingsReader>.Instance).For(definition, Office);

        settings.Should().Be(new SlaSettings(reminderAt, new WaktuDuration(amount, unit)));
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("0,6", 0.6)]
    [InlineData("80%", 0.8)]
    [InlineData(" 0.25 ", 0.25)]
    public void A_reminder_share_reads_as_a_fraction_a_decimal_comma_or_a_percentage(string text, double expected)
    {
        SlaSettingsReader.TryParseShare(text, out var share).Should().BeTrue();
        share.Should().BeApproximately(expected, 1e-9);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("150%")]
    [InlineData("setengah")]
    [InlineData("-0.5")]
    public void A_reminder_share_outside_zero_to_one_does_not_read(string text) =>
        SlaSettingsReader.TryParseShare(text, out _).Should().BeFalse();

    [Theory]
    [InlineData(0, "kurang dari 1 menit")]
    [InlineData(59, "kurang dari 1 menit")]
    [InlineData(60 * 15, "15 menit")]
    [InlineData(60 * 120, "2 jam")]
    [InlineData(60 * 135, "2 jam 15 menit")]
    public void Working_time_reads_in_hours_and_minutes(int seconds, string expected) =>
        SlaMessages.WorkingTime(TimeSpan.FromSeconds(seconds)).Should().Be(expected);

    [Theory]
    [InlineData("Asia/Makassar", "2025-03-03T02:00:00Z", "Senin, 3 Maret 2025 pukul 10.00 WITA")]
    [InlineData("Asia/Jakarta", "2025-08-17T01:05:00Z", "Minggu, 17 Agustus 2025 pukul 08.05 WIB")]
    [InlineData("Asia/Jayapura", "2025-12-31T14:59:00Z", "Rabu, 31 Desember 2025 pukul 23.59 WIT")]
    public void A_deadline_is_written_in_the_office_zone_in_bahasa_indonesia(string zone, string utc, string expected)
    {
        var calendar = new BusinessCalendar(TimeZoneInfo.FindSystemTimeZoneById(zone), OfficeHours.Default, Array.Empty<DateOnly>());

        SlaMessages.Instant(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), calendar, zone).Should().Be(expected);
    }
}
