using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>
/// The token interpreter. Pure: given a process model, the current state and a command, it moves tokens
/// until each waits again and returns the new state and the effects. It never does I/O.
/// </summary>
public static partial class WorkflowRuntime
{
    /// <summary>
    /// How many times one command may move a token into a node before it is refused as an endless loop (a
    /// cycle of gateways with no task, timer or job to wait in).
    /// </summary>
    public const int MaxStepsPerCommand = 10_000;

    public static RuntimeResult Execute(ProcessModel model, InstanceState? state, RuntimeCommand command, RuntimeContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);

        if (command is StartInstance start)
        {
            return state is null
                ? InstanceRun.Start(model, start, context)
                : throw new RuntimeCommandException(RuntimeErrorKind.Conflict, "Proses ini sudah dimulai.");
        }

        if (state is null)
        {
            throw new RuntimeCommandException(RuntimeErrorKind.NotFound, "Proses berjalan tidak ditemukan.");
        }

        if (!string.Equals(state.DefinitionKey, model.Key, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The instance runs definition '{state.DefinitionKey}', not '{model.Key}'.", nameof(model));
        }

        var run = new InstanceRun(model, state, context);
        return command switch
        {
            ClaimTask claim => run.Claim(claim),
            UnclaimTask unclaim => run.Unclaim(unclaim),
            AssignTask assign => run.Assign(assign),
            CompleteTask complete => run.Complete(complete),
            FireTimer fire => run.Fire(fire),
            CompleteJob done => run.CompleteJob(done),
            FailJob failed => run.FailJob(failed),
            ReportScheduledFailure failure => run.ReportScheduledFailure(failure),
            RetryIncident retry => run.Retry(retry),
            CompleteCalledInstance called => run.CompleteCalled(called),
            CancelInstance cancel => run.Cancel(cancel),
            _ => throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command)),
        };
    }
}
