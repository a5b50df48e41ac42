using KinerjaWorkflow.Server.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KinerjaWorkflow.Server.Offices;

public static class OfficesServiceCollectionExtensions
{
    /// <summary>
    /// The offices' organizations (seeded from organization.yaml), business calendars, the calendars admins keep,
    /// and their coverage in /health/ready.
    /// </summary>
    public static IServiceCollection AddKinerjaOffices(this IServiceCollection services)
    {
        services.TryAddScoped<OrganizationSeeder>();
        services.AddSingleton<OfficeDirectory>();
        services.AddScoped<OfficeLookup>();
        services.AddScoped<PeopleNames>();
        services.AddSingleton<KnownPeople>();
        services.AddSingleton<HolidayCalendar>();
        services.AddScoped<CalendarSeeder>();
        services.AddScoped<CalendarAdministration>();
        services.AddHealthChecks().AddCheck<CalendarCoverageHealthCheck>("holiday-calendar", tags: ["ready"]);
        return services;
    }

    /// <summary>Seeds offices, roles and users from every workflows/*/organization.yaml; call at start-up after the schema.</summary>
    public static async Task SeedOrganizationsAsync(this IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var workflowsPath = WorkflowsFolder.Resolve(provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IHostEnvironment>());
        if (workflowsPath is null)
        {
            provider.GetRequiredService<ILogger<OrganizationSeeder>>().LogWarning("No workflows folder was found from the content root upwards; no offices or users were seeded");
            return;
        }

        await provider.GetRequiredService<OrganizationSeeder>().SeedAsync(OrganizationLoader.LoadAll(workflowsPath), ct);
    }

    /// <summary>
    /// Seeds the years of workflows/calendars/*.csv the database does not have, then loads the calendars; call at
    /// start-up after the offices are seeded.
    /// </summary>
    public static async Task SeedCalendarsAsync(this IServiceProvider services, CancellationToken ct)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var provider = scope.ServiceProvider;
            var workflowsPath = WorkflowsFolder.Resolve(provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IHostEnvironment>());
            await provider.GetRequiredService<CalendarSeeder>().SeedAsync(workflowsPath, ct);
        }

        await services.GetRequiredService<HolidayCalendar>().ReloadAsync(ct);
        services.GetRequiredService<OfficeDirectory>().Invalidate();
    }
}
