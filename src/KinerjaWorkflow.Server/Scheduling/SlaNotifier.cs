using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Sends a due reminder or escalation level. The task is read when the item fires, so a reassigned task
/// reminds its new holder and a finished one sends nothing. A reminder is sent only while the deadline is
/// still ahead (late, the escalation says it instead), with the working time left. The notification's key
/// (task, kind, level) and the notifications' unique (recipient, key) make a second run send nothing: the
/// item is finished in the sender's transaction.
/// </summary>
internal sealed class SlaNotifier(
    KinerjaDbContext db,
    INotificationSender sender,
    OfficeDirectory offices,
    PeopleNames people,
    TimeProvider clock,
    KinerjaMetrics metrics,
    ScheduledIncidents incidents,
    ILogger<SlaNotifier> logger) : IScheduledItemPerformer
{
    public IReadOnlyList<string> Kinds { get; } = [ScheduledKinds.Reminder, ScheduledKinds.Escalation];

    public async Task PerformAsync(ScheduledItemRecord item, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == item.TaskId, ct);
        if (task is null || task.Status is TaskStatusText.Completed or TaskStatusText.Cancelled || task.DueAt is not { } dueAt)
        {
            item.Finish(ScheduledStatus.Cancelled, now, $"task {task?.Status ?? "gone"}");
            logger.LogInformation("SLA {Kind} level {Level} of task {TaskId} not sent: the task is {Status}", item.Kind, item.Level, item.TaskId, task?.Status ?? "gone");
            return;
        }

        if (item.Kind == ScheduledKinds.Reminder && now >= dueAt)
        {
            item.Finish(ScheduledStatus.Cancelled, now, "deadline passed: the escalation is sent instead");
            logger.LogInformation("Reminder of task {TaskId} not sent: its deadline {DueAt} has passed, the escalation tells instead", task.Id, dueAt);
            return;
        }

        var office = await offices.GetAsync(task.OfficeId, ct);
        var sopName = await db.Definitions
            .Where(d => d.Key == task.DefinitionKey && d.Version == task.DefinitionVersion)
            .Select(d => d.Name)
            .FirstOrDefaultAsync(ct) ?? task.DefinitionKey;
        var (subject, text) = item.Kind == ScheduledKinds.Reminder
            ? SlaMessages.Reminder(task, sopName, office.Calendar, office.Organization.TimeZoneId, now)
            : SlaMessages.Escalation(task, await people.OfAsync(task.OfficeId, task.Assignee, ct), item.Level, sopName, office.Calendar, office.Organization.TimeZoneId, now);
        var recipients = await RecipientsAsync(item, task, ct);
        if (recipients.Count == 0)
        {
            logger.LogWarning(
                "SLA {Kind} level {Level} of task {TaskId} at step {StepId} has no recipient in office {OfficeId} (role {Role})",
                item.Kind,
                item.Level,
                task.Id,
                task.StepId,
                task.OfficeId,
                item.Role ?? task.Roles);
        }

        item.Finish(ScheduledStatus.Done, now);
        await sender.SendAsync(
            new NotificationMessage(task.OfficeId, recipients, item.Kind, subject, text, task.InstanceId, task.Id, DeduplicationKey(item.Kind, task.Id, item.Level)),
            ct);
        if (item.Kind == ScheduledKinds.Reminder)
        {
            metrics.ReminderSent(task.OfficeId, task.DefinitionKey);
        }
        else
        {
            metrics.EscalationSent(task.OfficeId, task.DefinitionKey);
            if (item.Level == 1)
            {
                metrics.DeadlineMissed(task.OfficeId, task.DefinitionKey);
            }
        }

        metrics.SchedulingLag(now - item.DueAt, item.Kind);
        logger.LogInformation(
            "SLA {Kind} level {Level} of task {TaskId} at step {StepId} of instance {InstanceId} sent to {Recipients}",
            item.Kind,
            item.Level,
            task.Id,
            task.StepId,
            task.InstanceId,
            recipients);
    }

    public Task AttemptFailedAsync(ScheduledItemRecord item, string error, bool final, CancellationToken ct) =>
        !final
            ? Task.CompletedTask
            : incidents.RaiseAsync(
                item,
                async (db, ct) =>
                {
                    var (stepId, stepName) = await ScheduledIncidents.StepOfTaskAsync(db, item.TaskId, ct);
                    var what = item.Kind == ScheduledKinds.Reminder ? "Pengingat" : $"Eskalasi tingkat {item.Level}";
                    return (stepId, $"{what} langkah \"{stepName}\" {ScheduledIncidents.Failed(item.Attempts, error)}");
                },
                ct);

    public static string DeduplicationKey(string kind, Guid taskId, int level) =>
        kind == ScheduledKinds.Reminder && level == 1 ? $"reminder:{taskId}" : $"{kind}:{taskId}:{level}";

    private async Task<IReadOnlyList<string>> RecipientsAsync(ScheduledItemRecord item, TaskRecord task, CancellationToken ct)
    {
        if (item.Kind == ScheduledKinds.Reminder && task.Assignee is { } assignee)
        {
            return [assignee];
        }

        if (item.Kind == ScheduledKinds.Escalation && item.Role is null)
        {
            // The head of office's own overdue step, in an office that names no role to take it: its admins do.
            return await db.Users
                .Where(u => u.OfficeId == task.OfficeId && u.IsAdmin && !u.IsDisabled)
                .Select(u => u.UserName)
                .OrderBy(n => n)
                .ToListAsync(ct);
        }

        var roles = item.Kind == ScheduledKinds.Reminder ? TaskRoles.Decode(task.Roles) : [item.Role!];
        return await db.Users
            .Where(u => u.OfficeId == task.OfficeId && db.UserRoles.Any(r => r.UserId == u.Id && roles.Contains(r.RoleName)))
            .Select(u => u.UserName)
            .OrderBy(n => n)
            .ToListAsync(ct);
    }
}
