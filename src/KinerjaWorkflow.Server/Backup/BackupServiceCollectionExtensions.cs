using Hangfire;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Backup;

public static class BackupServiceCollectionExtensions
{
    /// <summary>
    /// Backups: the Backup section, the service behind the admin endpoints, the scheduled backup's recurring job, and
    /// the lock a running service holds on its data against a restore (taken at start by PrepareKinerjaAsync).
    /// </summary>
    public static IServiceCollection AddKinerjaBackup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>()
            .Bind(configuration.GetSection(BackupOptions.SectionName))
            .Validate(o => o.Keep >= 1, "Backup:Keep must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton(sp => BackupSources.Of(
            sp.GetRequiredService<DatabaseSettings>(), sp.GetRequiredService<AttachmentStore>().Root, configuration));
        services.AddSingleton<BackupService>();
        services.AddSingleton<RunningServiceLock>();
        services.AddTransient<BackupJobs>();
        services.AddHostedService<BackupSchedule>();
        return services;
    }

    /// <summary>Registers (or removes) the scheduled backup with Hangfire at start-up, in the server's time zone.</summary>
    private sealed class BackupSchedule(IRecurringJobManager jobs, IOptions<BackupOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.Scheduled)
            {
                try
                {
                    jobs.AddOrUpdate<BackupJobs>(
                        BackupService.RecurringJobId,
                        j => j.RunScheduledAsync(CancellationToken.None),
                        options.Value.Schedule,
                        new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
                }
                catch (ArgumentException ex)
                {
                    throw new InvalidOperationException(
                        $"Backup:Schedule '{options.Value.Schedule}' is not a cron expression; write e.g. \"0 2 * * *\" (daily at 02:00) or \"off\".", ex);
                }
            }
            else
            {
                jobs.RemoveIfExists(BackupService.RecurringJobId);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
