using System.Globalization;
using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Timer start events: the latest version of each definition that has one keeps one pending schedule row, at the
/// event's next occurrence in its office's business calendar and time zone. When it fires, one instance starts at
/// that start event, recorded under the unique key (definition, start event, occurrence), and the next occurrence's
/// row is written, all in the runner's one transaction. A <c>triwulan</c> cycle starts the report of the quarter
/// that just ended: business key "2025-TW1", variables <c>triwulan</c> and <c>tahun</c>. Occurrences missed while
/// the service was down start only the latest of them, once; the others are logged so an admin can start them by hand.
/// </summary>
internal sealed class TimerStarts(
    IServiceScopeFactory scopes,
    DefinitionCatalog catalog,
    OfficeDirectory offices,
    TimeProvider clock,
    ILogger<TimerStarts> logger) : IDefinitionDeployedListener
{
    /// <summary>Bounds the walk over missed occurrences of a very short cycle.</summary>
    private const int MaxMissedOccurrences = 100_000;

    public async Task DefinitionDeployedAsync(DefinitionRecord definition, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        await PlanAsync(db, definition.Key, ct);
        await db.SaveChangesAsync(ct);
        scope.ServiceProvider.GetRequiredService<ScheduleSweep>().RequestIfDue(db);
    }

    /// <summary>
    /// Gives the timer start events of the latest versions (of every definition, or of one) their next occurrence's
    /// row, and cancels pending rows the latest versions no longer want. The caller saves.
    /// </summary>
    public async Task PlanAsync(KinerjaDbContext db, string? definitionKey, CancellationToken ct)
    {
        var wanted = await NextOccurrencesAsync(db, definitionKey, ct);
        var prefix = ScheduledKinds.TimerStart + ":" + (definitionKey is null ? string.Empty : definitionKey + "/");
        var pending = await db.ScheduledItems
            .Where(i => i.Kind == ScheduledKinds.TimerStart && i.Status == ScheduledStatus.Pending && i.Key.StartsWith(prefix))
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var stale in pending.Where(p => !wanted.Any(w => w.Key == p.Key)))
        {
            stale.Finish(ScheduledStatus.Cancelled, now, "no longer the next occurrence of the latest version");
        }

        var keys = wanted.Select(w => w.Key).ToList();
        var existing = await db.ScheduledItems.Where(i => keys.Contains(i.Key)).ToListAsync(ct);
        foreach (var item in wanted)
        {
            if (existing.FirstOrDefault(e => e.Key == item.Key) is not { } known)
            {
                db.ScheduledItems.Add(item);
            }
            else if (known.Status == ScheduledStatus.Cancelled)
            {
                known.Status = ScheduledStatus.Pending;
                known.FinishedAt = null;
                known.LastError = null;
            }
            else
            {
                continue;
            }

            logger.LogInformation("Timer start {Key} next fires at {DueAt}", item.Key, item.DueAt);
        }
    }

    public async Task FireAsync(KinerjaDbContext db, InstanceCommandRunner runner, ScheduledItemRecord item, CancellationToken ct)
    {
        var (definitionKey, startEventId) = Split(item.Reference!);
        var occurrence = item.DueAt;
        var definition = await db.Definitions
            .Where(d => d.Key == definitionKey)
            .OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct);
        var start = definition is null ? null : TimerStartEvents(catalog.ModelOf(definition)).FirstOrDefault(s => s.Id == startEventId);
        var now = clock.GetUtcNow();
        if (definition is null || start is null)
        {
            item.Finish(ScheduledStatus.Cancelled, now, "the latest version has no such timer start event");
        }
        else if (await db.TimerStarts.AnyAsync(o => o.DefinitionKey == definitionKey && o.StartEventId == startEventId && o.OccurrenceAt == occurrence, ct))
        {
            item.Finish(ScheduledStatus.Cancelled, now, "this occurrence already started an instance");
        }
        else if (await SupersededAsync(definition, start, occurrence, ct) is { } later)
        {
            logger.LogWarning(
                "Timer start {DefinitionKey}/{StartEventId} at {Occurrence} was missed while the service was down; the later occurrence {Later} starts instead",
                definitionKey,
                startEventId,
                occurrence,
                later);
            item.Finish(ScheduledStatus.Cancelled, now, $"superseded by the occurrence at {later:O}");
        }
        else
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
                StartedAt = now,
            });
            item.Finish(ScheduledStatus.Done, now);
            await PlanAsync(db, definitionKey, ct);

            // The runner's one SaveChanges stores the occurrence, the next occurrence's row and the new instance: all or none.
            var (instance, _) = await runner.StartAsync(DefinitionHead.Of(definition), businessKey, variables, null, start.Id, ct);
            logger.LogInformation(
                "Timer start {DefinitionKey}/{StartEventId} at {Occurrence} started instance {InstanceId} ({BusinessKey})",
                definition.Key,
                start.Id,
                occurrence,
                instance.Id,
                businessKey);
            return;
        }

        await PlanAsync(db, definitionKey, ct);
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

    private async Task<List<ScheduledItemRecord>> NextOccurrencesAsync(KinerjaDbContext db, string? definitionKey, CancellationToken ct)
    {
        var versions = await db.Definitions.AsNoTracking()
            .Where(d => definitionKey == null || d.Key == definitionKey)
            .Select(d => new { d.Id, d.Key, d.Version, d.DeployedAt })
            .ToListAsync(ct);
        var latestIds = versions.GroupBy(v => v.Key).Select(g => g.MaxBy(v => v.Version)!.Id).ToList();
        var firstDeployed = versions.GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Min(v => v.DeployedAt), StringComparer.Ordinal);
        var latest = await db.Definitions.AsNoTracking().Where(d => latestIds.Contains(d.Id)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var planned = new List<ScheduledItemRecord>();
        foreach (var definition in latest.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            foreach (var start in TimerStartEvents(catalog.ModelOf(definition)))
            {
                var office = await offices.GetAsync(definition.OfficeId, ct);
                var occurred = await db.TimerStarts
                    .Where(o => o.DefinitionKey == definition.Key && o.StartEventId == start.Id)
                    .Select(o => o.OccurrenceAt)
                    .ToListAsync(ct);
                var last = occurred
                    .Concat(db.TimerStarts.Local.Where(o => o.DefinitionKey == definition.Key && o.StartEventId == start.Id).Select(o => o.OccurrenceAt))
                    .Select(o => (DateTimeOffset?)o)
                    .Max();
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
                    var reference = definition.Key + "/" + start.Id;
                    var ms = occurrence.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                    var item = ScheduledItemRecord.Pending(ScheduledKinds.TimerStart, $"{ScheduledKinds.TimerStart}:{reference}/{ms}", occurrence, now);
                    item.OfficeId = definition.OfficeId;
                    item.Reference = reference;
                    planned.Add(item);
                }
            }
        }

        return planned;
    }

    private static (string DefinitionKey, string StartEventId) Split(string reference)
    {
        var slash = reference.LastIndexOf('/');
        return (reference[..slash], reference[(slash + 1)..]);
    }

    private static IEnumerable<StartEvent> TimerStartEvents(ProcessModel model) =>
        model.Root.StartEvents.Where(s => s.Timer is not null).OrderBy(s => s.Id, StringComparer.Ordinal);
}

/// <summary>Runs a due timer start row.</summary>
internal sealed class TimerStartFiring(KinerjaDbContext db, InstanceCommandRunner runner, TimerStarts starts) : IScheduledItemPerformer
{
    public IReadOnlyList<string> Kinds { get; } = [ScheduledKinds.TimerStart];

    public Task PerformAsync(ScheduledItemRecord item, CancellationToken ct) => starts.FireAsync(db, runner, item, ct);

    public Task AttemptFailedAsync(ScheduledItemRecord item, string error, bool final, CancellationToken ct) => Task.CompletedTask;
}
