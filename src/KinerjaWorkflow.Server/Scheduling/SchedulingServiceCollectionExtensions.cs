namespace KinerjaWorkflow.Server.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    public static IServiceCollection AddKinerjaScheduling(this IServiceCollection services)
    {
        services.AddSingleton<TimerWorker>();
        services.AddSingleton<ITimerScheduler>(sp => sp.GetRequiredService<TimerWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<TimerWorker>());
        return services;
    }
}
