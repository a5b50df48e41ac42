namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>What the cancel rule (docs/cancel-an-instance.md) answers for one person and one instance.</summary>
public enum CancelRight
{
    /// <summary>The person may cancel it now.</summary>
    Allowed,

    /// <summary>Neither an admin nor the person who started it.</summary>
    NotStarter,

    /// <summary>The person who started it, but someone has already completed a step: only an admin may now.</summary>
    PastFirstStep,

    /// <summary>The instance has already ended (completed, cancelled or terminated); nobody can cancel it.</summary>
    Ended,
}

/// <summary>
/// Who may cancel a running instance by hand: an admin at any time, and the person who started it while it is
/// still at its first step, that is while nobody has completed a step of it. Once work has been done, undoing
/// it is an admin's decision.
/// </summary>
public static class Cancellers
{
    public static CancelRight RightOf(InstanceState state, string? startedBy, string user, bool isAdmin)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status != InstanceStatus.Active)
        {
            return CancelRight.Ended;
        }

        if (isAdmin)
        {
            return CancelRight.Allowed;
        }

        if (startedBy is null || !string.Equals(startedBy, user, StringComparison.Ordinal))
        {
            return CancelRight.NotStarter;
        }

        return state.EndedTasks.Any(t => t.Ending == TaskEnding.Completed) ? CancelRight.PastFirstStep : CancelRight.Allowed;
    }
}
