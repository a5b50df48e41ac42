using System.Globalization;
using System.Text.RegularExpressions;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>When an office is open on a given day of the week.</summary>
public sealed record OfficeDay(TimeOnly Opens, TimeOnly Closes);

/// <summary>An office's weekly hours: a day without an <see cref="OfficeDay"/> is closed.</summary>
public sealed partial class OfficeHours
{
    private static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private readonly IReadOnlyDictionary<DayOfWeek, OfficeDay> _days;

    private OfficeHours(IReadOnlyDictionary<DayOfWeek, OfficeDay> days) => _days = days;

    /// <summary>The default of Indonesian government offices: Mon–Thu 07:30–16:00, Fri 07:30–16:30.</summary>
    public static OfficeHours Default { get; } = new(DefaultDays());

    /// <summary>The opening hours of <paramref name="day"/>, or null when the office is closed that day.</summary>
    public OfficeDay? On(DayOfWeek day) => _days.GetValueOrDefault(day);

    /// <summary>
    /// The default hours overridden by the days the file names; null closes a day. Problems are added to
    /// <paramref name="problems"/> and the default is kept for a day that cannot be read.
    /// </summary>
    internal static OfficeHours Parse(IReadOnlyDictionary<string, string?>? overrides, List<string> problems)
    {
        var days = DefaultDays();
        foreach (var (key, text) in overrides ?? new Dictionary<string, string?>())
        {
            var index = Array.IndexOf(DayNames, key.Trim().ToLowerInvariant());
            if (index < 0)
            {
                problems.Add($"officeHours has an unknown day '{key}'; use monday, tuesday, wednesday, thursday, friday, saturday or sunday.");
                continue;
            }

            var day = (DayOfWeek)index;
            if (text is null)
            {
                days.Remove(day);
                continue;
            }

            var match = RangePattern().Match(text);
            if (!match.Success
                || !TimeOnly.TryParseExact(match.Groups["opens"].Value, "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
                || !TimeOnly.TryParseExact(match.Groups["closes"].Value, "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes))
            {
                problems.Add($"officeHours.{DayNames[index]} '{text}' is not a time range like \"07:30-16:00\" (or null for closed).");
                continue;
            }

            if (closes <= opens)
            {
                problems.Add($"officeHours.{DayNames[index]} '{text}' closes before it opens.");
                continue;
            }

            days[day] = new OfficeDay(opens, closes);
        }

        return new OfficeHours(days);
    }

    private static Dictionary<DayOfWeek, OfficeDay> DefaultDays()
    {
        var weekday = new OfficeDay(new TimeOnly(7, 30), new TimeOnly(16, 0));
        return new Dictionary<DayOfWeek, OfficeDay>
        {
            [DayOfWeek.Monday] = weekday,
            [DayOfWeek.Tuesday] = weekday,
            [DayOfWeek.Wednesday] = weekday,
            [DayOfWeek.Thursday] = weekday,
            [DayOfWeek.Friday] = new OfficeDay(new TimeOnly(7, 30), new TimeOnly(16, 30)),
        };
    }

    [GeneratedRegex(@"^\s*(?<opens>\d{1,2}:\d{2})\s*[-–]\s*(?<closes>\d{1,2}:\d{2})\s*$")]
    private static partial Regex RangePattern();
}
