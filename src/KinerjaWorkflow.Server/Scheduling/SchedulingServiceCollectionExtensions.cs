using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;
using Quartz;

namespace KinerjaWorkflow.Server.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with its persistent store on the service's own database (SQLite by default, provisioned at start-up;
    /// PostgreSQL, clustered across nodes when <c>Scheduling:Clustered</c> is true), on the service's
    /// <see cref="TimeProvider"/>; the engine's timers, the SLA reminders and escalations and the timer start
    /// events on top of it.
    /// </summary>
    public static IServiceCollection AddKinerjaScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = (configuration["Database:Provider"] ?? "sqlite").Trim().ToUpperInvariant();
        var postgres = provider is "POSTGRES" or "POSTGRESQL";
        var clustered = configuration.GetValue("Scheduling:Clustered", false);
        if (clustered && !postgres)
        {
            throw new InvalidOperationException("Scheduling:Clustered needs Database:Provider postgres; a SQLite file belongs to one node.");
        }

        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                // The connection string is read when the store first connects, like the service's own context does.
                if (postgres)
                {
                    store.UsePostgres(o => o.DataSourceFactory = sp => NpgsqlDataSource.Create(sp.GetRequiredService<DatabaseSettings>().ConnectionString));
                }
                else
                {
                    store.UseSqlite(o => o.DataSourceFactory = sp => SqliteFactory.Instance.CreateDataSource(sp.GetRequiredService<DatabaseSettings>().ConnectionString));
                }

                store.ProvisionSchema();
                store.UseSystemTextJsonSerializer();
                if (clustered)
                {
                    store.UseClustering(_ => { });
                }
            });
            q.AddJob<EngineTimerJob>(j => j.WithIdentity(SchedulerJobs.EngineTimer).StoreDurably());
            q.AddJob<SlaStepJob>(j => j.WithIdentity(SchedulerJobs.SlaStep).StoreDurably());
            q.AddJob<SlaDeliveryJob>(j => j.WithIdentity(SchedulerJobs.SlaDelivery).StoreDurably());
            q.AddJob<TimerStartJob>(j => j.WithIdentity(SchedulerJobs.TimerStart).StoreDurably());
        });
        services.AddQuartzHostedService<KinerjaSchedulerHostedService>(o => o.WaitForJobsToComplete = true);
        services.AddHealthChecks().AddQuartz(o => o.Tags.Add("ready"));

        services.AddSingleton<SchedulerTriggers>();
        services.AddSingleton<QuartzTimerScheduler>();
        services.AddSingleton<ITimerScheduler>(sp => sp.GetRequiredService<QuartzTimerScheduler>());
        services.AddSingleton<EngineTimerFiring>();
        services.AddSingleton<SlaSettingsReader>();
        services.AddScoped<SlaStepFactory>();
        services.AddSingleton<SlaTriggers>();
        services.AddSingleton<SlaNotifier>();
        services.AddScoped<IInstanceEffectsHook, SlaEffectsHook>();
        services.AddSingleton<TimerStarts>();
        services.AddSingleton<IDefinitionDeployedListener>(sp => sp.GetRequiredService<TimerStarts>());
        services.AddSingleton<SchedulingReconciler>();
        services.AddHostedService<PeriodicReconciliation>();
        return services;
    }
}
