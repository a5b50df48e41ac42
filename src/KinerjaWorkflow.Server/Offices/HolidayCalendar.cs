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
        logger.LogInformation("Loaded {Count} holidays and cuti bersama from {Folder}", holidays.Count, folder);
    }

    public IReadOnlyList<Holiday> Holidays { get; }
    public IReadOnlyList<DateOnly> Days { get; }
}
