namespace KinerjaWorkflow.Engine.Model;

/// <summary>
/// Collects nodes and flows (from the BPMN reader or from tests) and links them into a
/// <see cref="ProcessModel"/>. Dangling references are not an exception here: they are kept out of the
/// links and listed in <see cref="ProcessModelBuilder.DanglingFlows"/> for the validator to report.
/// </summary>
public sealed class ProcessModelBuilder
{
    private readonly List<(FlowNode Node, string ScopeId)> _nodes = [];
    private readonly List<(SequenceFlow Flow, string ScopeId)> _flows = [];
    private readonly List<Lane> _lanes = [];
    private readonly List<SequenceFlow> _dangling = [];

    public ProcessModelBuilder(string key, string? name = null)
    {
        Key = key;
        Name = name;
    }

    public string Key { get; }
    public string? Name { get; }
    public SopIdentity? Identity { get; set; }
    public string? WaktuSatuan { get; set; }
    public IReadOnlyList<string>? StarterRoles { get; set; }

    /// <summary>Flows whose source or target does not exist; filled by <see cref="Build"/>.</summary>
    public IReadOnlyList<SequenceFlow> DanglingFlows => _dangling;

    /// <summary>Adds a node to the process (scopeId null) or to the embedded sub-process with that id.</summary>
    public ProcessModelBuilder Add(FlowNode node, string? scopeId = null)
    {
        _nodes.Add((node, scopeId ?? Key));
        return this;
    }

    public ProcessModelBuilder Add(SequenceFlow flow, string? scopeId = null)
    {
        _flows.Add((flow, scopeId ?? Key));
        return this;
    }

    public ProcessModelBuilder Add(Lane lane)
    {
        _lanes.Add(lane);
        return this;
    }

    public ProcessModel Build()
    {
        var root = new Scope { Id = Key };
        var scopes = new Dictionary<string, Scope>(StringComparer.Ordinal) { [Key] = root };
        foreach (var sub in _nodes.Select(n => n.Node).OfType<SubProcess>())
        {
            scopes[sub.Id] = sub.Inner;
            sub.Inner.Owner = sub;
        }

        var allNodes = new Dictionary<string, FlowNode>(StringComparer.Ordinal);
        foreach (var (node, scopeId) in _nodes)
        {
            if (!scopes.TryGetValue(scopeId, out var scope))
            {
                throw new InvalidOperationException($"No scope '{scopeId}' for {node}.");
            }

            scope.Add(node);
            allNodes[node.Id] = node;
        }

        var allFlows = new Dictionary<string, SequenceFlow>(StringComparer.Ordinal);
        foreach (var (flow, scopeId) in _flows)
        {
            allFlows[flow.Id] = flow;
            if (!allNodes.TryGetValue(flow.SourceId, out var source) || !allNodes.TryGetValue(flow.TargetId, out var target))
            {
                _dangling.Add(flow);
                continue;
            }

            flow.Source = source;
            flow.Target = target;
            source.AddOutgoing(flow);
            target.AddIncoming(flow);
            (scopes.TryGetValue(scopeId, out var scope) ? scope : root).Add(flow);
        }

        foreach (var boundary in allNodes.Values.OfType<BoundaryTimerEvent>())
        {
            if (allNodes.TryGetValue(boundary.AttachedToId, out var host) && host is Activity activity)
            {
                boundary.AttachedTo = activity;
                activity.AddBoundaryEvent(boundary);
            }
        }

        foreach (var lane in _lanes)
        {
            foreach (var id in lane.NodeIds)
            {
                if (allNodes.TryGetValue(id, out var node) && node is HumanTask task)
                {
                    task.LaneRole = lane.Role;
                }
            }
        }

        foreach (var task in allNodes.Values.OfType<HumanTask>())
        {
            task.Outcomes = OutcomeInference.For(task);
        }

        var model = new ProcessModel(Key, Name, root, _lanes.ToList(), Identity, WaktuSatuan, StarterRoles, allNodes, allFlows);
        var reachability = Runtime.Reachability.Of(model);
        foreach (var task in allNodes.Values.OfType<HumanTask>())
        {
            task.SendBackOutcomes = SendBackOutcomes.For(task, reachability.CanReach);
        }

        return model;
    }
}
