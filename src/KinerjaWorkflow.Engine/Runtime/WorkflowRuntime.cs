using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>
/// The token interpreter. Pure: given a process model, the current state and a command, it moves tokens
/// until each waits again and returns the new state and the effects. It never does I/O.
/// </summary>
public static partial class WorkflowRuntime
{
    public static RuntimeResult Execute(ProcessModel model, InstanceState? state, RuntimeCommand command, RuntimeContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        throw new NotImplementedException();
    }
}
