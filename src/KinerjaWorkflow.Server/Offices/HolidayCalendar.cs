using System.Collections.Frozen;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// The closed days kept in the database (national holidays, cuti bersama, offices' own closures), held in memory
/// because every deadline reads them; <see cref="ReloadAsync"/> swaps in a fresh copy after seeding or a change.
/// </summary>
public sealed class HolidayCalendar(IServiceScopeFactory scopes, ILogger<HolidayCalendar> logger)
{
    private volatile Snapshot _current = new([], FrozenSet<int>.Empty, FrozenDictionary<string, IReadOnlyList<DateOnly>>.Empty);

    public IReadOnlyList<DateOnly> Days => _current.NationalDays;

    /// <summary>The years whose national holidays are complete; deadlines counted across any other year are provisional.</summary>
    public IReadOnlySet<int> CoveredYears => _current.CoveredYears;

    /// <summary>The office's own closures kept in the database (those in its organization.yaml come on top).</summary>
    public IReadOnlyList<DateOnly> ClosuresOf(string officeId) =>
        _current.OfficeClosures.TryGetValue(officeId, out var days) ? days : [];

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var days = await db.Set<CalendarDayRecord>().AsNoTracking().Select(d => new { d.OfficeId, d.Date }).ToListAsync(ct);
        var years = await db.Set<CalendarYearRecord>().AsNoTracking().Select(y => y.Year).ToListAsync(ct);
        _current = new Snapshot(
            [.. days.Where(d => d.OfficeId is null).Select(d => d.Date).Distinct().Order()],
            years.ToFrozenSet(),
            days.Where(d => d.OfficeId is not null)
                .GroupBy(d => d.OfficeId!, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<DateOnly>)[.. g.Select(d => d.Date).Order()], StringComparer.Ordinal));
        logger.LogInformation("Loaded {Count} closed days; national calendar complete for {Years}", days.Count, string.Join(", ", years.Order()));
    }

    /// <summary>
    /// The years from <paramref name="now"/> to twelve months after it that are not covered; dates are read in WIT
    /// (UTC+9), where a new year starts first among Indonesia's zones.
    /// </summary>
    public IReadOnlyList<int> MissingYears(DateTimeOffset now)
    {
        var first = now.ToOffset(TimeSpan.FromHours(9)).Year;
        var last = now.ToOffset(TimeSpan.FromHours(9)).AddMonths(12).Year;
        var covered = CoveredYears;
        return [.. Enumerable.Range(first, last - first + 1).Where(y => !covered.Contains(y))];
    }

    private sealed record Snapshot(
        IReadOnlyList<DateOnly> NationalDays,
        IReadOnlySet<int> CoveredYears,
        IReadOnlyDictionary<string, IReadOnlyList<DateOnly>> OfficeClosures);
}
