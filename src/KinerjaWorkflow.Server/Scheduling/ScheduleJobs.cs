using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using KinerjaWorkflow.Server.Outbound;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Does one kind of scheduled item. <see cref="PerformAsync"/> writes its effect and finishes the item
/// (<see cref="ScheduledItemRecord.Finish"/>) through the scoped context in one transaction, and guards the
/// effect with a unique key, so a second run of the same item changes nothing. Throwing leaves the item to
/// Hangfire's retries.
/// </summary>
internal interface IScheduledItemPerformer
{
    IReadOnlyList<string> Kinds { get; }

    Task PerformAsync(ScheduledItemRecord item, CancellationToken ct);

    /// <summary>A run failed; when <paramref name="final"/>, Hangfire's retries are spent: show it where people look (an incident, a dead letter).</summary>
    Task AttemptFailedAsync(ScheduledItemRecord item, string error, bool final, CancellationToken ct);
}

/// <summary>The Hangfire jobs of the service: the sweep, and one run of one scheduled item.</summary>
public sealed class ScheduleJobs(IServiceProvider services)
{
    [DisplayName("Sapu jadwal")]
    [AutomaticRetry(Attempts = 0)]
    public async Task SweepAsync(CancellationToken ct) =>
        await services.GetRequiredService<ScheduleSweep>().SweepAsync(ct);

    /// <param name="kind">Only for the dashboard's job name.</param>
    /// <param name="context">Given by Hangfire: which retry this is.</param>
    [DisplayName("{0} {1}")]
    public async Task RunAsync(string kind, Guid itemId, PerformContext? context, CancellationToken ct)
    {
        var db = services.GetRequiredService<KinerjaDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILogger<ScheduleJobs>>();
        var item = await db.ScheduledItems.FirstOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null || item.Status is ScheduledStatus.Done or ScheduledStatus.Cancelled)
        {
            logger.LogInformation("Scheduled {Kind} {ItemId} is {Status}; nothing to do", kind, itemId, item?.Status ?? "gone");
            return;
        }

        var performer = services.GetServices<IScheduledItemPerformer>().FirstOrDefault(p => p.Kinds.Contains(item.Kind))
            ?? throw new InvalidOperationException($"No performer does scheduled items of kind '{item.Kind}'.");
        item.Attempts++;
        try
        {
            await performer.PerformAsync(item, ct);
            if (item.Status is ScheduledStatus.Done or ScheduledStatus.Cancelled)
            {
                item.FinishedAt ??= clock.GetUtcNow();
            }
            else
            {
                item.Finish(ScheduledStatus.Done, clock.GetUtcNow());
            }

            await db.SaveChangesAsync(ct);
            services.GetRequiredService<ScheduleSweep>().RequestIfDue(db);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var final = ex is OutboundRefusedException
                || (context?.GetJobParameter<int>("RetryCount") ?? 0) >= services.GetRequiredService<ScheduleRetries>().Attempts;
            await services.GetRequiredService<ScheduledItemFailures>().RecordAsync(itemId, ex, final, performer, ct);
            throw;
        }
    }
}

/// <summary>How often Hangfire retries a failing item (<c>Scheduling:Attempts</c>, <c>Scheduling:RetryDelays</c>).</summary>
internal sealed record ScheduleRetries(int Attempts, int[] DelaysInSeconds);

/// <summary>Records a failed run on its item, in a context of its own: the run's context holds its half-done work.</summary>
internal sealed class ScheduledItemFailures(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ScheduledItemFailures> logger)
{
    public async Task RecordAsync(Guid itemId, Exception error, bool final, IScheduledItemPerformer performer, CancellationToken ct)
    {
        var message = Describe(error);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var item = await db.ScheduledItems.FirstAsync(i => i.Id == itemId, ct);
        item.Attempts++;
        item.LastError = message;
        if (final)
        {
            item.Status = ScheduledStatus.Failed;
            item.FinishedAt = clock.GetUtcNow();
            logger.LogError("Scheduled {Kind} {Key} failed for good after {Attempts} attempts: {Error}", item.Kind, item.Key, item.Attempts, message);
        }
        else
        {
            logger.LogWarning("Scheduled {Kind} {Key} failed (attempt {Attempts}); Hangfire retries it: {Error}", item.Kind, item.Key, item.Attempts, message);
        }

        await db.SaveChangesAsync(ct);
        await performer.AttemptFailedAsync(item, message, final, ct);
    }

    private static string Describe(Exception error)
    {
        var text = error.InnerException is null ? error.Message : $"{error.Message} ({error.InnerException.Message})";
        return text.Length <= 1000 ? text : text[..1000];
    }
}
