namespace KinerjaWorkflow.Server.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The office dashboard's figures for heads and supervisors.</summary>
    public static IServiceCollection AddKinerjaDashboard(this IServiceCollection services)
    {
        services.AddScoped<DashboardService>();
        return services;
    }
}
