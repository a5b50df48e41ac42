namespace KinerjaWorkflow.Server.Supervision;

public static class SupervisionServiceCollectionExtensions
{
    /// <summary>The supervisor's view: overdue tasks, escalations and their acknowledgement, reassigning.</summary>
    public static IServiceCollection AddKinerjaSupervision(this IServiceCollection services)
    {
        services.AddScoped<SupervisionService>();
        return services;
    }
}
