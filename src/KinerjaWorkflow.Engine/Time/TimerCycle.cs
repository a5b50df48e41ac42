namespace KinerjaWorkflow.Engine.Time;

/// <summary>
/// The cycle of a timer start event:
/// <list type="bullet">
/// <item><c>triwulan</c>: the first working day on or after each quarter begins (1 January, 1 April, 1 July,
/// 1 October), at 08:00 in the office's time zone: the quarter has ended and its report can be started.</item>
/// <item><c>R/&lt;start&gt;/&lt;period&gt;</c>: from start, every period, without end
/// (<c>R/2025-01-01T08:00:00+07:00/P3M</c>); <c>R&lt;n&gt;/&lt;start&gt;/&lt;period&gt;</c> fires n times in all,
/// the first at start. A start without an offset is a local time of the office.</item>
/// <item><c>R/&lt;period&gt;</c>: every period, counted from the previous firing.</item>
/// </list>
/// Periods are ISO 8601 durations; months and days follow the office's calendar (P3M from 1 January 08:00 is
/// 1 April 08:00).
/// </summary>
public sealed class TimerCycle
{
    private static readonly TimeOnly QuarterlyTime = new(8, 0);

    private readonly bool _quarterly;
    private readonly IsoInstant? _start;
    private readonly IsoPeriod _period;

    private TimerCycle(string expression, bool quarterly, IsoInstant? start, IsoPeriod period, int? repetitions)
    {
        Expression = expression;
        _quarterly = quarterly;
        _start = start;
        _period = period;
        Repetitions = repetitions;
    }

    public string Expression { get; }

    /// <summary>How many times the cycle fires in all; null for no end.</summary>
    public int? Repetitions { get; }

    /// <summary>
    /// The least time between two firings, for refusing cycles that would start instances too often: a month
    /// counts as 28 days, and a quarter's first working days are at least 80 days apart.
    /// </summary>
    public TimeSpan ShortestInterval
    {
        get
        {
            // Capped far below TimeSpan's range (a million days): no minimum is anywhere near it.
            var days = _quarterly ? 80 : (_period.Months * 28.0) + _period.Days + _period.Time.TotalDays;
            return TimeSpan.FromDays(Math.Min(days, 1_000_000));
        }
    }

    public static bool TryParse(string? expression, out TimerCycle? cycle, out string? error)
    {
        cycle = null;
        var text = expression?.Trim() ?? "";
        if (text.Equals("triwulan", StringComparison.OrdinalIgnoreCase))
        {
            cycle = new TimerCycle(text, quarterly: true, null, default, null);
            error = null;
            return true;
        }

        var parts = text.Split('/');
        int? repetitions = null;
        IsoInstant? start = null;
        string periodText;
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[0][0] != 'R')
        {
            return Fail(text, "tulis \"triwulan\", \"R/<mulai>/<periode>\" (misalnya R/2025-01-01T08:00:00+07:00/P3M), "
                + "\"R<jumlah>/<mulai>/<periode>\" atau \"R/<periode>\"", out error);
        }

        if (parts[0].Length > 1)
        {
            if (!int.TryParse(parts[0].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                return Fail(text, $"jumlah pengulangan \"{parts[0][1..]}\" harus bilangan bulat lebih dari nol", out error);
            }

            repetitions = n;
        }

        if (parts.Length == 3)
        {
            periodText = parts[2];
            if (!IsoInstant.TryParse(parts[1], out var instant))
            {
                return Fail(text, $"waktu mulai \"{parts[1]}\" bukan tanggal ISO 8601, misalnya 2025-01-01T08:00:00+07:00", out error);
            }

            start = instant;
        }
        else
        {
            periodText = parts[1];
            if (repetitions is not null)
            {
                return Fail(text, "jumlah pengulangan memerlukan waktu mulai: R<jumlah>/<mulai>/<periode>", out error);
            }
        }

        if (!IsoPeriod.TryParse(periodText, out var period) || !period.IsPositive)
        {
            return Fail(text, $"periode \"{periodText}\" bukan durasi ISO 8601 lebih dari nol, misalnya P3M atau P1D", out error);
        }

        cycle = new TimerCycle(text, quarterly: false, start, period, repetitions);
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryParse"/>, throwing a <see cref="FormatException"/> with the same message.</summary>
    public static TimerCycle Parse(string expression) =>
        TryParse(expression, out var cycle, out var error) ? cycle! : throw new FormatException(error);

    /// <summary>The first firing strictly after <paramref name="after"/>, or null when the cycle has ended.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (_quarterly)
        {
            return NextQuarter(after, calendar);
        }

        if (_start is not { } start)
        {
            return _period.AddTo(after, calendar.Zone);
        }

        var first = start.In(calendar.Zone);
        var k = 0;
        if (after >= first)
        {
            // Jump close to the answer, then settle on the first repetition after `after` by whole periods.
            k = (int)Math.Min(int.MaxValue - 1, (after - first).Ticks / _period.ApproximateLength.Ticks);
            while (k > 0 && _period.AddTo(first, calendar.Zone, k) > after)
            {
                k--;
            }

            while (_period.AddTo(first, calendar.Zone, k) <= after)
            {
                k++;
            }
        }

        return Repetitions is { } n && k >= n ? null : _period.AddTo(first, calendar.Zone, k);
    }

    private static DateTimeOffset NextQuarter(DateTimeOffset after, BusinessCalendar calendar)
    {
        var local = DateOnly.FromDateTime(calendar.ToLocal(after).DateTime);
        var quarterStart = new DateOnly(local.Year, ((local.Month - 1) / 3 * 3) + 1, 1);
        var firing = Firing(quarterStart);

        // This quarter's firing lies within its first days, so when it has passed the next quarter's is the answer.
        return firing > after ? firing : Firing(quarterStart.AddMonths(3));

        DateTimeOffset Firing(DateOnly quarter) => calendar.AtLocal(calendar.FirstWorkingDayOnOrAfter(quarter), QuarterlyTime);
    }

    private static bool Fail(string text, string reason, out string? error)
    {
        error = $"Siklus timer \"{text}\" tidak dapat dibaca: {reason}.";
        return false;
    }
}
