using System.Collections.Frozen;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// The closed days kept in the database (national holidays, cuti bersama, offices' own closures), held in memory
/// because every deadline reads them. Every calendar change writes a fresh stamp to service_settings in its own
/// transaction (<see cref="RestampAsync"/>); <see cref="EnsureCurrentAsync"/> compares the stored stamp with the one
/// in memory and reloads when another node changed the calendars.
/// </summary>
public sealed class HolidayCalendar(IServiceScopeFactory scopes, ILogger<HolidayCalendar> logger)
{
    /// <summary>The service_settings row whose value changes with every calendar change.</summary>
    public const string StampSetting = "calendar-stamp";

    private volatile HolidayDays _current = HolidayDays.Empty;

    public IReadOnlyList<DateOnly> Days => _current.NationalDays;

    /// <summary>The years whose national holidays are complete; deadlines counted across any other year are provisional.</summary>
    public IReadOnlySet<int> CoveredYears => _current.CoveredYears;

    /// <summary>The calendars as loaded, with the stamp they were loaded at.</summary>
    public HolidayDays Current => _current;

    /// <summary>The office's own closures kept in the database (those in its organization.yaml come on top).</summary>
    public IReadOnlyList<DateOnly> ClosuresOf(string officeId) => _current.ClosuresOf(officeId);

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        Install(await LoadAsync(scope.ServiceProvider.GetRequiredService<KinerjaDbContext>(), ct));
    }

    /// <summary>
    /// Reloads when the stored stamp is not the one in memory: a one-row primary-key read, cheap enough to do before
    /// every use. A periodic reload (on the sweep) would not do: Hangfire runs the sweep on one node only, and a
    /// deadline counted with yesterday's calendar is wrong for as long as it stands.
    /// </summary>
    public async Task<HolidayDays> EnsureCurrentAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var stamp = await ReadStampAsync(db, ct);
        var current = _current;
        if (stamp == current.Stamp)
        {
            return current;
        }

        logger.LogInformation("The calendars changed (stamp {Stamp}, had {Had}); reloading", stamp, current.Stamp);
        return Install(await LoadAsync(db, ct));
    }

    /// <summary>Takes the calendars read inside a committed change, so this node does not read them again.</summary>
    public HolidayDays Install(HolidayDays days)
    {
        _current = days;
        logger.LogInformation(
            "Loaded {Count} closed days; national calendar complete for {Years}",
            days.NationalDays.Count + days.OfficeClosures.Values.Sum(c => c.Count),
            string.Join(", ", days.CoveredYears.Order()));
        return days;
    }

    /// <summary>Reads the calendars through <paramref name="db"/>: inside a change's transaction, they include the change.</summary>
    public static async Task<HolidayDays> LoadAsync(KinerjaDbContext db, CancellationToken ct)
    {
        var stamp = await ReadStampAsync(db, ct);
        var days = await db.Set<CalendarDayRecord>().AsNoTracking().Select(d => new { d.OfficeId, d.Date }).ToListAsync(ct);
        var years = await db.Set<CalendarYearRecord>().AsNoTracking().Select(y => y.Year).ToListAsync(ct);
        return new HolidayDays(
            stamp,
            [.. days.Where(d => d.OfficeId is null).Select(d => d.Date).Distinct().Order()],
            years.ToFrozenSet(),
            days.Where(d => d.OfficeId is not null)
                .GroupBy(d => d.OfficeId!, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<DateOnly>)[.. g.Select(d => d.Date).Order()], StringComparer.Ordinal));
    }

    /// <summary>Writes a fresh stamp in <paramref name="db"/>'s unit of work, so it commits with the change it marks.</summary>
    public static Task RestampAsync(KinerjaDbContext db, CancellationToken ct) => ServiceSettingRecord.RestampAsync(db, StampSetting, ct);

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

    private static Task<string?> ReadStampAsync(KinerjaDbContext db, CancellationToken ct) =>
        db.Set<ServiceSettingRecord>().AsNoTracking().Where(s => s.Name == StampSetting).Select(s => s.Value).FirstOrDefaultAsync(ct);
}

/// <summary>The closed days at one calendar stamp.</summary>
/// <param name="Stamp">The service_settings stamp they were read at; null before any calendar change was stamped.</param>
public sealed record HolidayDays(
    string? Stamp,
    IReadOnlyList<DateOnly> NationalDays,
    IReadOnlySet<int> CoveredYears,
    IReadOnlyDictionary<string, IReadOnlyList<DateOnly>> OfficeClosures)
{
    public static readonly HolidayDays Empty = new(
        "(not loaded)",
        [],
        FrozenSet<int>.Empty,
        FrozenDictionary<string, IReadOnlyList<DateOnly>>.Empty);

    public IReadOnlyList<DateOnly> ClosuresOf(string officeId) =>
        OfficeClosures.TryGetValue(officeId, out var days) ? days : [];
}
