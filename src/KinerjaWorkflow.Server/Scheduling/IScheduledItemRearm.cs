using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// What an item's owner resets of its own records when an admin's incident retry puts the item back in the
/// schedule (a delivery given up as dead goes back to pending), in the retry command's own unit of work.
/// </summary>
public interface IScheduledItemRearm
{
    string Kind { get; }

    Task RearmAsync(KinerjaDbContext db, ScheduledItemRecord item, DateTimeOffset now, CancellationToken ct);
}
