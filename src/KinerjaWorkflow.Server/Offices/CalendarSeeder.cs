using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// Seeds the national calendar from workflows/calendars/*.csv, one year at a time, for the years the database does
/// not have yet: a year already there (seeded before, or changed by an admin) is never overwritten by the file.
/// </summary>
public sealed class CalendarSeeder(KinerjaDbContext db, TimeProvider clock, ILogger<CalendarSeeder> logger)
{
    public async Task SeedAsync(string? workflowsPath, CancellationToken ct)
    {
        var folder = workflowsPath is null ? null : Path.Combine(workflowsPath, "calendars");
        if (folder is null || !Directory.Exists(folder))
        {
            logger.LogWarning("No holiday calendars at {Folder}: only the years already in the database are known", folder);
            return;
        }

        var known = (await db.Set<CalendarYearRecord>().Select(y => y.Year).ToListAsync(ct)).ToHashSet();
        foreach (var file in Directory.EnumerateFiles(folder, "*.csv").Order(StringComparer.Ordinal))
        {
            var source = $"workflows/calendars/{Path.GetFileName(file)}";
            HolidayReadResult result;
            using (var reader = new StreamReader(file))
            {
                result = HolidayCalendarReader.Read(reader);
            }

            if (!result.Succeeded)
            {
                foreach (var error in result.Errors)
                {
                    logger.LogError("Holiday calendar {File} not seeded: {Error}", source, error);
                }

                continue;
            }

            foreach (var year in result.Holidays.GroupBy(h => h.Date.Year).Where(g => !known.Contains(g.Key)))
            {
                db.Add(new CalendarYearRecord { Year = year.Key, Source = source, UpdatedAt = clock.GetUtcNow() });
                db.AddRange(year.Select(h => new CalendarDayRecord { Date = h.Date, Name = h.Name, Kind = CalendarKinds.Of(h.Kind) }));
                known.Add(year.Key);
                logger.LogInformation("Seeded {Count} holidays and cuti bersama of {Year} from {File}", year.Count(), year.Key, source);
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
