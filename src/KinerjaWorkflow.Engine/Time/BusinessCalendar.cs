namespace KinerjaWorkflow.Engine.Time;

/// <summary>
/// An office's business time: its time zone, its opening hours and the days it is closed (national holidays,
/// cuti bersama, its own closures). Every result is in the office's local offset.
/// </summary>
/// <remarks>
/// Indonesian zones (WIB, WITA, WIT) have no daylight saving time. For a zone that has it, a local time that
/// falls in a spring-forward gap is read with the offset in force before the gap, and office hours are taken
/// as wall-clock hours.
/// </remarks>
public sealed class BusinessCalendar
{
    private readonly HashSet<DateOnly> _closedDays;
    private readonly HashSet<int> _coveredYears;

    /// <param name="closedDays">National holidays, cuti bersama and the office's own closures.</param>
    /// <param name="coveredYears">
    /// The years whose holidays and cuti bersama are known. Outside them only weekends close the office, and a
    /// deadline that counts across such a year is provisional (<see cref="BusinessDeadline.Provisional"/>).
    /// </param>
    public BusinessCalendar(TimeZoneInfo zone, OfficeHours hours, IEnumerable<DateOnly> closedDays, IEnumerable<int> coveredYears)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(hours);
        Zone = zone;
        Hours = hours;
        _closedDays = [.. closedDays];
        _coveredYears = [.. coveredYears];
    }

    /// <summary>A calendar closed on <paramref name="closedDays"/> that knows the years they fall in, and no others.</summary>
    public BusinessCalendar(TimeZoneInfo zone, OfficeHours hours, IReadOnlyCollection<DateOnly> closedDays)
        : this(zone, hours, closedDays, closedDays.Select(d => d.Year).Distinct())
    {
    }

    /// <summary>A calendar that knows the years of its national holidays and cuti bersama, and no others.</summary>
    public BusinessCalendar(TimeZoneInfo zone, OfficeHours hours, IEnumerable<Holiday> closedDays)
        : this(zone, hours, Materialize(closedDays, out var holidays).Select(h => h.Date), CoveredBy(holidays))
    {
    }

    public TimeZoneInfo Zone { get; }
    public OfficeHours Hours { get; }

    /// <summary>The years whose national holidays and cuti bersama the calendar knows.</summary>
    public IReadOnlySet<int> CoveredYears => _coveredYears;

    /// <summary>An opening day of the week that is not a holiday, cuti bersama or closure.</summary>
    public bool IsWorkingDay(DateOnly date) => Hours.For(date.DayOfWeek) is not null && !_closedDays.Contains(date);

    /// <summary>Whether the office is working at <paramref name="instant"/>: open, not on a break (start included, end not).</summary>
    public bool IsOpen(DateTimeOffset instant)
    {
        var (date, time) = LocalParts(instant);
        return Periods(date).Any(p => time >= p.Start && time < p.End);
    }

    /// <summary>The first working day on or after <paramref name="date"/>.</summary>
    public DateOnly FirstWorkingDayOnOrAfter(DateOnly date)
    {
        while (!IsWorkingDay(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>The first opening of the office at or after <paramref name="instant"/>.</summary>
    public DateTimeOffset NextWorkingDayStart(DateTimeOffset instant)
    {
        var (date, time) = LocalParts(instant);
        if (!IsWorkingDay(date) || time > Hours.For(date.DayOfWeek)!.Value.Open)
        {
            date = FirstWorkingDayOnOrAfter(date.AddDays(1));
        }

        return AtLocal(date, Hours.For(date.DayOfWeek)!.Value.Open);
    }

    /// <summary>
    /// When counting starts for something given at <paramref name="instant"/> (rule 1): that instant while the office
    /// works, otherwise the next moment it does (the next opening, or the end of the break).
    /// </summary>
    public DateTimeOffset CountingStart(DateTimeOffset instant)
    {
        var (date, time) = LocalParts(instant);
        var (startDate, startTime) = NextWorkingMoment(date, time);
        return startDate == date && startTime == time ? ToLocal(instant) : AtLocal(startDate, startTime);
    }

    /// <summary>The same instant in the office's local offset.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant of a local date and time in the office's zone.</summary>
    public DateTimeOffset AtLocal(DateOnly date, TimeOnly time) => AtLocal(Zone, date.ToDateTime(time));

    /// <summary>
    /// When something allowed <paramref name="duration"/> and given at <paramref name="start"/> is due, by the rules
    /// of docs/business-time.md: counting starts at the next working moment; menit and jam are office working time;
    /// N hari kerja is the same clock time on the Nth working day after the start day; hari, minggu and bulan are
    /// calendar time moved to the next working day; a deadline never rests on an opening, a break or after the
    /// close, but on the working moment before it.
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, WaktuDuration duration) => Deadline(start, duration).At;

    /// <summary>Like <see cref="Add"/>, saying also whether the count crossed a year the calendar does not cover.</summary>
    public BusinessDeadline Deadline(DateTimeOffset start, WaktuDuration duration)
    {
        if (duration.Amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A Waktu cannot be negative.");
        }

        var at = duration.Amount == 0
            ? ToLocal(start)
            : duration.Unit switch
            {
                WaktuUnit.Minute => AddOfficeTime(start, Ticks(duration.Amount, TimeSpan.TicksPerMinute)),
                WaktuUnit.Hour => AddOfficeTime(start, Ticks(duration.Amount, TimeSpan.TicksPerHour)),
                WaktuUnit.WorkingDay => AddWorkingDays(start, WholeNumber(duration)),
                WaktuUnit.Day => AddCalendarTime(start, local => local.AddDays(WholeNumber(duration))),
                WaktuUnit.Week => AddCalendarTime(start, local => local.AddDays(7 * WholeNumber(duration))),
                WaktuUnit.Month => AddCalendarTime(start, local => local.AddMonths(WholeNumber(duration))),
                _ => throw new ArgumentOutOfRangeException(nameof(duration), duration.Unit, null),
            };
        return new BusinessDeadline(at, IsProvisional(start, at));
    }

    /// <summary>
    /// <paramref name="officeTime"/> of office working time after <paramref name="start"/>, skipping nights, closed
    /// days and breaks. A result that lands exactly on a break or the close stays there.
    /// </summary>
    /// <example>With the civil-service hours, 15 menit from Thursday 15:55 is Friday 07:40; from Friday 16:25, Monday 07:40.</example>
    public DateTimeOffset AddOfficeTime(DateTimeOffset start, TimeSpan officeTime)
    {
        if (officeTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(officeTime), officeTime, "Office time cannot be negative.");
        }

        if (officeTime == TimeSpan.Zero)
        {
            return ToLocal(start);
        }

        var (date, time) = LocalParts(start);
        var remaining = officeTime;
        while (true)
        {
            foreach (var period in Periods(date))
            {
                var from = time > period.Start ? time : period.Start;
                if (from >= period.End)
                {
                    continue;
                }

                var available = period.End - from;
                if (remaining <= available)
                {
                    return AtLocal(date, from.Add(remaining));
                }

                remaining -= available;
            }

            date = date.AddDays(1);
            time = TimeOnly.MinValue;
        }
    }

    /// <summary>
    /// The same clock time as the counting start, on the <paramref name="workingDays"/>th working day after the
    /// start day; that day's close when it closes earlier (rule 3). Thursday 15:59 + 1 hari kerja is Friday 15:59;
    /// Friday 16:15 + 1 hari kerja is Monday 16:00.
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workingDays);
        var (date, time) = LocalParts(start);
        (date, time) = NextWorkingMoment(date, time);
        for (var day = 0; day < workingDays; day++)
        {
            date = FirstWorkingDayOnOrAfter(date.AddDays(1));
        }

        return AtWorkingMomentOnOrBefore(date, time);
    }

    /// <summary>
    /// The office working time between two instants, breaks excluded. Negative when <paramref name="to"/> is before
    /// <paramref name="from"/> (an overdue task shows how far past it is).
    /// </summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            return -WorkingTimeBetween(to, from);
        }

        var (fromDate, fromTime) = LocalParts(from);
        var (toDate, toTime) = LocalParts(to);
        var total = TimeSpan.Zero;
        for (var date = fromDate; date <= toDate; date = date.AddDays(1))
        {
            foreach (var period in Periods(date))
            {
                var start = date == fromDate && fromTime > period.Start ? fromTime : period.Start;
                var end = date == toDate && toTime < period.End ? toTime : period.End;
                if (end > start)
                {
                    total += end - start;
                }
            }
        }

        return total;
    }

    /// <summary>
    /// The time left from <paramref name="from"/> to <paramref name="to"/> as people count it (rule 7): whole working
    /// days by the hari kerja rule, then the office time over; negative parts when <paramref name="to"/> has passed.
    /// </summary>
    public WorkingTimeLeft TimeLeft(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            var late = TimeLeft(to, from);
            return new WorkingTimeLeft(-late.WorkingDays, -late.OfficeTime);
        }

        var days = 0;
        var reached = CountingStart(from);
        while (AddWorkingDays(from, days + 1) is var next && next <= to)
        {
            days++;
            reached = next;
        }

        return new WorkingTimeLeft(days, WorkingTimeBetween(reached, to));
    }

    /// <summary>Whether a count from <paramref name="from"/> to <paramref name="to"/> touches a year the calendar does not cover.</summary>
    public bool IsProvisional(DateTimeOffset from, DateTimeOffset to)
    {
        var first = ToLocal(from < to ? from : to).Year;
        var last = ToLocal(from < to ? to : from).Year;
        for (var year = first; year <= last; year++)
        {
            if (!_coveredYears.Contains(year))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The years from <paramref name="from"/> to <paramref name="to"/> (local dates) whose holidays are not known.</summary>
    public IReadOnlyList<int> MissingYears(DateOnly from, DateOnly to) =>
        [.. Enumerable.Range(from.Year, Math.Max(0, to.Year - from.Year + 1)).Where(y => !_coveredYears.Contains(y))];

    /// <summary>The office's working periods on <paramref name="date"/>; none on a closed day.</summary>
    public IReadOnlyList<WorkingPeriod> Periods(DateOnly date) =>
        IsWorkingDay(date) && Hours.For(date.DayOfWeek) is { } day ? day.Periods : [];

    private DateTimeOffset AddCalendarTime(DateTimeOffset start, Func<DateTime, DateTime> add)
    {
        var (date, time) = LocalParts(start);
        (date, time) = NextWorkingMoment(date, time);
        var target = add(date.ToDateTime(time));
        return AtWorkingMomentOnOrBefore(FirstWorkingDayOnOrAfter(DateOnly.FromDateTime(target)), TimeOnly.FromDateTime(target));
    }

    /// <summary>The first working moment at or after a local date and time.</summary>
    private (DateOnly Date, TimeOnly Time) NextWorkingMoment(DateOnly date, TimeOnly time)
    {
        while (true)
        {
            foreach (var period in Periods(date))
            {
                if (time < period.End)
                {
                    return (date, time > period.Start ? time : period.Start);
                }
            }

            date = date.AddDays(1);
            time = TimeOnly.MinValue;
        }
    }

    /// <summary>
    /// A deadline as shown and fired (rule 6): the local time itself while the office works up to it; on an opening,
    /// in a break or after the close, the end of the working period before it, since no working time separates them.
    /// </summary>
    private DateTimeOffset AtWorkingMomentOnOrBefore(DateOnly date, TimeOnly time)
    {
        TimeOnly? before = null;
        foreach (var period in Periods(date))
        {
            if (time > period.Start && time <= period.End)
            {
                return AtLocal(date, time);
            }

            if (period.End <= time)
            {
                before = period.End;
            }
        }

        if (before is { } end)
        {
            return AtLocal(date, end);
        }

        do
        {
            date = date.AddDays(-1);
        }
        while (!IsWorkingDay(date));

        return AtLocal(date, Periods(date)[^1].End);
    }

    internal static DateTimeOffset AtLocal(TimeZoneInfo zone, DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return TimeZoneInfo.ConvertTime(new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)), zone);
    }

    private (DateOnly Date, TimeOnly Time) LocalParts(DateTimeOffset instant)
    {
        var local = ToLocal(instant).DateTime;
        return (DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    private static IEnumerable<Holiday> Materialize(IEnumerable<Holiday> closedDays, out IReadOnlyList<Holiday> holidays)
    {
        holidays = [.. closedDays];
        return holidays;
    }

    /// <summary>A year counts as covered when at least one national holiday of it is listed.</summary>
    private static IEnumerable<int> CoveredBy(IReadOnlyList<Holiday> holidays) =>
        holidays.Where(h => h.Kind == HolidayKind.NationalHoliday).Select(h => h.Date.Year).Distinct();

    private static TimeSpan Ticks(decimal amount, long ticksPerUnit) =>
        TimeSpan.FromTicks((long)decimal.Round(amount * ticksPerUnit));

    private static int WholeNumber(WaktuDuration duration) =>
        decimal.Truncate(duration.Amount) == duration.Amount && duration.Amount <= int.MaxValue
            ? (int)duration.Amount
            : throw new ArgumentOutOfRangeException(nameof(duration), duration, $"A Waktu in {duration.Unit} must be a whole number.");
}

/// <summary>A computed deadline; provisional when its count touched a year whose holidays are not known.</summary>
public readonly record struct BusinessDeadline(DateTimeOffset At, bool Provisional);

/// <summary>Working time left, as people say it: "2 hari kerja 3 jam"; both parts negative when late.</summary>
public readonly record struct WorkingTimeLeft(int WorkingDays, TimeSpan OfficeTime)
{
    public bool IsLate => WorkingDays < 0 || OfficeTime < TimeSpan.Zero;

    /// <summary>"2 hari kerja 3 jam 15 menit", "45 menit", "0 menit"; late time reads the same with "terlambat " before it.</summary>
    public override string ToString()
    {
        var days = Math.Abs(WorkingDays);
        var minutes = (long)Math.Round(Math.Abs(OfficeTime.TotalMinutes), MidpointRounding.AwayFromZero);
        var parts = new List<string>(3);
        if (days > 0)
        {
            parts.Add($"{days} hari kerja");
        }

        if (minutes / 60 > 0)
        {
            parts.Add($"{minutes / 60} jam");
        }

        if (minutes % 60 > 0 || parts.Count == 0)
        {
            parts.Add($"{minutes % 60} menit");
        }

        var text = string.Join(' ', parts);
        return IsLate ? "terlambat " + text : text;
    }
}
