namespace KinerjaWorkflow.Server.Notifications;

/// <summary>An in-app notification for one user (a send task's message, a reminder, an escalation).</summary>
public sealed class NotificationRecord
{
    public required Guid Id { get; set; }
    public required string UserName { get; set; }
    public required string OfficeId { get; set; }

    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; set; }
    public required string Subject { get; set; }
    public required string Message { get; set; }
    public Guid? InstanceId { get; set; }
    public Guid? TaskId { get; set; }

    /// <summary>Unique per user: the same logical notification sent again is not stored again.</summary>
    public required string DeduplicationKey { get; set; }
    public required DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}
