using System.Text.Json;
using KinerjaWorkflow.Engine.Conditions;

namespace KinerjaWorkflow.Engine.Model;

/// <summary>
/// Works out which of a step's outcomes send the work back: the flow the outcome takes leads to a node from which
/// the step itself can be reached again, so someone before it gets the work a second time. Derived from the
/// diagram, never from the outcome's wording, so "perbaiki" and "Dikembalikan" are judged alike.
/// </summary>
internal static class SendBackOutcomes
{
    public static IReadOnlyList<string> For(HumanTask task, Func<string, string, bool> canReach) =>
        task.Outcomes
            .Where(outcome => FlowsTaken(task, outcome).Any(flow => canReach(flow.TargetId, task.Id)))
            .ToList();

    /// <summary>
    /// The flows a token takes on completion with this outcome: the step's own conditional flows that hold, and
    /// the choice of the exclusive or inclusive gateway right after it (its default flow when no condition holds).
    /// </summary>
    private static IEnumerable<SequenceFlow> FlowsTaken(HumanTask task, string outcome)
    {
        var variables = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            [OutcomeInference.OutcomeVariable] = JsonSerializer.SerializeToElement(outcome),
        };
        foreach (var flow in task.Outgoing)
        {
            if (flow.Condition is not null)
            {
                if (Holds(flow.Condition, variables))
                {
                    yield return flow;
                }

                continue;
            }

            if (flow.Target is Gateway { Kind: not GatewayKind.Parallel, Incoming.Count: 1 } gateway)
            {
                var chosen = gateway.Outgoing.Where(f => f.Condition is not null && Holds(f.Condition, variables)).ToList();
                foreach (var next in chosen.Count > 0 ? chosen : gateway.Outgoing.Where(f => f.Id == gateway.DefaultFlowId))
                {
                    yield return next;
                }
            }
        }
    }

    private static bool Holds(Condition condition, IReadOnlyDictionary<string, JsonElement> variables)
    {
        try
        {
            return condition.Evaluate(variables);
        }
        catch (ConditionEvaluationException)
        {
            return false;
        }
    }
}
