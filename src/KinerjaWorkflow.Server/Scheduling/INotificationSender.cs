namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Delivers a message to people on every channel the office has (in-app, email, webhook). Idempotent by
/// <see cref="NotificationMessage.DeduplicationKey"/>: sending the same key twice delivers once, so callers
/// may retry freely.
/// </summary>
public interface INotificationSender
{
    Task SendAsync(NotificationMessage message, CancellationToken ct);
}

/// <param name="Kind">message, reminder or escalation.</param>
/// <param name="DeduplicationKey">Stable per logical notification, e.g. "reminder:{taskId}" or "escalation:{taskId}:{level}".</param>
public sealed record NotificationMessage(
    string OfficeId,
    IReadOnlyList<string> UserNames,
    string Kind,
    string Subject,
    string Text,
    Guid? InstanceId,
    Guid? TaskId,
    string DeduplicationKey);

/// <summary>Sends a send task's message to every member of a role in the office (the whole office when the role is null).</summary>
public interface IRoleNotifier
{
    Task<int> NotifyRoleAsync(
        string officeId,
        string? role,
        string message,
        Guid? instanceId,
        Guid? taskId,
        string deduplicationKey,
        CancellationToken ct);
}
