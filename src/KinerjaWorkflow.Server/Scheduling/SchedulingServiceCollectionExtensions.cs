using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Outbound;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;

namespace KinerjaWorkflow.Server.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// The schedule (scheduled_items) and Hangfire running it: storage in its own SQLite file beside the service's
    /// database (its own schema on PostgreSQL), a server with a few workers, the sweep every minute, automatic
    /// retries from <c>Scheduling:Attempts</c> and <c>Scheduling:RetryDelays</c>, and the performers of each kind.
    /// </summary>
    public static IServiceCollection AddKinerjaScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Scheduling");
        var pollInterval = section.GetValue("PollInterval", TimeSpan.FromSeconds(1));
        var retries = new ScheduleRetries(
            section.GetValue("Attempts", 10),
            section.GetSection("RetryDelays").Get<int[]>() ?? []);
        services.AddSingleton(retries);
        services.AddSingleton(sp => CreateStorage(sp.GetRequiredService<DatabaseSettings>(), section, pollInterval));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider>(_ => Filters(retries));
        services.AddHangfire((sp, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = section.GetValue("Workers", 4);
            o.SchedulePollingInterval = section.GetValue("SchedulePollInterval", TimeSpan.FromSeconds(15));
            o.ServerName = $"kinerja:{Environment.MachineName}:{Environment.ProcessId}";
        });
        services.AddHealthChecks().AddCheck<HangfireHealthCheck>("hangfire", tags: ["ready"]);

        services.AddSingleton<ScheduleSweep>();
        services.AddSingleton<ICommittedCommandListener>(sp => sp.GetRequiredService<ScheduleSweep>());
        services.AddSingleton<ScheduledItemFailures>();
        services.AddSingleton<ScheduledIncidents>();
        services.AddHostedService(sp => new ScheduleStartup(sp, section.GetValue("SweepCron", Cron.Minutely())));
        services.AddSingleton<SlaSettingsReader>();
        services.AddScoped<SlaSteps>();
        services.AddScoped<IInstanceEffectsHook, ScheduleEffectsHook>();
        services.AddScoped<ICalendarChangeFollower, ProvisionalDeadlines>();
        services.AddSingleton<TimerStarts>();
        services.AddSingleton<IDefinitionDeployedListener>(sp => sp.GetRequiredService<TimerStarts>());
        services.AddScoped<IScheduledItemPerformer, SlaNotifier>();
        services.AddScoped<IScheduledItemPerformer, EngineTimerFiring>();
        services.AddScoped<IScheduledItemPerformer, TimerStartFiring>();
        services.AddScoped<IScheduledItemPerformer, ServiceTasks>();
        services.AddScoped<HttpJobPerformer>();
        services.AddOutboundHttpClient(HttpJobPerformer.ClientName, c =>
            c.Timeout = configuration.GetValue("Jobs:HttpTimeout", TimeSpan.FromSeconds(30)));
        return services;
    }

    private static JobStorage CreateStorage(DatabaseSettings database, IConfiguration section, TimeSpan pollInterval)
    {
        var invisibility = section.GetValue("InvisibilityTimeout", TimeSpan.FromMinutes(5));
        if (database.Provider == DatabaseProvider.Postgres)
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = pollInterval,
                InvisibilityTimeout = invisibility,

                // A job still running keeps its claim; without this, another node takes it after the timeout and
                // runs it a second time beside the first (a slow webhook sent twice).
                UseSlidingInvisibilityTimeout = true,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options), options);
        }

        return new SQLiteStorage(HangfireFile(database, section), new SQLiteStorageOptions
        {
            QueuePollInterval = pollInterval,
            InvisibilityTimeout = invisibility,
            JournalMode = SQLiteStorageOptions.JournalModes.WAL,
        });
    }

    /// <summary>
    /// Hangfire's own SQLite file: <c>Scheduling:HangfireDatabase</c>, or the service's database name with ".hangfire"
    /// before its extension, beside it. A file of its own, so Hangfire's polling never holds the service's write lock.
    /// </summary>
    internal static string HangfireFile(DatabaseSettings database, IConfiguration section)
    {
        if (section["HangfireDatabase"] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        var source = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        if (source is "" or ":memory:")
        {
            Directory.CreateDirectory(database.DataDirectory);
            return Path.Combine(database.DataDirectory, "kinerja.hangfire.db");
        }

        return Path.Combine(Path.GetDirectoryName(source)!, Path.GetFileNameWithoutExtension(source) + ".hangfire" + Path.GetExtension(source));
    }

    /// <summary>Hangfire's default filters with the service's retry policy instead of the default one.</summary>
    private static JobFilterCollection Filters(ScheduleRetries retries)
    {
        var filters = new JobFilterCollection
        {
            new CaptureCultureAttribute(),
            new StatisticsHistoryAttribute(),
            new ContinuationsSupportAttribute(),
        };
        var retry = new AutomaticRetryAttribute
        {
            Attempts = retries.Attempts,
            OnAttemptsExceeded = AttemptsExceededAction.Fail,

            // A call the operator's configuration refuses is refused again at every retry: it is an incident at
            // once, whose retry, after the configuration is changed, calls again.
            ExceptOn = [typeof(OutboundRefusedException)],
        };
        if (retries.DelaysInSeconds.Length > 0)
        {
            retry.DelaysInSeconds = retries.DelaysInSeconds;
        }

        filters.Add(retry);
        return filters;
    }
}

/// <summary>
/// At start-up: plans every timer start event's next occurrence, registers the recurring sweep, and sweeps once,
/// so what came due while the service was down is handled now.
/// </summary>
internal sealed class ScheduleStartup(IServiceProvider services, string sweepCron) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            await services.GetRequiredService<TimerStarts>().PlanAsync(db, null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ScheduleJobs>(
            ScheduleSweep.RecurringJobId,
            j => j.SweepAsync(CancellationToken.None),
            sweepCron);
        services.GetRequiredService<ScheduleSweep>().Request();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Hangfire's logs into the host's logging. Hangfire keeps its log provider process-wide, and the tests run many
/// hosts in one process: once a host has stopped, its logger factory is disposed, and a log line for it is dropped
/// rather than failing the hosts still running.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : Hangfire.Logging.ILogProvider
{
    public Hangfire.Logging.ILog GetLogger(string name) => new HostLog(factory, name);

    private sealed class HostLog(ILoggerFactory factory, string name) : Hangfire.Logging.ILog
    {
        private ILogger? _logger;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                _logger ??= factory.CreateLogger(name);
                var level = logLevel switch
                {
                    Hangfire.Logging.LogLevel.Trace => LogLevel.Trace,
                    Hangfire.Logging.LogLevel.Debug => LogLevel.Debug,
                    Hangfire.Logging.LogLevel.Info => LogLevel.Information,
                    Hangfire.Logging.LogLevel.Warn => LogLevel.Warning,
                    Hangfire.Logging.LogLevel.Error => LogLevel.Error,
                    _ => LogLevel.Critical,
                };
                if (messageFunc is null || !_logger.IsEnabled(level))
                {
                    return _logger.IsEnabled(level);
                }

#pragma warning disable CA2254 // Hangfire hands over finished text, not a template.
                _logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
