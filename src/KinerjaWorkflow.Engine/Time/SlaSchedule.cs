namespace KinerjaWorkflow.Engine.Time;

public enum SlaStepKind
{
    /// <summary>The step's own assignees are reminded before the deadline.</summary>
    Reminder,

    /// <summary>The deadline passed: one level further up the chain is told.</summary>
    Escalation,
}

/// <summary>
/// One planned reminder or escalation. <paramref name="Recipient"/> is the role told, or null for the office's
/// admins (an escalation of the head of office's own step when the office names no recipient for it); a
/// reminder goes to the step's assignees and has none.
/// </summary>
public sealed record SlaPlanStep(SlaStepKind Kind, int Level, string? Recipient, DateTimeOffset At);

/// <summary>An office's reminder and escalation settings, as its organization.yaml states them.</summary>
/// <param name="ReminderAt">The share of the step's allowed working time after which its assignees are reminded, above 0 and below 1.</param>
/// <param name="EscalationInterval">The time between one escalation level and the next, counted like a Waktu.</param>
public sealed record SlaPolicy(double ReminderAt, WaktuDuration EscalationInterval);

/// <summary>
/// When a step with a deadline reminds and escalates (docs/business-time.md, "Pengingat dan eskalasi"): a reminder
/// once <see cref="SlaPolicy.ReminderAt"/> of the allowed working time has passed; escalation level 1 at the
/// deadline, level 2 one <see cref="SlaPolicy.EscalationInterval"/> later, and so on up the chain, each interval
/// counted by the same rules as a deadline, so no level lands on a holiday, at night or on top of the one before.
/// </summary>
public static class SlaSchedule
{
    /// <param name="chain">
    /// Who each escalation level goes to, nearest first: the step's supervisor, theirs, up to the head of office.
    /// For the head's own step, the office's named recipient, or a single null for its admins; never empty, so an
    /// overdue step always reaches someone.
    /// </param>
    public static IReadOnlyList<SlaPlanStep> Plan(
        DateTimeOffset createdAt,
        DateTimeOffset dueAt,
        BusinessCalendar calendar,
        SlaPolicy settings,
        IReadOnlyList<string?> chain)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(chain);
        if (settings.ReminderAt is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ReminderAt, "The reminder share must lie between 0 and 1.");
        }

        if (settings.EscalationInterval.Amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.EscalationInterval, "The escalation interval must be longer than zero.");
        }

        var steps = new List<SlaPlanStep>();
        var allowed = calendar.WorkingTimeBetween(createdAt, dueAt);
        if (allowed > TimeSpan.Zero)
        {
            var remindAfter = TimeSpan.FromSeconds(Math.Round(allowed.TotalSeconds * settings.ReminderAt));
            var remindAt = calendar.AddOfficeTime(calendar.CountingStart(createdAt), remindAfter);
            if (remindAt < dueAt)
            {
                steps.Add(new SlaPlanStep(SlaStepKind.Reminder, 1, null, remindAt));
            }
        }

        var at = calendar.ToLocal(dueAt);
        for (var level = 1; level <= chain.Count; level++)
        {
            steps.Add(new SlaPlanStep(SlaStepKind.Escalation, level, chain[level - 1], at));
            at = calendar.Add(at, settings.EscalationInterval);
        }

        return steps;
    }
}
