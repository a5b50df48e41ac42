using KinerjaWorkflow.Server.Identity;

namespace KinerjaWorkflow.Server.Offices;

public static class OfficesServiceCollectionExtensions
{
    /// <summary>Offices' business calendars, the holiday calendar they share, and its coverage in /health/ready.</summary>
    public static IServiceCollection AddKinerjaOffices(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<OfficeDirectory>();
        services.AddSingleton(sp => new HolidayCalendar(
            WorkflowsFolder.Resolve(configuration, environment) ?? Path.Combine(environment.ContentRootPath, "workflows"),
            sp.GetRequiredService<ILogger<HolidayCalendar>>()));
        services.AddHealthChecks().AddCheck<CalendarCoverageHealthCheck>("holiday-calendar", tags: ["ready"]);
        return services;
    }
}
