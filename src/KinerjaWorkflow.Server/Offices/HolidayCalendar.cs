using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>National holidays and cuti bersama from workflows/calendars/*.csv, read once at start-up.</summary>
public sealed class HolidayCalendar
{
    public HolidayCalendar(string workflowsPath, ILogger<HolidayCalendar> logger)
    {
        var folder = Path.Combine(workflowsPath, "calendars");
        var holidays = new List<Holiday>();
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.csv").Order(StringComparer.Ordinal))
            {
                using var reader = new StreamReader(file);
                var result = HolidayCalendarReader.Read(reader);
                foreach (var error in result.Errors)
                {
                    logger.LogError("Holiday calendar {File}: {Error}", Path.GetFileName(file), error);
                }

                holidays.AddRange(result.Holidays);
            }
        }
        else
        {
            logger.LogWarning("No holiday calendars at {Folder}: only weekends count as closed days", folder);
        }

        Holidays = holidays;
        Days = holidays.Select(h => h.Date).Distinct().ToList();
        CoveredYears = holidays.Where(h => h.Kind == HolidayKind.NationalHoliday).Select(h => h.Date.Year).ToHashSet();
        logger.LogInformation("Loaded {Count} holidays and cuti bersama from {Folder}", holidays.Count, folder);
    }

    public IReadOnlyList<Holiday> Holidays { get; }
    public IReadOnlyList<DateOnly> Days { get; }

    /// <summary>The years whose national holidays are listed; deadlines counted across any other year are provisional.</summary>
    public IReadOnlySet<int> CoveredYears { get; }

    /// <summary>
    /// The years from <paramref name="now"/> to twelve months after it that are not covered; dates are read in WIT
    /// (UTC+9), where a new year starts first among Indonesia's zones.
    /// </summary>
    public IReadOnlyList<int> MissingYears(DateTimeOffset now)
    {
        var first = now.ToOffset(TimeSpan.FromHours(9)).Year;
        var last = now.ToOffset(TimeSpan.FromHours(9)).AddMonths(12).Year;
        return [.. Enumerable.Range(first, last - first + 1).Where(y => !CoveredYears.Contains(y))];
    }
}
