using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>
/// Told of each command's effects on an instance inside the command's transaction: the runner calls it after it
/// has applied the effects and before it saves, so whatever a hook adds to the context commits with the command
/// or not at all.
/// </summary>
public interface IInstanceEffectsHook
{
    Task OnEffectsAsync(InstanceRecord instance, IReadOnlyList<RuntimeEffect> effects, CancellationToken ct);
}

/// <summary>
/// Told once a command has committed, with the tasks it created: live pushes and waking the scheduler must not
/// happen for a command that failed, and the runner should not know who listens.
/// </summary>
public interface ICommittedCommandListener
{
    void OnCommitted(KinerjaDbContext db, IReadOnlyList<TaskRecord> createdTasks);
}
