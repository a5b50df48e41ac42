using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>
/// Tells the person a task was just handed to, on every channel the office has (in-app, email, webhooks of
/// "task"), and pushes the task to the open inboxes that show it, so the new holder sees it without reloading.
/// Sent after the handover committed: a handover that failed tells nobody.
/// </summary>
public sealed class HandoverNotices(
    KinerjaDbContext db,
    INotificationSender sender,
    OfficeDirectory offices,
    LiveNotifications live,
    TimeProvider clock)
{
    /// <summary>The deduplication keys of a task's handover notices start with this.</summary>
    public static string KeyPrefix(Guid taskId) => $"handover:{taskId}:";

    /// <param name="handover">Tells this handover from the task's others (the instance's version after it), so each is sent once.</param>
    public async Task SendAsync(TaskRecord task, string newHolder, string byName, string? reason, long handover, CancellationToken ct)
    {
        var sopName = await db.Definitions.AsNoTracking()
            .Where(d => d.OfficeId == task.OfficeId && d.Key == task.DefinitionKey && d.Version == task.DefinitionVersion)
            .Select(d => d.Name)
            .FirstOrDefaultAsync(ct) ?? task.DefinitionKey;
        var office = await offices.GetAsync(task.OfficeId, ct);
        var text = NotificationTexts.Handover(SopContext.For(task, sopName, office.Calendar, clock.GetUtcNow()), byName, reason);
        await sender.SendAsync(
            new NotificationMessage(
                task.OfficeId,
                [newHolder],
                NotificationKinds.Task,
                text.Subject,
                text.Text,
                task.InstanceId,
                task.Id,
                $"{KeyPrefix(task.Id)}{handover}"),
            ct);
        live.Publish(task);
    }
}
