using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// One planned SLA step of a human task: its reminder, or one level of its escalation chain. Written in the
/// transaction that creates the task, so the plan survives anything that happens to the scheduler; Quartz only
/// holds a trigger per pending row.
/// </summary>
public sealed class SlaStepRecord
{
    public required Guid Id { get; set; }
    public required Guid TaskId { get; set; }
    public required Guid InstanceId { get; set; }
    public required string OfficeId { get; set; }

    /// <summary>reminder or escalation.</summary>
    public required string Kind { get; set; }

    /// <summary>1 for the reminder; 1, 2, … for each escalation level up the supervisor chain.</summary>
    public required int Level { get; set; }

    /// <summary>The supervisor role an escalation goes to; null for the reminder, whose recipients follow the task.</summary>
    public string? Role { get; set; }
    public required DateTimeOffset DueAt { get; set; }

    /// <summary>pending, decided (its notification is recorded) or cancelled.</summary>
    public required string Status { get; set; }
}

/// <summary>
/// A reminder or escalation that was decided, recorded before it is delivered. The unique key (task, kind,
/// level) is what makes each fire exactly once, whatever the scheduler does twice.
/// </summary>
public sealed class SlaNotificationRecord
{
    public required Guid Id { get; set; }
    public required Guid StepId { get; set; }
    public required Guid TaskId { get; set; }
    public required Guid InstanceId { get; set; }
    public required string OfficeId { get; set; }
    public required string Kind { get; set; }
    public required int Level { get; set; }

    /// <summary>The user names told, as "|a|b|".</summary>
    public required string Recipients { get; set; }
    public required string Subject { get; set; }
    public required string Text { get; set; }
    public required DateTimeOffset DecidedAt { get; set; }

    /// <summary>pending (not delivered yet), delivered or failed (given up after the last attempt).</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>One occurrence of a timer start event that started an instance; the key makes it once per occurrence.</summary>
public sealed class TimerStartRecord
{
    public required string DefinitionKey { get; set; }
    public required string StartEventId { get; set; }
    public required DateTimeOffset OccurrenceAt { get; set; }
    public required string OfficeId { get; set; }
    public required string BusinessKey { get; set; }
    public required DateTimeOffset StartedAt { get; set; }
}

internal static class SlaKinds
{
    public const string Reminder = "reminder";
    public const string Escalation = "escalation";
}

internal static class SlaStepStatus
{
    public const string Pending = "pending";
    public const string Decided = "decided";
    public const string Cancelled = "cancelled";
}

internal static class SlaNotificationStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

internal sealed class SlaStepConfiguration : IEntityTypeConfiguration<SlaStepRecord>
{
    public void Configure(EntityTypeBuilder<SlaStepRecord> e)
    {
        e.ToTable("sla_steps");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.TaskId, x.Kind, x.Level }).IsUnique();
        e.HasIndex(x => new { x.Status, x.DueAt });
    }
}

internal sealed class SlaNotificationConfiguration : IEntityTypeConfiguration<SlaNotificationRecord>
{
    public void Configure(EntityTypeBuilder<SlaNotificationRecord> e)
    {
        e.ToTable("sla_notifications");
        e.HasKey(x => x.Id);

        // An attempt is claimed by bumping the count, so two deliveries of one notification never run at once.
        e.Property(x => x.Attempts).IsConcurrencyToken();
        e.HasIndex(x => new { x.TaskId, x.Kind, x.Level }).IsUnique();
        e.HasIndex(x => x.Status);
    }
}

internal sealed class TimerStartConfiguration : IEntityTypeConfiguration<TimerStartRecord>
{
    public void Configure(EntityTypeBuilder<TimerStartRecord> e)
    {
        e.ToTable("timer_starts");
        e.HasKey(x => new { x.DefinitionKey, x.StartEventId, x.OccurrenceAt });
    }
}
