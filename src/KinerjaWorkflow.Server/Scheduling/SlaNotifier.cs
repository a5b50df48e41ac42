using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Fires SLA steps exactly once. Deciding writes the reminder or escalation, with its recipients and text, to
/// sla_notifications under a unique (task, kind, level) key in one transaction; only a decided notification is
/// delivered, through <see cref="INotificationSender"/>, and a failed delivery is retried with growing pauses
/// until <c>Scheduling:DeliveryAttempts</c> is spent. A second firing of the same step, after a restart or from a
/// stale trigger, finds the key taken and does nothing.
/// </summary>
internal sealed class SlaNotifier(
    IServiceScopeFactory scopes,
    OfficeDirectory offices,
    SlaTriggers triggers,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<SlaNotifier> logger)
{
    private readonly int _maxAttempts = Math.Max(1, configuration.GetValue("Scheduling:DeliveryAttempts", 6));

    /// <summary>Decides a due step; returns the notification to deliver, or null when there is nothing (more) to send.</summary>
    public async Task<Guid?> DecideAsync(Guid stepId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var step = await db.SlaSteps.FirstOrDefaultAsync(s => s.Id == stepId, ct);
        if (step is null || step.Status != SlaStepStatus.Pending)
        {
            logger.LogInformation("SLA step {StepId} is {Status}; nothing to decide", stepId, step?.Status ?? "gone");
            return null;
        }

        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == step.TaskId, ct);
        if (task is null || task.Status is TaskStatusText.Completed or TaskStatusText.Cancelled || task.DueAt is null)
        {
            step.Status = SlaStepStatus.Cancelled;
            await db.SaveChangesAsync(ct);
            logger.LogInformation("SLA step {StepId} cancelled: task {TaskId} is {Status}", stepId, step.TaskId, task?.Status ?? "gone");
            return null;
        }

        var office = await offices.GetAsync(task.OfficeId, ct);
        var sopName = await db.Definitions
            .Where(d => d.Key == task.DefinitionKey && d.Version == task.DefinitionVersion)
            .Select(d => d.Name)
            .FirstOrDefaultAsync(ct) ?? task.DefinitionKey;
        var now = clock.GetUtcNow();
        var (subject, text) = step.Kind == SlaKinds.Reminder
            ? SlaMessages.Reminder(task, sopName, office.Calendar, office.Organization.TimeZoneId, now)
            : SlaMessages.Escalation(task, step.Level, sopName, office.Calendar, office.Organization.TimeZoneId, now);
        var recipients = await RecipientsAsync(db, step, task, ct);
        var notification = new SlaNotificationRecord
        {
            Id = Guid.NewGuid(),
            StepId = step.Id,
            TaskId = task.Id,
            InstanceId = task.InstanceId,
            OfficeId = task.OfficeId,
            Kind = step.Kind,
            Level = step.Level,
            Recipients = TaskRoles.Encode(recipients),
            Subject = subject,
            Text = text,
            DecidedAt = now,
            Status = SlaNotificationStatus.Pending,
        };
        db.SlaNotifications.Add(notification);
        step.Status = SlaStepStatus.Decided;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (!ct.IsCancellationRequested)
        {
            if (!await AlreadyDecidedAsync(step, ct))
            {
                throw;
            }

            logger.LogInformation("SLA {Kind} level {Level} of task {TaskId} was already decided; not again", step.Kind, step.Level, step.TaskId);
            return null;
        }

        if (recipients.Count == 0)
        {
            logger.LogWarning(
                "SLA {Kind} level {Level} of task {TaskId} at step {StepId} has no recipient in office {OfficeId} (role {Role})",
                step.Kind,
                step.Level,
                task.Id,
                task.StepId,
                task.OfficeId,
                step.Role ?? task.Roles);
        }

        logger.LogInformation(
            "SLA {Kind} level {Level} of task {TaskId} at step {StepId} of instance {InstanceId} decided for {Recipients}",
            step.Kind,
            step.Level,
            task.Id,
            task.StepId,
            task.InstanceId,
            recipients);
        return notification.Id;
    }

    /// <summary>Delivers a decided notification once; a failure is recorded and retried later.</summary>
    public async Task DeliverAsync(Guid notificationId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var notification = await db.SlaNotifications.FirstOrDefaultAsync(n => n.Id == notificationId, ct);
        if (notification is null || notification.Status != SlaNotificationStatus.Pending)
        {
            return;
        }

        notification.Attempts++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Notification {NotificationId} is being delivered by another run", notificationId);
            return;
        }

        try
        {
            // The sender writes through a context of its own, so its half-done work never rides on this record's save.
            using var sendScope = scopes.CreateScope();
            var sender = sendScope.ServiceProvider.GetService<INotificationSender>()
                ?? throw new InvalidOperationException("No INotificationSender is registered; SLA notifications cannot be delivered.");
            await sender.SendAsync(Message(notification), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RecordFailureAsync(db, notification, ex, ct);
            return;
        }

        notification.Status = SlaNotificationStatus.Delivered;
        notification.DeliveredAt = clock.GetUtcNow();
        notification.NextAttemptAt = null;
        notification.LastError = null;
        await db.SaveChangesAsync(ct);
        logger.LogInformation(
            "SLA {Kind} level {Level} of task {TaskId} delivered after {Attempts} attempt(s)",
            notification.Kind,
            notification.Level,
            notification.TaskId,
            notification.Attempts);
    }

    public static string DeduplicationKey(string kind, Guid taskId, int level) =>
        kind == SlaKinds.Reminder && level == 1 ? $"reminder:{taskId}" : $"{kind}:{taskId}:{level}";

    private static NotificationMessage Message(SlaNotificationRecord n) => new(
        n.OfficeId,
        TaskRoles.Decode(n.Recipients),
        n.Kind,
        n.Subject,
        n.Text,
        n.InstanceId,
        n.TaskId,
        DeduplicationKey(n.Kind, n.TaskId, n.Level));

    private async Task RecordFailureAsync(KinerjaDbContext db, SlaNotificationRecord notification, Exception error, CancellationToken ct)
    {
        notification.LastError = error.Message.Length <= 500 ? error.Message : error.Message[..500];
        if (notification.Attempts >= _maxAttempts)
        {
            notification.Status = SlaNotificationStatus.Failed;
            notification.NextAttemptAt = null;
            await db.SaveChangesAsync(ct);
            logger.LogError(
                error,
                "SLA {Kind} level {Level} of task {TaskId} not delivered after {Attempts} attempts; given up",
                notification.Kind,
                notification.Level,
                notification.TaskId,
                notification.Attempts);
            return;
        }

        var retryAt = clock.GetUtcNow() + TimeSpan.FromMinutes(Math.Min(360, Math.Pow(3, notification.Attempts - 1)));
        notification.NextAttemptAt = retryAt;
        await db.SaveChangesAsync(ct);
        await triggers.ScheduleDeliveryAsync(notification.Id, notification.Attempts, retryAt, ct);
        logger.LogWarning(
            error,
            "SLA {Kind} level {Level} of task {TaskId} not delivered (attempt {Attempts} of {MaxAttempts}); next attempt at {RetryAt}",
            notification.Kind,
            notification.Level,
            notification.TaskId,
            notification.Attempts,
            _maxAttempts,
            retryAt);
    }

    private static async Task<IReadOnlyList<string>> RecipientsAsync(KinerjaDbContext db, SlaStepRecord step, TaskRecord task, CancellationToken ct)
    {
        if (step.Kind == SlaKinds.Reminder && task.Assignee is { } assignee)
        {
            return [assignee];
        }

        var roles = step.Kind == SlaKinds.Reminder ? TaskRoles.Decode(task.Roles) : [step.Role!];
        return await db.Users
            .Where(u => u.OfficeId == task.OfficeId && db.UserRoles.Any(r => r.UserId == u.Id && roles.Contains(r.RoleName)))
            .Select(u => u.UserName)
            .OrderBy(n => n)
            .ToListAsync(ct);
    }

    private async Task<bool> AlreadyDecidedAsync(SlaStepRecord step, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        return await db.SlaNotifications.AnyAsync(n => n.TaskId == step.TaskId && n.Kind == step.Kind && n.Level == step.Level, ct);
    }
}
