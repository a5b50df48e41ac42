namespace KinerjaWorkflow.Server.Tasks;

public static class TasksServiceCollectionExtensions
{
    /// <summary>The task inbox: lists, a task's detail and the commands on it. Needs instances and task access.</summary>
    public static IServiceCollection AddKinerjaTasks(this IServiceCollection services)
    {
        services.AddScoped<TaskService>();
        services.AddScoped<SentBackWork>();
        return services;
    }
}
