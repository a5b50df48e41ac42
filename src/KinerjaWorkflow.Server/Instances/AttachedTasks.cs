using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>
/// The task rows a command changes by key alone: attached with the columns the engine's state knows and the few it
/// changes, not read (<see cref="InstanceCommandRunner"/>). Every other task row the context tracks was read or added
/// whole, so a hook may trust its other columns, such as how many reminder levels it has put into the schedule.
/// After the command's save they leave the context, so a later query in the request reads them whole.
/// </summary>
public sealed class AttachedTasks
{
    private readonly List<TaskRecord> _tasks = [];

    public void Add(TaskRecord task) => _tasks.Add(task);

    public bool Contains(Guid taskId) => _tasks.Exists(t => t.Id == taskId);

    internal IReadOnlyList<TaskRecord> All => _tasks;

    internal void Clear() => _tasks.Clear();
}
