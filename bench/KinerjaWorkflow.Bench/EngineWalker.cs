using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Offices;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The same walk as <see cref="ServiceWalker"/> in the pure engine: the compiled model the service uses, the
/// office's deadline calculator and default variables, the state kept in memory between commands.
/// </summary>
internal sealed class EngineWalker(ProcessModel model, WalkPlan plan, OfficeProfile office, DateTimeOffset now)
{
    private const int MaxRounds = 100;

    private static readonly IReadOnlyDictionary<string, JsonElement> NoVariables = new Dictionary<string, JsonElement>();

    /// <summary>Starts an instance and completes every task to the end; returns how many tasks were completed.</summary>
    public int Walk(OperationLog? starts, OperationLog? completions)
    {
        var start = new StartInstance(Guid.NewGuid(), "bench", office.DefaultVariables);
        var state = starts is null
            ? Execute(null, start, plan.Starter.UserName)
            : starts.Time(() => Execute(null, start, plan.Starter.UserName));
        var completed = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            if (state.Status == InstanceStatus.Completed)
            {
                return completed;
            }

            if (state.Tasks.IsEmpty)
            {
                throw new InvalidOperationException($"The engine's instance is {state.Status} with no open task.");
            }

            foreach (var task in state.Tasks)
            {
                var step = plan.Step(task.NodeId);
                var command = new CompleteTask(task.Id, step.Outcome, null, NoVariables);
                var before = state;
                state = completions is null
                    ? Execute(before, command, step.User.UserName)
                    : completions.Time(() => Execute(before, command, step.User.UserName));
                completed++;
            }
        }

        throw new InvalidOperationException($"The engine's instance has not ended after {MaxRounds} wait states.");
    }

    /// <summary>As the service's command runner calls the engine: a fresh context with the office's calendar.</summary>
    private InstanceState Execute(InstanceState? state, RuntimeCommand command, string user) =>
        WorkflowRuntime.Execute(model, state, command, new RuntimeContext
        {
            Now = now,
            User = user,
            Deadlines = office.DeadlinesFor(model),
        }).State;
}
