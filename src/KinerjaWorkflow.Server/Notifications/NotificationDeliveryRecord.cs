namespace KinerjaWorkflow.Server.Notifications;

/// <summary>
/// One outbound delivery of a notification (an email to one address, a POST to one webhook): written in the
/// same transaction as the in-app notifications, so it is never lost, and delivered by
/// <see cref="NotificationDeliveries"/> from the schedule, retried by Hangfire. A delivery that failed its last attempt stays as a
/// dead letter with its last error.
/// </summary>
public sealed class NotificationDeliveryRecord
{
    public required Guid Id { get; set; }
    public required string OfficeId { get; set; }

    /// <summary>email or webhook (<see cref="DeliveryChannels"/>).</summary>
    public required string Channel { get; set; }

    /// <summary>The email address or the webhook URL.</summary>
    public required string Target { get; set; }
    public required string Kind { get; set; }
    public required string DeduplicationKey { get; set; }

    /// <summary>What is sent: the email (<see cref="EmailPayload"/>) or the webhook's exact JSON body.</summary>
    public required string PayloadJson { get; set; }

    /// <summary>pending, delivered or dead (<see cref="DeliveryStatus"/>).</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public required DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public required DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

public static class DeliveryChannels
{
    public const string Email = "email";
    public const string Webhook = "webhook";
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";
}

/// <summary>An email as queued: the text is fixed when the notification is sent, not when it is delivered.</summary>
public sealed record EmailPayload(string To, string? ToName, string Subject, string Body);
