namespace KinerjaWorkflow.Engine.Model;

/// <summary>
/// Works out which outcomes a person may choose on a step: the step's declared outcomes, or else the
/// string literals that the conditions of the gateway right after it compare <c>outcome</c> with. A
/// person should never be offered a choice the process cannot route.
/// </summary>
internal static class OutcomeInference
{
    public const string OutcomeVariable = "outcome";

    public static IReadOnlyList<string> For(HumanTask task)
    {
        if (task.Step?.DeclaredOutcomes is { Count: > 0 } declared)
        {
            return declared;
        }

        var outcomes = new List<string>();
        foreach (var flow in task.Outgoing)
        {
            Collect(flow, outcomes);
            if (flow.Target is Gateway gateway && gateway.Kind != GatewayKind.Parallel && gateway.Incoming.Count == 1)
            {
                foreach (var next in gateway.Outgoing)
                {
                    Collect(next, outcomes);
                }
            }
        }

        return outcomes;
    }

    private static void Collect(SequenceFlow flow, List<string> outcomes)
    {
        if (flow.Condition is null)
        {
            return;
        }

        foreach (var literal in flow.Condition.StringsComparedTo(OutcomeVariable))
        {
            if (!outcomes.Contains(literal, StringComparer.Ordinal))
            {
                outcomes.Add(literal);
            }
        }
    }
}
