using KinerjaWorkflow.Engine.Time;
using static KinerjaWorkflow.Engine.Tests.Time.TestCalendars;

namespace KinerjaWorkflow.Engine.Tests.Time;

/// <summary>
/// Business time in WIB with the default hours (Mon–Thu 07:30–16:00, Fri 07:30–16:30) and the shipped holidays.
/// 14–18 July 2025 is an ordinary Monday–Friday week.
/// </summary>
public class BusinessCalendarTests
{
    private static readonly BusinessCalendar Wib = TestCalendars.Wib();

    private static string Add(BusinessCalendar calendar, string start, string waktu) =>
        Local(calendar.Add(At(start), WaktuParser.Parse(waktu).Deadline));

    [Theory]
    [InlineData("2025-07-14T10:00+07:00", "2 jam", "2025-07-14T12:00+07:00")]
    [InlineData("2025-07-14T10:00+07:00", "½ jam", "2025-07-14T10:30+07:00")]
    [InlineData("2025-07-14T10:00+07:00", "1,5 jam", "2025-07-14T11:30+07:00")]
    [InlineData("2025-07-14T10:00+07:00", "3 jam 30 menit", "2025-07-14T13:30+07:00")]
    [InlineData("2025-07-14T07:30+07:00", "8 jam 30 menit", "2025-07-14T16:00+07:00")]
    [InlineData("2025-07-14T15:45+07:00", "15 menit", "2025-07-14T16:00+07:00")]
    [InlineData("2025-07-14T06:00+07:00", "30 menit", "2025-07-14T08:00+07:00")]
    [InlineData("2025-07-14T17:00+07:00", "1 jam", "2025-07-15T08:30+07:00")]
    [InlineData("2025-07-17T14:00+07:00", "4 jam", "2025-07-18T09:30+07:00")]
    [InlineData("2025-07-17T15:55+07:00", "15 menit", "2025-07-18T07:40+07:00")]
    [InlineData("2025-07-18T15:55+07:00", "15 menit", "2025-07-18T16:10+07:00")]
    [InlineData("2025-07-18T16:25+07:00", "15 menit", "2025-07-21T07:40+07:00")]
    [InlineData("2025-07-19T09:00+07:00", "1 jam", "2025-07-21T08:30+07:00")]
    [InlineData("2025-07-14T03:00Z", "2 jam", "2025-07-14T12:00+07:00")]
    public void Minutes_and_hours_count_office_time_only(string start, string waktu, string due)
    {
        Add(Wib, start, waktu).Should().Be(due);
    }

    [Fact]
    public void Fifteen_minutes_from_friday_1555_is_monday_0740_when_friday_closes_at_1600()
    {
        var fridayClosesAtFour = TestCalendars.Wib(
            OfficeHours.Default.With(DayOfWeek.Friday, new OfficeDay(new TimeOnly(7, 30), new TimeOnly(16, 0))));

        Add(fridayClosesAtFour, "2025-07-18T15:55+07:00", "15 Menit").Should().Be("2025-07-21T07:40+07:00");
    }

    [Theory]
    [InlineData("2025-12-24T15:00+07:00", "2 jam", "2025-12-29T08:30+07:00")]
    [InlineData("2025-03-27T15:00+07:00", "2 jam", "2025-04-08T08:30+07:00")]
    [InlineData("2025-08-15T16:00+07:00", "1 jam", "2025-08-19T08:00+07:00")]
    public void Office_time_skips_holidays_and_cuti_bersama(string start, string waktu, string due)
    {
        Add(Wib, start, waktu).Should().Be(due);
    }

    [Theory]
    [InlineData("2025-07-14T10:00+07:00", "1 hari kerja", "2025-07-15T10:00+07:00")]
    [InlineData("2025-07-14T06:00+07:00", "1 hari kerja", "2025-07-14T16:00+07:00")]
    [InlineData("2025-07-14T15:59+07:00", "1 hari kerja", "2025-07-15T15:59+07:00")]
    [InlineData("2025-07-14T16:00+07:00", "1 hari kerja", "2025-07-15T16:00+07:00")]
    [InlineData("2025-07-14T17:00+07:00", "1 hari kerja", "2025-07-15T16:00+07:00")]
    [InlineData("2025-07-17T10:00+07:00", "2 hari kerja", "2025-07-21T10:00+07:00")]
    [InlineData("2025-07-18T10:00+07:00", "3 HK", "2025-07-23T10:00+07:00")]
    [InlineData("2025-07-19T10:00+07:00", "1 hari kerja", "2025-07-21T16:00+07:00")]
    public void Working_days_keep_the_clock_time_of_the_start_on_the_nth_working_day_after_it(string start, string waktu, string due)
    {
        Add(Wib, start, waktu).Should().Be(due);
    }

    [Theory]
    [InlineData("2025-03-27T10:00+07:00", "1 hari kerja", "2025-04-08T10:00+07:00")]
    [InlineData("2025-03-27T17:00+07:00", "1 hari kerja", "2025-04-08T16:00+07:00")]
    [InlineData("2025-03-27T10:00+07:00", "2 hari kerja", "2025-04-09T10:00+07:00")]
    [InlineData("2025-03-27T10:00+07:00", "20 hari kerja", "2025-05-07T10:00+07:00")]
    public void Working_days_skip_lebaran_2025_and_its_cuti_bersama(string start, string waktu, string due)
    {
        Add(Wib, start, waktu).Should().Be(due);
    }

    [Theory]
    [InlineData("2025-12-24T14:00+07:00", "3 hari kerja", "2025-12-31T14:00+07:00")]
    [InlineData("2025-12-24T14:00+07:00", "5 hari kerja", "2026-01-05T14:00+07:00")]
    [InlineData("2025-12-31T16:30+07:00", "1 hari kerja", "2026-01-02T16:30+07:00")]
    public void Working_days_cross_the_year_end_past_christmas_cuti_bersama_and_new_year(string start, string waktu, string due)
    {
        Add(Wib, start, waktu).Should().Be(due);
    }

    [Fact]
    public void An_office_closure_is_skipped_like_a_holiday()
    {
        var closedOnNewYearsEve = TestCalendars.Wib(
            closures: new Holiday(new DateOnly(2025, 12, 31), "Penutupan kantor akhir tahun", HolidayKind.OfficeClosure));

        Add(closedOnNewYearsEve, "2025-12-24T14:00+07:00", "5 hari kerja").Should().Be("2026-01-06T14:00+07:00");
    }

    [Theory]
    [InlineData(Jakarta, "2025-07-14T10:00+07:00", "2025-07-15T10:00+07:00")]
    [InlineData(Makassar, "2025-07-14T10:00+08:00", "2025-07-15T10:00+08:00")]
    [InlineData(Jayapura, "2025-07-14T10:00+09:00", "2025-07-15T10:00+09:00")]
    public void Each_zone_applies_the_same_local_rule(string zone, string start, string due)
    {
        Add(For(zone), start, "1 hari kerja").Should().Be(due);
    }

    [Fact]
    public void The_same_local_deadline_in_wita_is_one_hour_earlier_than_in_wib()
    {
        var wib = For(Jakarta).Add(At("2025-07-14T10:00+07:00"), new WaktuDuration(1, WaktuUnit.WorkingDay));
        var wita = For(Makassar).Add(At("2025-07-14T10:00+08:00"), new WaktuDuration(1, WaktuUnit.WorkingDay));

        (wib - wita).Should().Be(TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData(Jakarta, "2025-07-15T08:00+07:00")]
    [InlineData(Makassar, "2025-07-15T08:30+08:00")]
    public void One_instant_can_be_inside_office_hours_in_wib_and_after_closing_in_wita(string zone, string due)
    {
        Add(For(zone), "2025-07-14T15:30+07:00", "1 jam").Should().Be(due);
    }

    [Theory]
    [InlineData("2025-07-14T10:00+07:00", "5 hari", "2025-07-21T10:00+07:00")]
    [InlineData("2025-12-24T10:00+07:00", "2 hari", "2025-12-29T10:00+07:00")]
    [InlineData("2025-01-02T09:00+07:00", "120 Hari", "2025-05-02T09:00+07:00")]
    [InlineData("2025-07-14T10:00+07:00", "2 minggu", "2025-07-28T10:00+07:00")]
    [InlineData("2025-07-14T10:00+07:00", "1 minggu 2 hari", "2025-07-23T10:00+07:00")]
    [InlineData("2025-01-31T10:00+07:00", "1 bulan", "2025-02-28T10:00+07:00")]
    [InlineData("2025-07-14T10:00+07:00", "3 bulan", "2025-10-14T10:00+07:00")]
    public void Days_weeks_and_months_are_calendar_time_moved_to_the_next_working_day(string start, string waktu, string due)
    {
        Add(Wib, start, waktu).Should().Be(due);
    }

    [Theory]
    [InlineData("2025-07-14T10:00+07:00", "2025-07-14T12:00+07:00", 2.0)]
    [InlineData("2025-07-14T06:00+07:00", "2025-07-14T20:00+07:00", 8.5)]
    [InlineData("2025-07-17T15:00+07:00", "2025-07-21T08:00+07:00", 10.5)]
    [InlineData("2025-07-19T10:00+07:00", "2025-07-20T10:00+07:00", 0.0)]
    [InlineData("2025-12-24T07:30+07:00", "2025-12-29T07:30+07:00", 8.5)]
    [InlineData("2025-07-14T12:00+07:00", "2025-07-14T10:00+07:00", -2.0)]
    public void Working_time_between_counts_office_hours_only(string from, string to, double hours)
    {
        Wib.WorkingTimeBetween(At(from), At(to)).Should().Be(TimeSpan.FromHours(hours));
    }

    [Theory]
    [InlineData("2025-07-17T15:55+07:00", 15)]
    [InlineData("2025-12-24T15:00+07:00", 120)]
    [InlineData("2025-03-27T10:00+07:00", 6000)]
    public void Working_time_between_undoes_adding_office_time(string start, int minutes)
    {
        var officeTime = TimeSpan.FromMinutes(minutes);

        var due = Wib.AddOfficeTime(At(start), officeTime);

        Wib.WorkingTimeBetween(At(start), due).Should().Be(officeTime);
    }

    [Theory]
    [InlineData("2025-07-14T07:00+07:00", "2025-07-14T07:30+07:00")]
    [InlineData("2025-07-14T07:30+07:00", "2025-07-14T07:30+07:00")]
    [InlineData("2025-07-14T10:00+07:00", "2025-07-15T07:30+07:00")]
    [InlineData("2025-07-19T10:00+07:00", "2025-07-21T07:30+07:00")]
    [InlineData("2025-12-24T10:00+07:00", "2025-12-29T07:30+07:00")]
    public void Next_working_day_start_is_the_first_opening_at_or_after_the_instant(string instant, string expected)
    {
        Local(Wib.NextWorkingDayStart(At(instant))).Should().Be(expected);
    }

    [Theory]
    [InlineData("2025-07-14", true)]
    [InlineData("2025-07-19", false)]
    [InlineData("2025-03-31", false)]
    [InlineData("2025-04-07", false)]
    [InlineData("2025-04-08", true)]
    [InlineData("2025-08-18", false)]
    [InlineData("2025-12-31", true)]
    [InlineData("2026-01-01", false)]
    [InlineData("2026-01-02", true)]
    public void Working_days_are_opening_days_without_holidays(string date, bool working)
    {
        Wib.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)).Should().Be(working);
    }

    [Theory]
    [InlineData("2025-07-14T07:29+07:00", false)]
    [InlineData("2025-07-14T07:30+07:00", true)]
    [InlineData("2025-07-14T15:59+07:00", true)]
    [InlineData("2025-07-14T16:00+07:00", false)]
    [InlineData("2025-07-18T16:15+07:00", true)]
    [InlineData("2025-08-18T10:00+07:00", false)]
    public void Is_open_during_office_hours_on_working_days(string instant, bool open)
    {
        Wib.IsOpen(At(instant)).Should().Be(open);
    }

    [Fact]
    public void A_negative_duration_is_refused()
    {
        var add = () => Wib.Add(At("2025-07-14T10:00+07:00"), new WaktuDuration(-1, WaktuUnit.Hour));

        add.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_fraction_of_a_working_day_is_refused()
    {
        var add = () => Wib.Add(At("2025-07-14T10:00+07:00"), new WaktuDuration(1.5m, WaktuUnit.WorkingDay));

        add.Should().Throw<ArgumentOutOfRangeException>();
    }
}
