using System.Collections.Concurrent;
using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// What the engine needs to know about an office: its business calendar (time zone, office hours,
/// national holidays and its own closures), its supervisor chain and its default variables. Built
/// from the stored organization file and the holiday calendars, once per office and calendar stamp.
/// </summary>
public sealed class OfficeDirectory(
    IServiceScopeFactory scopes,
    HolidayCalendar holidays,
    ILogger<OfficeDirectory> logger)
{
    private readonly ConcurrentDictionary<string, (HolidayDays Days, OfficeProfile Profile)> _profiles = new(StringComparer.Ordinal);

    public async ValueTask<OfficeProfile> GetAsync(string officeId, CancellationToken ct) =>
        await GetAsync(officeId, await holidays.EnsureCurrentAsync(ct), ct);

    /// <summary>The office's profile with calendars already checked against the stored stamp (<see cref="OfficeLookup"/>).</summary>
    internal async ValueTask<OfficeProfile> GetAsync(string officeId, HolidayDays days, CancellationToken ct)
    {
        if (_profiles.TryGetValue(officeId, out var cached) && ReferenceEquals(cached.Days, days))
        {
            return cached.Profile;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var office = await db.Offices.AsNoTracking().FirstOrDefaultAsync(o => o.Id == officeId, ct)
            ?? throw new NotFoundError($"Kantor '{officeId}' tidak ditemukan.");
        var profile = Build(office, days);
        logger.LogInformation("Loaded office {OfficeId} ({TimeZone})", officeId, office.TimeZone);
        _profiles[officeId] = (days, profile);
        return profile;
    }

    /// <summary>Forgets cached profiles (after the organization files were seeded again, or a calendar changed).</summary>
    public void Invalidate() => _profiles.Clear();

    /// <summary>The office's profile with the given calendars, e.g. those a calendar change is about to commit.</summary>
    public static OfficeProfile Build(OfficeRecord office, HolidayDays days)
    {
        var organization = OrganizationLoader.Parse(office.Id, office.OrganizationYaml);
        var closed = days.NationalDays.Concat(days.ClosuresOf(office.Id)).Concat(organization.Closures.Select(c => c.Date));
        var calendar = new BusinessCalendar(organization.TimeZone, organization.OfficeHours, closed, days.CoveredYears);
        return new OfficeProfile(office.Id, office.Name, calendar, organization.Variables, organization);
    }
}

public sealed class OfficeProfile(
    string id,
    string name,
    BusinessCalendar calendar,
    IReadOnlyDictionary<string, JsonElement> defaultVariables,
    Organization organization)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public BusinessCalendar Calendar { get; } = calendar;
    public IReadOnlyDictionary<string, JsonElement> DefaultVariables { get; } = defaultVariables;
    public Organization Organization { get; } = organization;

    public IDeadlineCalculator DeadlinesFor(ProcessModel model) =>
        new BusinessDeadlineCalculator(Calendar, model.WaktuSatuan);

    /// <summary>A supervisor holds a role that supervises another role (or heads the office).</summary>
    public bool IsSupervisor(CurrentUser user) =>
        Organization.Roles.Any(r => r.Supervisor is not null && user.HasRole(r.Supervisor))
        || user.HasRole(Organization.HeadRole);
}
