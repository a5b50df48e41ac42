using System.Runtime.CompilerServices;
using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>
/// Which nodes a token can still get to from where it is, following sequence flows and the timers on an
/// activity's boundary. An inclusive join waits only for branches that can still deliver. Computed once per
/// model and kept as long as the model lives.
/// </summary>
internal sealed class Reachability
{
    private static readonly ConditionalWeakTable<ProcessModel, Reachability> Cache = new();

    private readonly Dictionary<string, HashSet<string>> _reachable = new(StringComparer.Ordinal);

    private Reachability(ProcessModel model)
    {
        foreach (var node in model.Nodes.Values)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<FlowNode>(Successors(node));
            while (pending.TryPop(out var next))
            {
                if (seen.Add(next.Id))
                {
                    foreach (var successor in Successors(next))
                    {
                        pending.Push(successor);
                    }
                }
            }

            _reachable[node.Id] = seen;
        }
    }

    public static Reachability Of(ProcessModel model) => Cache.GetValue(model, m => new Reachability(m));

    public bool CanReach(string fromNodeId, string toNodeId) =>
        string.Equals(fromNodeId, toNodeId, StringComparison.Ordinal)
        || (_reachable.TryGetValue(fromNodeId, out var reachable) && reachable.Contains(toNodeId));

    private static IEnumerable<FlowNode> Successors(FlowNode node) =>
        node.Outgoing.Select(f => f.Target).Concat(node.BoundaryEvents);
}
