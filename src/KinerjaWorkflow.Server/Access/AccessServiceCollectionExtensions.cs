namespace KinerjaWorkflow.Server.Access;

public static class AccessServiceCollectionExtensions
{
    /// <summary>Who may see and work on a task, for the inbox, supervisors and documents alike.</summary>
    public static IServiceCollection AddKinerjaTaskAccess(this IServiceCollection services)
    {
        services.AddScoped<TaskGate>();
        return services;
    }
}
