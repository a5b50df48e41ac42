using System.Globalization;
using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>Told when a new version of a definition has been stored.</summary>
public interface IDefinitionDeployedListener
{
    Task DefinitionDeployedAsync(DefinitionRecord definition, CancellationToken ct);
}

/// <summary>
/// Timer start events: the latest version of each definition that has one gets a trigger at the event's next
/// occurrence in its office's business calendar; on firing, one instance starts at that start event, recorded
/// under the unique key (definition, start event, occurrence) in the same transaction, and the next occurrence is
/// scheduled. A <c>triwulan</c> cycle starts the report of the quarter that just ended: business key "2025-TW1",
/// variables <c>triwulan</c> and <c>tahun</c>. Occurrences missed while the service was down start only the
/// latest of them, once; the others are logged so an admin can start them by hand.
/// </summary>
internal sealed class TimerStarts(
    IServiceScopeFactory scopes,
    SchedulerTriggers triggers,
    DefinitionCatalog catalog,
    OfficeDirectory offices,
    TimeProvider clock,
    ILogger<TimerStarts> logger) : IDefinitionDeployedListener
{
    public const string DefinitionKeyKey = "definitionKey";
    public const string StartEventIdKey = "startEventId";
    public const string OccurrenceKey = "occurrence";

    /// <summary>Bounds the walk over missed occurrences of a very short cycle.</summary>
    private const int MaxMissedOccurrences = 100_000;

    public async Task DefinitionDeployedAsync(DefinitionRecord definition, CancellationToken ct)
    {
        try
        {
            // Deployed before the scheduler runs (the workflows folder at start-up): start-up reconciliation schedules it.
            if (await triggers.IsRunningAsync(ct))
            {
                await ScheduleAsync(definition.Key, ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Timer start events of definition {DefinitionKey} not rescheduled after deploy; reconciliation will", definition.Key);
        }
    }

    /// <summary>
    /// Gives the timer start events of the latest versions (of every definition, or of one) their next trigger,
    /// and removes triggers of start events the latest versions no longer have. Returns how many are scheduled.
    /// </summary>
    public async Task<int> ScheduleAsync(string? definitionKey, CancellationToken ct)
    {
        var planned = await PlanAsync(definitionKey, ct);
        var prefix = definitionKey is null ? null : definitionKey + "/";
        var wanted = planned.Select(p => p.Key.Name).ToHashSet(StringComparer.Ordinal);
        var stale = (await triggers.NamesAsync(SchedulerJobs.TimerStartGroup, ct))
            .Where(n => (prefix is null || n.StartsWith(prefix, StringComparison.Ordinal)) && !wanted.Contains(n))
            .Select(n => new TriggerKey(n, SchedulerJobs.TimerStartGroup))
            .ToList();
        await triggers.UnscheduleAsync(stale, ct);
        await triggers.ScheduleAsync(planned, ct);
        foreach (var trigger in planned)
        {
            logger.LogInformation("Timer start {Trigger} next fires at {FireAt}", trigger.Key.Name, trigger.FireAt);
        }

        return planned.Count;
    }

    public async Task FireAsync(string definitionKey, string startEventId, DateTimeOffset occurrence, CancellationToken ct)
    {
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            var definition = await db.Definitions
                .Where(d => d.Key == definitionKey)
                .OrderByDescending(d => d.Version)
                .FirstOrDefaultAsync(ct);
            var start = definition is null ? null : TimerStartEvents(catalog.ModelOf(definition)).FirstOrDefault(s => s.Id == startEventId);
            if (definition is null || start is null)
            {
                logger.LogInformation("Definition {DefinitionKey} no longer has timer start event {StartEventId}; nothing started", definitionKey, startEventId);
            }
            else if (await OccurredAsync(db, definitionKey, startEventId, occurrence, ct))
            {
                logger.LogInformation("Timer start {DefinitionKey}/{StartEventId} at {Occurrence} already started an instance", definitionKey, startEventId, occurrence);
            }
            else if (await SupersededAsync(definition, start, occurrence, ct) is { } later)
            {
                logger.LogWarning(
                    "Timer start {DefinitionKey}/{StartEventId} at {Occurrence} was missed while the service was down; the later occurrence {Later} starts instead",
                    definitionKey,
                    startEventId,
                    occurrence,
                    later);
            }
            else
            {
                await StartAsync(scope.ServiceProvider, db, definition, start, occurrence, ct);
            }
        }

        await ScheduleAsync(definitionKey, ct);
    }

    private async Task StartAsync(
        IServiceProvider services,
        KinerjaDbContext db,
        DefinitionRecord definition,
        StartEvent start,
        DateTimeOffset occurrence,
        CancellationToken ct)
    {
        var office = await offices.GetAsync(definition.OfficeId, ct);
        var (businessKey, variables) = Describe(start.Timer!, occurrence, office.Calendar);
        db.TimerStarts.Add(new TimerStartRecord
        {
            DefinitionKey = definition.Key,
            StartEventId = start.Id,
            OccurrenceAt = occurrence,
            OfficeId = definition.OfficeId,
            BusinessKey = businessKey,
            StartedAt = clock.GetUtcNow(),
        });
        try
        {
            // The runner's one SaveChanges stores the occurrence with the new instance: both or neither.
            var instance = await services.GetRequiredService<InstanceCommandRunner>()
                .StartAsync(definition, businessKey, variables, null, start.Id, ct);
            logger.LogInformation(
                "Timer start {DefinitionKey}/{StartEventId} at {Occurrence} started instance {InstanceId} ({BusinessKey})",
                definition.Key,
                start.Id,
                occurrence,
                instance.Id,
                businessKey);
        }
        catch (DbUpdateException) when (!ct.IsCancellationRequested)
        {
            if (!await OccurredInNewScopeAsync(definition.Key, start.Id, occurrence, ct))
            {
                throw;
            }

            logger.LogInformation("Timer start {DefinitionKey}/{StartEventId} at {Occurrence} was started by another run", definition.Key, start.Id, occurrence);
        }
    }

    /// <summary>A later occurrence of the same cycle that is also already due, if any: only the latest missed one starts.</summary>
    private async Task<DateTimeOffset?> SupersededAsync(DefinitionRecord definition, StartEvent start, DateTimeOffset occurrence, CancellationToken ct)
    {
        if (start.Timer!.Kind != TimerKind.Cycle)
        {
            return null;
        }

        var office = await offices.GetAsync(definition.OfficeId, ct);
        var later = TimerCycle.Parse(start.Timer.Expression).NextAfter(occurrence, office.Calendar);
        return later <= clock.GetUtcNow() ? later : null;
    }

    /// <summary>The business key and variables of the instance an occurrence starts.</summary>
    internal static (string BusinessKey, IReadOnlyDictionary<string, JsonElement> Variables) Describe(
        TimerDefinition timer,
        DateTimeOffset occurrence,
        BusinessCalendar calendar)
    {
        var local = calendar.ToLocal(occurrence);
        if (timer.Kind == TimerKind.Cycle && timer.Expression.Trim().Equals("triwulan", StringComparison.OrdinalIgnoreCase))
        {
            var quarter = ((local.Month - 1) / 3) + 1;
            var (ended, year) = quarter == 1 ? (4, local.Year - 1) : (quarter - 1, local.Year);
            return ($"{year.ToString(CultureInfo.InvariantCulture)}-TW{ended.ToString(CultureInfo.InvariantCulture)}", new Dictionary<string, JsonElement>
            {
                ["triwulan"] = JsonSerializer.SerializeToElement(ended),
                ["tahun"] = JsonSerializer.SerializeToElement(year),
            });
        }

        return (local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), new Dictionary<string, JsonElement>());
    }

    /// <summary>
    /// The occurrence to fire next: the first after the last one that fired (or after the definition was first
    /// deployed); of several already past, the latest.
    /// </summary>
    internal static DateTimeOffset? NextOccurrence(
        TimerDefinition timer,
        BusinessCalendar calendar,
        DateTimeOffset? lastFired,
        DateTimeOffset firstDeployedAt,
        DateTimeOffset now,
        out int skipped)
    {
        skipped = 0;
        var after = lastFired ?? firstDeployedAt;
        switch (timer.Kind)
        {
            case TimerKind.Cycle:
                var cycle = TimerCycle.Parse(timer.Expression);
                var next = cycle.NextAfter(after, calendar);
                while (next is { } current && current <= now && skipped < MaxMissedOccurrences
                       && cycle.NextAfter(current, calendar) is { } later && later <= now)
                {
                    next = later;
                    skipped++;
                }

                return next;

            case TimerKind.Date:
                var at = new BusinessDeadlineCalculator(calendar, null).TimerDue(timer, after);
                return at > after ? at : null;

            default:
                return lastFired is null ? new BusinessDeadlineCalculator(calendar, null).TimerDue(timer, firstDeployedAt) : null;
        }
    }

    private async Task<IReadOnlyList<PlannedTrigger>> PlanAsync(string? definitionKey, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var versions = await db.Definitions.AsNoTracking()
            .Where(d => definitionKey == null || d.Key == definitionKey)
            .Select(d => new { d.Id, d.Key, d.Version, d.DeployedAt })
            .ToListAsync(ct);
        var latestIds = versions.GroupBy(v => v.Key).Select(g => g.MaxBy(v => v.Version)!.Id).ToList();
        var firstDeployed = versions.GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Min(v => v.DeployedAt), StringComparer.Ordinal);
        var latest = await db.Definitions.AsNoTracking().Where(d => latestIds.Contains(d.Id)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var planned = new List<PlannedTrigger>();
        foreach (var definition in latest.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            foreach (var start in TimerStartEvents(catalog.ModelOf(definition)))
            {
                var office = await offices.GetAsync(definition.OfficeId, ct);
                var last = await db.TimerStarts
                    .Where(o => o.DefinitionKey == definition.Key && o.StartEventId == start.Id)
                    .OrderByDescending(o => o.OccurrenceAt)
                    .Select(o => (DateTimeOffset?)o.OccurrenceAt)
                    .FirstOrDefaultAsync(ct);
                var next = NextOccurrence(start.Timer!, office.Calendar, last, firstDeployed[definition.Key], now, out var skipped);
                if (skipped > 0)
                {
                    logger.LogWarning(
                        "Timer start {DefinitionKey}/{StartEventId} missed {Skipped} occurrence(s) while the service was down; only the latest, {Occurrence}, starts an instance",
                        definition.Key,
                        start.Id,
                        skipped,
                        next);
                }

                if (next is { } occurrence)
                {
                    planned.Add(Plan(definition.Key, start.Id, occurrence));
                }
            }
        }

        return planned;
    }

    private static PlannedTrigger Plan(string definitionKey, string startEventId, DateTimeOffset occurrence)
    {
        var ms = occurrence.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        // One name per occurrence, so scheduling the next one never touches the trigger that is firing.
        return new PlannedTrigger(
            new TriggerKey($"{definitionKey}/{startEventId}/{ms}", SchedulerJobs.TimerStartGroup),
            SchedulerJobs.TimerStart,
            occurrence,
            new Dictionary<string, string>
            {
                [DefinitionKeyKey] = definitionKey,
                [StartEventIdKey] = startEventId,
                [OccurrenceKey] = ms,
            });
    }

    private static IEnumerable<StartEvent> TimerStartEvents(ProcessModel model) =>
        model.Root.StartEvents.Where(s => s.Timer is not null).OrderBy(s => s.Id, StringComparer.Ordinal);

    private static Task<bool> OccurredAsync(KinerjaDbContext db, string definitionKey, string startEventId, DateTimeOffset occurrence, CancellationToken ct) =>
        db.TimerStarts.AnyAsync(o => o.DefinitionKey == definitionKey && o.StartEventId == startEventId && o.OccurrenceAt == occurrence, ct);

    private async Task<bool> OccurredInNewScopeAsync(string definitionKey, string startEventId, DateTimeOffset occurrence, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        return await OccurredAsync(scope.ServiceProvider.GetRequiredService<KinerjaDbContext>(), definitionKey, startEventId, occurrence, ct);
    }
}

internal sealed class TimerStartJob(TimerStarts starts) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = context.MergedJobDataMap;
        await starts.FireAsync(
            data.GetString(TimerStarts.DefinitionKeyKey)!,
            data.GetString(TimerStarts.StartEventIdKey)!,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(data.GetString(TimerStarts.OccurrenceKey)!, CultureInfo.InvariantCulture)),
            cancellationToken);
    }
}
