using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// Seeds the national calendar from workflows/calendars/*.csv, one year at a time, for the years the database does
/// not have yet: a year already there (seeded before, or changed by an admin) is never overwritten by the file.
/// Two nodes starting together may both find a year missing: each year is its own transaction, and calendar_years'
/// primary key (the year) lets only one of them insert it; the other's insert fails, is rolled back with the year's
/// days, and the year counts as seeded.
/// </summary>
public sealed class CalendarSeeder(KinerjaDbContext db, TimeProvider clock, ILogger<CalendarSeeder> logger)
{
    public async Task SeedAsync(string? workflowsPath, CancellationToken ct)
    {
        await EnsureStampAsync(ct);
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
                known.Add(year.Key);
                db.Add(new CalendarYearRecord { Year = year.Key, Source = source, UpdatedAt = clock.GetUtcNow() });
                db.AddRange(year.Select(h => new CalendarDayRecord { Date = h.Date, Name = h.Name, Kind = CalendarKinds.Of(h.Kind) }));
                await HolidayCalendar.RestampAsync(db, ct);
                if (await TrySaveAsync(() => db.Set<CalendarYearRecord>().AnyAsync(y => y.Year == year.Key, ct), ct))
                {
                    logger.LogInformation("Seeded {Count} holidays and cuti bersama of {Year} from {File}", year.Count(), year.Key, source);
                }
                else
                {
                    logger.LogInformation("The calendar of {Year} was seeded by another node at the same time", year.Key);
                }
            }
        }
    }

    /// <summary>Writes the first calendar stamp, so admins' changes only ever update it.</summary>
    private async Task EnsureStampAsync(CancellationToken ct)
    {
        if (await db.Set<ServiceSettingRecord>().AnyAsync(s => s.Name == HolidayCalendar.StampSetting, ct))
        {
            return;
        }

        await HolidayCalendar.RestampAsync(db, ct);
        await TrySaveAsync(() => db.Set<ServiceSettingRecord>().AnyAsync(s => s.Name == HolidayCalendar.StampSetting, ct), ct);
    }

    /// <summary>
    /// Saves; when the save fails because another node saved the same row first (<paramref name="savedElsewhere"/>
    /// then holds), drops this node's copy and answers false. Any other failure is thrown.
    /// </summary>
    private async Task<bool> TrySaveAsync(Func<Task<bool>> savedElsewhere, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await savedElsewhere())
            {
                return false;
            }

            throw;
        }
    }
}
