namespace KinerjaWorkflow.Engine.Model;

/// <summary>A set of nodes connected by flows: the process itself, or an embedded sub-process.</summary>
public sealed class Scope
{
    private readonly Dictionary<string, FlowNode> _nodes = new(StringComparer.Ordinal);
    private readonly List<SequenceFlow> _flows = [];

    public required string Id { get; init; }

    /// <summary>The sub-process that owns this scope, or null for the process.</summary>
    public SubProcess? Owner { get; internal set; }

    public Scope? Parent => Owner?.Scope;

    public IReadOnlyDictionary<string, FlowNode> Nodes => _nodes;
    public IReadOnlyList<SequenceFlow> Flows => _flows;

    public IEnumerable<StartEvent> StartEvents => _nodes.Values.OfType<StartEvent>();

    internal void Add(FlowNode node)
    {
        _nodes.Add(node.Id, node);
        node.Scope = this;
    }

    internal void Add(SequenceFlow flow) => _flows.Add(flow);
}
