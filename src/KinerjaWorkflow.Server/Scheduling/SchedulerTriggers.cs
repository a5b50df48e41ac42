using Quartz;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// The durable Quartz jobs of the service and the trigger groups that fire them. A trigger's name is the id of
/// the database row it stands for (a timer, an SLA step, a notification, a timer start event), so the two can be
/// reconciled by key.
/// </summary>
internal static class SchedulerJobs
{
    private const string Group = "kinerja";

    public static readonly JobKey EngineTimer = new("engine-timer", Group);
    public static readonly JobKey SlaStep = new("sla-step", Group);
    public static readonly JobKey SlaDelivery = new("sla-delivery", Group);
    public static readonly JobKey TimerStart = new("timer-start", Group);

    public const string EngineTimerGroup = "engine-timer";
    public const string SlaStepGroup = "sla-step";
    public const string SlaDeliveryGroup = "sla-delivery";
    public const string TimerStartGroup = "timer-start";
}

/// <summary>A one-shot trigger to store: fire <see cref="Job"/> at <see cref="FireAt"/> with <see cref="Data"/>.</summary>
internal sealed record PlannedTrigger(TriggerKey Key, JobKey Job, DateTimeOffset FireAt, IReadOnlyDictionary<string, string> Data);

/// <summary>
/// Stores and removes the service's one-shot triggers. Every trigger ignores misfires: one whose time passed
/// while the service was down, or while the clock was moved past it, fires once as soon as the scheduler runs,
/// however late; the job itself decides from the database whether there is still anything to do. A job that
/// throws (the database was unreachable, say) is fired again with growing pauses.
/// </summary>
internal sealed class SchedulerTriggers(ISchedulerFactory schedulers)
{
    private static readonly RetryPolicy Retry = RetryPolicy.Exponential(6, TimeSpan.FromSeconds(10), 3, TimeSpan.FromMinutes(30));

    /// <summary>Large batches hold the store's lock for long; this keeps each write short.</summary>
    private const int BatchSize = 500;

    public async Task ScheduleAsync(IReadOnlyCollection<PlannedTrigger> triggers, CancellationToken ct)
    {
        if (triggers.Count == 0)
        {
            return;
        }

        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var byJob in triggers.GroupBy(t => t.Job))
        {
            foreach (var batch in byJob.Chunk(BatchSize))
            {
                if (batch.Length == 1)
                {
                    await scheduler.ScheduleTrigger(Build(batch[0]), TriggerConflict.Replace, ct);
                    continue;
                }

                var job = await scheduler.GetJobDetail(byJob.Key, ct)
                    ?? throw new InvalidOperationException($"The Quartz job {byJob.Key} is not stored.");
                await scheduler.ScheduleJob(job, batch.Select(Build).ToList(), new ScheduleJobOptions { Replace = true }, ct);
            }
        }
    }

    public async Task UnscheduleAsync(IReadOnlyCollection<TriggerKey> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var batch in keys.Chunk(BatchSize))
        {
            await scheduler.UnscheduleJobs(batch, ct);
        }
    }

    /// <summary>The names of every trigger stored in <paramref name="group"/>.</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(string group, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var names = new List<string>();
        var skip = 0;
        while (true)
        {
            var page = await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(group), Skip = skip, Take = 5000 }, ct);
            names.AddRange(page.Items.Select(t => t.Key.Name));
            if (!page.HasMore)
            {
                return names;
            }

            skip += page.Items.Count;
        }
    }

    public async Task<bool> IsRunningAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        return scheduler.Status is SchedulerStatus.Running or SchedulerStatus.Standby;
    }

    private static ITrigger Build(PlannedTrigger planned)
    {
        var data = new JobDataMap();
        foreach (var (name, value) in planned.Data)
        {
            data[name] = value;
        }

        return TriggerBuilder.Create()
            .WithIdentity(planned.Key)
            .ForJob(planned.Job)
            .StartAt(planned.FireAt)
            .UsingJobData(data)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.IgnoreMisfires))
            .WithRetryPolicy(Retry)
            .Build();
    }
}
