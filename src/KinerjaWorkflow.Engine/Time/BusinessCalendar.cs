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

    public BusinessCalendar(TimeZoneInfo zone, OfficeHours hours, IEnumerable<DateOnly> closedDays)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(hours);
        Zone = zone;
        Hours = hours;
        _closedDays = [.. closedDays];
    }

    public BusinessCalendar(TimeZoneInfo zone, OfficeHours hours, IEnumerable<Holiday> closedDays)
        : this(zone, hours, closedDays.Select(h => h.Date))
    {
    }

    public TimeZoneInfo Zone { get; }
    public OfficeHours Hours { get; }

    /// <summary>An opening day of the week that is not a holiday, cuti bersama or closure.</summary>
    public bool IsWorkingDay(DateOnly date) => Hours.For(date.DayOfWeek) is not null && !_closedDays.Contains(date);

    /// <summary>Whether the office is open at <paramref name="instant"/> (opening time included, closing time not).</summary>
    public bool IsOpen(DateTimeOffset instant)
    {
        var (date, time) = LocalParts(instant);
        return IsWorkingDay(date) && Hours.For(date.DayOfWeek) is { } day && time >= day.Open && time < day.Close;
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

    /// <summary>The same instant in the office's local offset.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant of a local date and time in the office's zone.</summary>
    public DateTimeOffset AtLocal(DateOnly date, TimeOnly time) => AtLocal(Zone, date.ToDateTime(time));

    /// <summary>
    /// When something allowed <paramref name="duration"/> and started at <paramref name="start"/> is due:
    /// <list type="bullet">
    /// <item>menit and jam count office time only: the clock stops outside office hours, on weekends and holidays.</item>
    /// <item>N hari kerja ends at the close of office on the Nth working day (see <see cref="AddWorkingDays"/>).</item>
    /// <item>N hari is calendar days: the same local time N days later, whatever day that is; minggu is 7 days;
    /// bulan is calendar months (31 January + 1 bulan is 28 or 29 February).</item>
    /// </list>
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, WaktuDuration duration)
    {
        if (duration.Amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A Waktu cannot be negative.");
        }

        if (duration.Amount == 0)
        {
            return ToLocal(start);
        }

        return duration.Unit switch
        {
            WaktuUnit.Minute => AddOfficeTime(start, Ticks(duration.Amount, TimeSpan.TicksPerMinute)),
            WaktuUnit.Hour => AddOfficeTime(start, Ticks(duration.Amount, TimeSpan.TicksPerHour)),
            WaktuUnit.WorkingDay => AddWorkingDays(start, WholeNumber(duration)),
            WaktuUnit.Day => AtLocal(Zone, ToLocal(start).DateTime.AddDays(WholeNumber(duration))),
            WaktuUnit.Week => AtLocal(Zone, ToLocal(start).DateTime.AddDays(7 * WholeNumber(duration))),
            WaktuUnit.Month => AtLocal(Zone, ToLocal(start).DateTime.AddMonths(WholeNumber(duration))),
            _ => throw new ArgumentOutOfRangeException(nameof(duration), duration.Unit, null),
        };
    }

    /// <summary>
    /// <paramref name="officeTime"/> of office time after <paramref name="start"/>. A start outside office hours
    /// counts from the next opening; a result that lands exactly on closing time stays on that day.
    /// </summary>
    /// <example>With the default hours, 15 menit from Thursday 15:55 is Friday 07:40; from Friday 16:25, Monday 07:40.</example>
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
            if (IsWorkingDay(date))
            {
                var day = Hours.For(date.DayOfWeek)!.Value;
                var from = time > day.Open ? time : day.Open;
                if (from < day.Close)
                {
                    var available = day.Close.ToTimeSpan() - from.ToTimeSpan();
                    if (remaining <= available)
                    {
                        return AtLocal(date, from.Add(remaining));
                    }

                    remaining -= available;
                }
            }

            date = date.AddDays(1);
            time = TimeOnly.MinValue;
        }
    }

    /// <summary>
    /// The close of office on the <paramref name="workingDays"/>th working day, counting the start day as the first
    /// when the step starts on a working day before that day's closing time (before opening included); a step
    /// started after closing, or on a closed day, counts from the next working day.
    /// </summary>
    /// <remarks>
    /// An SOP that writes "1 Hari Kerja" means the step is done within the working day it is given, and the lower
    /// bound of "1 – 20 Hari Kerja" reads the same way; counting from the next day would turn "1 Hari Kerja" into up
    /// to two days. A step given late in the day is therefore due the same afternoon; the office sees it at once.
    /// </remarks>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workingDays);
        var (date, time) = LocalParts(start);
        if (!IsWorkingDay(date) || time >= Hours.For(date.DayOfWeek)!.Value.Close)
        {
            date = FirstWorkingDayOnOrAfter(date.AddDays(1));
        }

        for (var day = 1; day < workingDays; day++)
        {
            date = FirstWorkingDayOnOrAfter(date.AddDays(1));
        }

        return AtLocal(date, Hours.For(date.DayOfWeek)!.Value.Close);
    }

    /// <summary>
    /// The office time between two instants, e.g. the working time left until a deadline. Negative when
    /// <paramref name="to"/> is before <paramref name="from"/> (an overdue task shows how far past it is).
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
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var day = Hours.For(date.DayOfWeek)!.Value;
            var start = date == fromDate && fromTime > day.Open ? fromTime : day.Open;
            var end = date == toDate && toTime < day.Close ? toTime : day.Close;
            if (end > start)
            {
                total += end.ToTimeSpan() - start.ToTimeSpan();
            }
        }

        return total;
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

    private static TimeSpan Ticks(decimal amount, long ticksPerUnit) =>
        TimeSpan.FromTicks((long)decimal.Round(amount * ticksPerUnit));

    private static int WholeNumber(WaktuDuration duration) =>
        decimal.Truncate(duration.Amount) == duration.Amount && duration.Amount <= int.MaxValue
            ? (int)duration.Amount
            : throw new ArgumentOutOfRangeException(nameof(duration), duration, $"A Waktu in {duration.Unit} must be a whole number.");
}
