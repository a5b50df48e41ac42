using KinerjaWorkflow.Server.Identity;

namespace KinerjaWorkflow.Server.Offices;

public static class OfficesServiceCollectionExtensions
{
    /// <summary>Offices' business calendars, the calendars admins keep, and their coverage in /health/ready.</summary>
    public static IServiceCollection AddKinerjaOffices(this IServiceCollection services)
    {
        services.AddSingleton<OfficeDirectory>();
        services.AddSingleton<HolidayCalendar>();
        services.AddScoped<CalendarSeeder>();
        services.AddScoped<CalendarAdministration>();
        services.AddHealthChecks().AddCheck<CalendarCoverageHealthCheck>("holiday-calendar", tags: ["ready"]);
        return services;
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
