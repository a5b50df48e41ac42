using KinerjaWorkflow.Engine.Bpmn;

namespace KinerjaWorkflow.Engine.Model;

/// <summary>
/// Works out which outcomes a person may choose on a step: the step's declared outcomes, or else the
/// string literals that the conditions of the gateway right after it compare <c>outcome</c> with. A
/// person should never be offered a choice the process cannot route.
/// </summary>
internal static class OutcomeInference
{
    public const string OutcomeVariable = "outcome";

    /// <summary>
    /// One more than a step may offer is enough for the validator to refuse the step, and keeps everything
    /// worked out per outcome short whatever the file holds: a hundred thousand outcomes, each tried against
    /// two thousand conditions, held a processor for minutes.
    /// </summary>
    private const int Enough = BpmnLimits.MaxOutcomes + 1;

    public static IReadOnlyList<string> For(HumanTask task)
    {
        if (task.Step?.DeclaredOutcomes is { Count: > 0 } declared)
        {
            return declared.Count > Enough ? declared.Take(Enough).ToList() : declared;
        }

        var outcomes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flow in task.Outgoing)
        {
            Collect(flow, outcomes, seen);
            if (flow.Target is Gateway gateway && gateway.Kind != GatewayKind.Parallel && gateway.Incoming.Count == 1)
            {
                foreach (var next in gateway.Outgoing)
                {
                    Collect(next, outcomes, seen);
                }
            }
        }

        return outcomes;
    }

    private static void Collect(SequenceFlow flow, List<string> outcomes, HashSet<string> seen)
    {
        if (flow.Condition is null)
        {
            return;
        }

        foreach (var literal in flow.Condition.StringsComparedTo(OutcomeVariable))
        {
            if (outcomes.Count == Enough)
            {
                return;
            }

            if (seen.Add(literal))
            {
                outcomes.Add(literal);
            }
        }
    }
}
