namespace KinerjaWorkflow.Server.Offices;

/// <summary>What a notification is about; also the names a webhook lists under <c>events</c>.</summary>
public static class NotificationKinds
{
    /// <summary>A send task's message.</summary>
    public const string Message = "message";
    public const string Reminder = "reminder";
    public const string Escalation = "escalation";

    /// <summary>A new task for the people who may work on it.</summary>
    public const string Task = "task";

    public static IReadOnlyList<string> All { get; } = [Message, Reminder, Escalation, Task];
}
