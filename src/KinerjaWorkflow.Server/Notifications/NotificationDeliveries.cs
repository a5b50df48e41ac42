using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>
/// Delivers one queued email or webhook through its channel, bounded by the channel's timeout. A failure is
/// recorded on the delivery (attempts, last error) and left to Hangfire's retries; when they are spent the
/// delivery becomes a dead letter an admin can retry. Email and webhooks are outside the database, so a crash
/// between sending and recording sends again: the X-Kinerja-Delivery id, the same every time, lets a receiver
/// ignore the repeat.
/// </summary>
internal sealed class NotificationDeliveries(
    KinerjaDbContext db,
    IEnumerable<IDeliveryChannel> channels,
    IServiceScopeFactory scopes,
    ScheduledIncidents incidents,
    TimeProvider clock,
    ILogger<NotificationDeliveries> logger) : IScheduledItemPerformer
{
    public IReadOnlyList<string> Kinds { get; } = [ScheduledKinds.Delivery];

    public async Task PerformAsync(ScheduledItemRecord item, CancellationToken ct)
    {
        var delivery = await db.Set<NotificationDeliveryRecord>().FirstOrDefaultAsync(d => d.Id == Guid.Parse(item.Reference!), ct);
        if (delivery is null || delivery.Status != DeliveryStatus.Pending)
        {
            item.Finish(ScheduledStatus.Cancelled, clock.GetUtcNow(), $"delivery {delivery?.Status ?? "gone"}");
            return;
        }

        var channel = channels.FirstOrDefault(c => c.Name == delivery.Channel)
            ?? throw new InvalidOperationException($"Unknown delivery channel '{delivery.Channel}'.");
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(channel.Timeout);
            try
            {
                await channel.SendAsync(delivery, timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"No answer within {channel.Timeout} (timed out).");
            }
            catch (MailKit.Net.Smtp.SmtpCommandException smtp)
            {
                throw new InvalidOperationException($"SMTP {(int)smtp.StatusCode} {smtp.StatusCode}: {smtp.Message}", smtp);
            }
        }

        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.Status = DeliveryStatus.Delivered;
        delivery.DeliveredAt = now;
        delivery.NextAttemptAt = now;
        delivery.LastError = null;
        item.Finish(ScheduledStatus.Done, now);
        logger.LogInformation(
            "Delivery {DeliveryId} of notification {DeduplicationKey} by {Channel} to {Target} done after {Attempts} attempt(s)",
            delivery.Id,
            delivery.DeduplicationKey,
            delivery.Channel,
            delivery.Target,
            delivery.Attempts);
    }

    public async Task AttemptFailedAsync(ScheduledItemRecord item, string error, bool final, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var deliveries = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var now = clock.GetUtcNow();
        await deliveries.Set<NotificationDeliveryRecord>()
            .Where(d => d.Id == Guid.Parse(item.Reference!) && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(
                u => u.SetProperty(d => d.Attempts, d => d.Attempts + 1)
                    .SetProperty(d => d.LastError, error)
                    .SetProperty(d => d.Status, final ? DeliveryStatus.Dead : DeliveryStatus.Pending)
                    .SetProperty(d => d.NextAttemptAt, now),
                ct);
        if (final)
        {
            await incidents.RaiseAsync(item, (db, ct) => DescribeAsync(db, item, error, ct), ct);
        }
    }

    /// <summary>The step of the task the notification is about (none for one about the whole instance), and what failed.</summary>
    private static async Task<(string NodeId, string Message)> DescribeAsync(KinerjaDbContext db, ScheduledItemRecord item, string error, CancellationToken ct)
    {
        var delivery = await db.Set<NotificationDeliveryRecord>().AsNoTracking().FirstAsync(d => d.Id == Guid.Parse(item.Reference!), ct);
        var taskId = await db.Set<NotificationRecord>().AsNoTracking()
            .Where(n => n.DeduplicationKey == delivery.DeduplicationKey && n.TaskId != null)
            .Select(n => n.TaskId)
            .FirstOrDefaultAsync(ct);
        var (stepId, stepName) = await ScheduledIncidents.StepOfTaskAsync(db, taskId, ct);
        var channel = delivery.Channel == DeliveryChannels.Email ? "Email" : "Webhook";
        var about = stepName.Length == 0 ? string.Empty : $" langkah \"{stepName}\"";
        var what = delivery.Kind switch
        {
            NotificationKinds.Reminder => "pengingat",
            NotificationKinds.Escalation => "eskalasi",
            NotificationKinds.Task => "tugas baru",
            _ => "pesan",
        };
        return (stepId, $"{channel} {what}{about} ke {delivery.Target} {ScheduledIncidents.Failed(item.Attempts, error)}");
    }
}
