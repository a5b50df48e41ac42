using System.Globalization;

namespace KinerjaWorkflow.Engine.Time;

/// <summary>
/// An ISO 8601 duration (PnYnMnWnDTnHnMnS). Years, months, weeks and days move the office's wall clock (P1M from
/// 31 January is the end of February, at the same local time); hours, minutes and seconds are elapsed time.
/// </summary>
internal readonly record struct IsoPeriod(int Months, int Days, TimeSpan Time)
{
    private const double DaysPerMonth = 365.2425 / 12;

    public bool IsPositive => Months > 0 || Days > 0 || Time > TimeSpan.Zero;

    /// <summary>Close to the real length; used only to jump near the right repetition of a cycle.</summary>
    public TimeSpan ApproximateLength => TimeSpan.FromDays((Months * DaysPerMonth) + Days) + Time;

    public DateTimeOffset AddTo(DateTimeOffset instant, TimeZoneInfo zone, int times = 1)
    {
        var result = instant;
        if (Months != 0 || Days != 0)
        {
            var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime.AddMonths(Months * times).AddDays((double)Days * times);
            result = BusinessCalendar.AtLocal(zone, local);
        }

        return TimeZoneInfo.ConvertTime(result + (Time * times), zone);
    }

    public static bool TryParse(string text, out IsoPeriod period)
    {
        period = default;
        if (text.Length < 2 || text[0] != 'P')
        {
            return false;
        }

        const string dateDesignators = "YMWD";
        const string timeDesignators = "HMS";
        int months = 0, days = 0;
        var time = TimeSpan.Zero;
        var inTime = false;
        var next = 0;
        var components = 0;
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == 'T' && !inTime)
            {
                inTime = true;
                next = 0;
                i++;
                if (i == text.Length)
                {
                    return false;
                }

                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || (inTime && text[i] is '.' or ',')))
            {
                i++;
            }

            if (i == start || i == text.Length
                || !decimal.TryParse(text[start..i].Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var designators = inTime ? timeDesignators : dateDesignators;
            var index = designators.IndexOf(text[i], next);
            if (index < 0)
            {
                return false;
            }

            next = index + 1;
            i++;
            components++;
            try
            {
                checked
                {
                    switch (inTime, designators[index])
                    {
                        case (false, 'Y'):
                            months += 12 * (int)value;
                            break;
                        case (false, 'M'):
                            months += (int)value;
                            break;
                        case (false, 'W'):
                            days += 7 * (int)value;
                            break;
                        case (false, 'D'):
                            days += (int)value;
                            break;
                        case (true, 'H'):
                            time += TimeSpan.FromTicks((long)(value * TimeSpan.TicksPerHour));
                            break;
                        case (true, 'M'):
                            time += TimeSpan.FromTicks((long)(value * TimeSpan.TicksPerMinute));
                            break;
                        default:
                            time += TimeSpan.FromTicks((long)(value * TimeSpan.TicksPerSecond));
                            break;
                    }
                }
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        if (components == 0)
        {
            return false;
        }

        period = new IsoPeriod(months, days, time);
        return true;
    }
}

/// <summary>
/// An ISO 8601 date or date-time. One written with an offset or Z is a fixed instant; one written without is a
/// local time of whichever office reads it.
/// </summary>
internal readonly record struct IsoInstant(DateTimeOffset? Fixed, DateTime Local)
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
    ];

    /// <summary>The instant, in the local offset of <paramref name="zone"/>.</summary>
    public DateTimeOffset In(TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(Fixed ?? BusinessCalendar.AtLocal(zone, Local), zone);

    public static bool TryParse(string text, out IsoInstant instant)
    {
        instant = default;
        if (!DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }

        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            instant = new IsoInstant(null, parsed);
            return true;
        }

        if (!DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var fixedInstant))
        {
            return false;
        }

        instant = new IsoInstant(fixedInstant, default);
        return true;
    }
}
