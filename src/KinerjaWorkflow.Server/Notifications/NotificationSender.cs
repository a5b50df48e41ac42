using System.Net.Mail;
using System.Text.Json;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>
/// Stores one in-app notification per user and queues the email and webhook deliveries in the same
/// SaveChanges (one transaction), so nothing is delivered for a notification that was not stored and
/// nothing stored is left undelivered: each delivery is a schedule row, due at once. After the commit the
/// users' live streams get the notifications and the schedule is swept. Uses the caller's scoped context: whatever the caller has pending is
/// committed with it.
/// </summary>
internal sealed class NotificationSender(
    KinerjaDbContext db,
    OfficeDirectory offices,
    LiveNotifications live,
    ScheduleSweep sweep,
    IOptions<SmtpOptions> smtp,
    TimeProvider clock,
    ILogger<NotificationSender> logger) : INotificationSender
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <summary>The event name in every webhook body; <c>kind</c> says which notification it is.</summary>
    public const string WebhookEvent = "notification";

    public async Task SendAsync(NotificationMessage message, CancellationToken ct)
    {
        Validate(message);

        // A racing sender of the same key makes our insert hit the unique index; the second pass sees its rows.
        for (var pass = 1; ; pass++)
        {
            var (notifications, queued) = await StageAsync(message, ct);
            if (notifications.Count == 0 && queued.Count == 0)
            {
                logger.LogDebug("Notification {DeduplicationKey} was already sent; nothing new to store", message.DeduplicationKey);
                return;
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (pass == 1)
            {
                logger.LogWarning(ex, "Notification {DeduplicationKey} was being sent concurrently; checking again", message.DeduplicationKey);
                foreach (var entity in notifications.Cast<object>().Concat(queued))
                {
                    db.Entry(entity).State = EntityState.Detached;
                }

                continue;
            }

            foreach (var notification in notifications)
            {
                live.Publish(notification);
            }

            sweep.RequestIfDue(db);

            logger.LogInformation(
                "Notification {DeduplicationKey} ({Kind}) of office {OfficeId} for instance {InstanceId}: stored for {UserCount} user(s), {DeliveryCount} delivery(ies) queued",
                message.DeduplicationKey,
                message.Kind,
                message.OfficeId,
                message.InstanceId,
                notifications.Count,
                queued.Count);
            return;
        }
    }

    private async Task<(List<NotificationRecord> Notifications, List<object> Queued)> StageAsync(
        NotificationMessage message, CancellationToken ct)
    {
        var office = await offices.GetAsync(message.OfficeId, ct);
        var key = message.DeduplicationKey;
        var names = message.UserNames.Distinct(StringComparer.Ordinal).ToList();
        var users = await db.Users.AsNoTracking()
            .Where(u => u.OfficeId == message.OfficeId && names.Contains(u.UserName))
            .Select(u => new { u.UserName, u.DisplayName, u.Email })
            .ToListAsync(ct);
        foreach (var unknown in names.Except(users.Select(u => u.UserName), StringComparer.Ordinal))
        {
            logger.LogWarning(
                "Notification {DeduplicationKey}: {UserName} is not a user of office {OfficeId}; skipped",
                key,
                unknown,
                message.OfficeId);
        }

        var notified = (await db.Set<NotificationRecord>().AsNoTracking()
                .Where(n => n.DeduplicationKey == key && names.Contains(n.UserName))
                .Select(n => n.UserName)
                .ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var alreadyQueued = (await db.Set<NotificationDeliveryRecord>().AsNoTracking()
                .Where(d => d.DeduplicationKey == key)
                .Select(d => new { d.Channel, d.Target })
                .ToListAsync(ct))
            .Select(d => (d.Channel, d.Target))
            .ToHashSet();

        var now = clock.GetUtcNow();
        var notifications = users
            .Where(u => !notified.Contains(u.UserName))
            .Select(u => new NotificationRecord
            {
                Id = Guid.CreateVersion7(now),
                UserName = u.UserName,
                OfficeId = message.OfficeId,
                Kind = message.Kind,
                Subject = message.Subject,
                Message = message.Text,
                InstanceId = message.InstanceId,
                TaskId = message.TaskId,
                DeduplicationKey = key,
                CreatedAt = now,
            })
            .ToList();
        db.AddRange(notifications);

        var queued = new List<NotificationDeliveryRecord>();
        var items = new List<ScheduledItemRecord>();
        if (smtp.Value.Enabled)
        {
            foreach (var user in users.Where(u => u.Email is not null).DistinctBy(u => u.Email, StringComparer.OrdinalIgnoreCase))
            {
                if (!MailAddress.TryCreate(user.Email, user.DisplayName, out _))
                {
                    logger.LogWarning(
                        "Notification {DeduplicationKey}: {UserName} has email {Email}, which is not an address; no email queued",
                        key,
                        user.UserName,
                        user.Email);
                    continue;
                }

                var payload = new EmailPayload(user.Email!, user.DisplayName, message.Subject, EmailBody(message, office.Name));
                Queue(DeliveryChannels.Email, user.Email!, JsonSerializer.Serialize(payload, PayloadJson));
            }
        }

        foreach (var webhook in office.Organization.Webhooks.Where(w => w.Wants(message.Kind)))
        {
            var body = new WebhookBody(
                WebhookEvent, message.OfficeId, message.Kind, message.Subject, message.Text,
                message.InstanceId, message.TaskId, key, now);
            Queue(DeliveryChannels.Webhook, webhook.Url.ToString(), JsonSerializer.Serialize(body, PayloadJson));
        }

        db.AddRange(queued);
        db.AddRange(items);
        return (notifications, queued.Cast<object>().Concat(items).ToList());

        void Queue(string channel, string target, string payload)
        {
            if (alreadyQueued.Contains((channel, target)))
            {
                return;
            }

            var id = Guid.CreateVersion7(now);
            var item = ScheduledItemRecord.Pending(ScheduledKinds.Delivery, ScheduledKinds.ReferenceKey(ScheduledKinds.Delivery, id), now, now);
            item.OfficeId = message.OfficeId;
            item.InstanceId = message.InstanceId;
            item.Reference = id.ToString();
            items.Add(item);
            queued.Add(new NotificationDeliveryRecord
            {
                Id = id,
                OfficeId = message.OfficeId,
                Channel = channel,
                Target = target,
                Kind = message.Kind,
                DeduplicationKey = key,
                PayloadJson = payload,
                Status = DeliveryStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            });
        }
    }

    private static string EmailBody(NotificationMessage message, string officeName) =>
        $"{message.Text}\n\n--\nPesan ini dikirim otomatis oleh KinerjaWorkflow, {officeName}. Buka kotak tugas Anda untuk menindaklanjuti.\n";

    private static void Validate(NotificationMessage message)
    {
        if (string.IsNullOrWhiteSpace(message.DeduplicationKey))
        {
            throw new ArgumentException("A notification needs a deduplication key.", nameof(message));
        }

        if (!NotificationKinds.All.Contains(message.Kind))
        {
            throw new ArgumentException(
                $"Notification kind '{message.Kind}' is not one of {string.Join(", ", NotificationKinds.All)}.", nameof(message));
        }

        if (string.IsNullOrWhiteSpace(message.Subject) || string.IsNullOrWhiteSpace(message.Text))
        {
            throw new ArgumentException("A notification needs a subject and a text.", nameof(message));
        }
    }
}

/// <summary>The JSON a webhook receives; signed as sent, byte for byte.</summary>
public sealed record WebhookBody(
    string Event,
    string Office,
    string Kind,
    string Subject,
    string Text,
    Guid? InstanceId,
    Guid? TaskId,
    string DeduplicationKey,
    DateTimeOffset At);
