using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>A delivery given up as dead is pending again, with its attempts afresh, when its incident is retried.</summary>
internal sealed class DeliveryRearm : IScheduledItemRearm
{
    public string Kind => ScheduledKinds.Delivery;

    public async Task RearmAsync(KinerjaDbContext db, ScheduledItemRecord item, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Set<NotificationDeliveryRecord>().FirstOrDefaultAsync(d => d.Id == Guid.Parse(item.Reference!), ct) is { Status: DeliveryStatus.Dead } delivery)
        {
            delivery.Status = DeliveryStatus.Pending;
            delivery.Attempts = 0;
            delivery.NextAttemptAt = now;
        }
    }
}
