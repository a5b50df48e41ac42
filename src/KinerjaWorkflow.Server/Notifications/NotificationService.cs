using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>Stores in-app notifications for the people who should read them.</summary>
public sealed class NotificationService(KinerjaDbContext db, TimeProvider clock, ILogger<NotificationService> logger)
{
    public const string MessageKind = "message";

    /// <summary>Notifies every member of a role in the office (or the whole office when the role is null).</summary>
    public async Task<int> NotifyRoleAsync(
        string officeId,
        string? role,
        string message,
        Guid? instanceId,
        Guid? taskId,
        CancellationToken ct)
    {
        var users = db.Users.Where(u => u.OfficeId == officeId);
        if (role is not null)
        {
            users = users.Where(u => db.UserRoles.Any(r => r.UserId == u.Id && r.RoleName == role));
        }

        var names = await users.Select(u => u.UserName).ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var name in names)
        {
            db.Add(new NotificationRecord
            {
                Id = Guid.NewGuid(),
                UserName = name,
                OfficeId = officeId,
                Kind = MessageKind,
                Message = message,
                InstanceId = instanceId,
                TaskId = taskId,
                CreatedAt = now,
            });
        }

        logger.LogInformation(
            "Notified {Count} member(s) of role {Role} in office {OfficeId} for instance {InstanceId}",
            names.Count,
            role ?? "(semua)",
            officeId,
            instanceId);
        return names.Count;
    }

    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(string userName, bool unreadOnly, CancellationToken ct)
    {
        var query = db.Set<NotificationRecord>().Where(n => n.UserName == userName);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        return await query.OrderByDescending(n => n.CreatedAt).Take(200).ToListAsync(ct);
    }

    public async Task<NotificationRecord> MarkReadAsync(string userName, Guid id, CancellationToken ct)
    {
        var notification = await db.Set<NotificationRecord>().FirstOrDefaultAsync(n => n.Id == id && n.UserName == userName, ct)
            ?? throw new NotFoundProblem("Notifikasi tidak ditemukan.");
        notification.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return notification;
    }
}
