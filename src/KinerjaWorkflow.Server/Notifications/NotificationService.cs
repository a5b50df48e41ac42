using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>A user's in-app notifications, the send tasks' messages, and the office's delivery outbox for admins.</summary>
public sealed class NotificationService(
    KinerjaDbContext db,
    INotificationSender sender,
    ScheduleSweep sweep,
    TimeProvider clock,
    ILogger<NotificationService> logger) : IRoleNotifier
{
    private const int ListLimit = 200;

    /// <summary>
    /// Sends a send task's message to every member of a role in the office (or the whole office when the role
    /// is null), on every channel. <paramref name="deduplicationKey"/> makes a retried job send it once.
    /// </summary>
    public async Task<int> NotifyRoleAsync(
        string officeId,
        string? role,
        string message,
        Guid? instanceId,
        Guid? taskId,
        string deduplicationKey,
        CancellationToken ct)
    {
        var users = db.Users.Where(u => u.OfficeId == officeId);
        if (role is not null)
        {
            users = users.Where(u => db.UserRoles.Any(r => r.UserId == u.Id && r.RoleName == role));
        }

        var names = await users.Select(u => u.UserName).ToListAsync(ct);
        var sop = instanceId is null
            ? null
            : await db.Instances.AsNoTracking()
                .Where(i => i.Id == instanceId)
                .Join(db.Definitions, i => i.DefinitionId, d => d.Id, (i, d) => new { d.Name, i.BusinessKey })
                .FirstOrDefaultAsync(ct);
        var text = NotificationTexts.Message(sop?.Name ?? officeId, sop?.BusinessKey, message);
        await sender.SendAsync(
            new NotificationMessage(officeId, names, NotificationKinds.Message, text.Subject, text.Text, instanceId, taskId, deduplicationKey),
            ct);
        logger.LogInformation(
            "Message of instance {InstanceId} sent to {Count} member(s) of role {Role} in office {OfficeId}",
            instanceId,
            names.Count,
            role ?? "(semua)",
            officeId);
        return names.Count;
    }

    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(string userName, bool unreadOnly, CancellationToken ct)
    {
        var query = db.Set<NotificationRecord>().AsNoTracking().Where(n => n.UserName == userName);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        return await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(ListLimit).ToListAsync(ct);
    }

    public Task<int> CountUnreadAsync(string userName, CancellationToken ct) =>
        db.Set<NotificationRecord>().CountAsync(n => n.UserName == userName && n.ReadAt == null, ct);

    public async Task<NotificationRecord> MarkReadAsync(string userName, Guid id, CancellationToken ct)
    {
        var notification = await db.Set<NotificationRecord>().FirstOrDefaultAsync(n => n.Id == id && n.UserName == userName, ct)
            ?? throw new NotFoundError("Notifikasi tidak ditemukan.");
        notification.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return notification;
    }

    /// <summary>Marks every unread notification of the user read; returns how many were unread.</summary>
    public async Task<int> MarkAllReadAsync(string userName, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.Set<NotificationRecord>()
            .Where(n => n.UserName == userName && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    /// <summary>The office's outbound deliveries, newest first, for an admin watching failures.</summary>
    public async Task<IReadOnlyList<NotificationDeliveryRecord>> ListDeliveriesAsync(CurrentUser admin, string? status, CancellationToken ct)
    {
        if (status is not null && status is not (DeliveryStatus.Pending or DeliveryStatus.Delivered or DeliveryStatus.Dead))
        {
            throw new InvalidRequestError(
                $"Status '{status}' tidak dikenal; gunakan {DeliveryStatus.Pending}, {DeliveryStatus.Delivered} atau {DeliveryStatus.Dead}.");
        }

        var query = db.Set<NotificationDeliveryRecord>().AsNoTracking().Where(d => d.OfficeId == admin.OfficeId);
        if (status is not null)
        {
            query = query.Where(d => d.Status == status);
        }

        return await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(ListLimit).ToListAsync(ct);
    }

    /// <summary>Puts a dead letter of the admin's office back in the outbox with fresh attempts.</summary>
    public async Task<NotificationDeliveryRecord> RetryDeliveryAsync(CurrentUser admin, Guid id, CancellationToken ct)
    {
        var delivery = await db.Set<NotificationDeliveryRecord>().FirstOrDefaultAsync(d => d.Id == id && d.OfficeId == admin.OfficeId, ct)
            ?? throw new NotFoundError("Pengiriman notifikasi tidak ditemukan.");
        if (delivery.Status != DeliveryStatus.Dead)
        {
            throw new ConflictError("Hanya pengiriman yang gagal (dead) yang dapat dicoba lagi.");
        }

        var now = clock.GetUtcNow();
        delivery.Status = DeliveryStatus.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = now;
        var key = ScheduledKinds.ReferenceKey(ScheduledKinds.Delivery, delivery.Id);
        var item = await db.ScheduledItems.FirstOrDefaultAsync(i => i.Key == key, ct);
        if (item is null)
        {
            item = ScheduledItemRecord.Pending(ScheduledKinds.Delivery, key, now, now);
            item.OfficeId = delivery.OfficeId;
            item.Reference = delivery.Id.ToString();
            db.ScheduledItems.Add(item);
        }

        item.Status = ScheduledStatus.Pending;
        item.DueAt = now;
        item.JobId = null;
        item.FinishedAt = null;
        await db.SaveChangesAsync(ct);
        sweep.RequestIfDue(db);
        logger.LogInformation("Delivery {DeliveryId} to {Target} put back in the outbox by {User}", delivery.Id, delivery.Target, admin.UserName);
        return delivery;
    }
}
