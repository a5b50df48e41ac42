using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// One thing the service must do at <see cref="DueAt"/>: a reminder, an escalation level, an engine timer, a timer
/// start occurrence, a service task or an outbound delivery. Written in the transaction of the command that makes
/// it due, so the schedule is never only in Hangfire's storage: the sweep hands due rows to Hangfire, and the
/// row's <see cref="Key"/> is unique, so planning the same thing twice keeps one row.
/// </summary>
public sealed class ScheduledItemRecord
{
    public required Guid Id { get; set; }

    /// <summary>One of <see cref="ScheduledKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>What the row stands for, e.g. "escalation:{task}:2" or "engine-timer:{timer}".</summary>
    public required string Key { get; set; }
    public required DateTimeOffset DueAt { get; set; }

    /// <summary>One of <see cref="ScheduledStatus"/>.</summary>
    public required string Status { get; set; }
    public string? OfficeId { get; set; }
    public Guid? InstanceId { get; set; }
    public Guid? TaskId { get; set; }

    /// <summary>The escalation level (1 for the reminder); 0 for other kinds.</summary>
    public int Level { get; set; }

    /// <summary>The supervisor role an escalation goes to.</summary>
    public string? Role { get; set; }

    /// <summary>The row the item acts on: a timer, job or delivery id, or "definition/startEvent" of a timer start.</summary>
    public string? Reference { get; set; }

    /// <summary>Runs started, successful or not.</summary>
    public int Attempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>The Hangfire job that runs it, once the sweep has handed it over.</summary>
    public string? JobId { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public required DateTimeOffset CreatedAt { get; set; }

    public static ScheduledItemRecord Pending(string kind, string key, DateTimeOffset dueAt, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Kind = kind,
        Key = key,
        DueAt = dueAt,
        Status = ScheduledStatus.Pending,
        CreatedAt = now,
    };

    /// <summary>Marks the item finished; saved with whatever effect the caller writes in the same transaction.</summary>
    public void Finish(string status, DateTimeOffset now, string? note = null)
    {
        Status = status;
        FinishedAt = now;
        LastError = note;
    }
}

public static class ScheduledKinds
{
    public const string Reminder = "reminder";
    public const string Escalation = "escalation";
    public const string EngineTimer = "engine-timer";
    public const string TimerStart = "timer-start";
    public const string ServiceTask = "service-task";
    public const string Delivery = "delivery";

    public static string SlaKey(string kind, Guid taskId, int level) => $"{kind}:{taskId}:{level}";

    public static string ReferenceKey(string kind, Guid reference) => $"{kind}:{reference}";
}

/// <summary>pending → enqueued (handed to Hangfire) → done, cancelled (nothing left to do) or failed (retries spent).</summary>
public static class ScheduledStatus
{
    public const string Pending = "pending";
    public const string Enqueued = "enqueued";
    public const string Done = "done";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";

    public static bool IsOpen(string status) => status is Pending or Enqueued or Failed;
}

internal sealed class ScheduledItemConfiguration : IEntityTypeConfiguration<ScheduledItemRecord>
{
    public void Configure(EntityTypeBuilder<ScheduledItemRecord> e)
    {
        e.ToTable("scheduled_items");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.Key).IsUnique();
        e.HasIndex(x => new { x.Status, x.DueAt });
        e.HasIndex(x => x.TaskId);
    }
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

internal sealed class TimerStartConfiguration : IEntityTypeConfiguration<TimerStartRecord>
{
    public void Configure(EntityTypeBuilder<TimerStartRecord> e)
    {
        e.ToTable("timer_starts");
        e.HasKey(x => new { x.DefinitionKey, x.StartEventId, x.OccurrenceAt });
    }
}

/// <summary>The schedule's tables on the one context; they are the schedule's, so the context does not name them.</summary>
public static class SchedulingTables
{
    extension(KinerjaDbContext db)
    {
        public DbSet<ScheduledItemRecord> ScheduledItems => db.Set<ScheduledItemRecord>();

        public DbSet<TimerStartRecord> TimerStarts => db.Set<TimerStartRecord>();
    }
}
