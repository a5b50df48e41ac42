using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>
/// The shape of the graph: links, start and end events, and whether every element lies on a path from a
/// start to an end. A broken link is reported once, where it is broken, not again at every element whose
/// path it cuts.
/// </summary>
internal sealed partial class ValidationRun
{
    private void CheckFlows()
    {
        foreach (var flow in _model.Flows.Values)
        {
            var label = Describe.Flow(flow);
            var sourceExists = _model.Nodes.TryGetValue(flow.SourceId, out var source);
            var targetExists = _model.Nodes.TryGetValue(flow.TargetId, out var target);
            if (!sourceExists)
            {
                Error(flow, flow.SourceId.Length == 0
                    ? $"{label} tidak memiliki sumber (sourceRef)."
                    : $"{label} berasal dari \"{flow.SourceId}\", yang tidak ada dalam proses.");
            }

            if (!targetExists)
            {
                Error(flow, flow.TargetId.Length == 0
                    ? $"{label} tidak memiliki tujuan (targetRef)."
                    : $"{label} menuju \"{flow.TargetId}\", yang tidak ada dalam proses.");
            }

            if (source is not null && target is not null && source.Scope != target.Scope)
            {
                Error(flow, $"{label} menghubungkan {Describe.Node(source)} dan {Describe.Node(target)}, yang berada di cakupan berbeda; alur tidak boleh menembus batas sub-proses.");
            }
        }
    }

    private void CheckScope(Scope scope)
    {
        var label = Describe.Scope(_model, scope);
        var starts = scope.Nodes.Values.Where(n => n is StartEvent or UnsupportedNode { IsStart: true }).ToList();
        if (starts.Count == 0)
        {
            ErrorOnScope(scope, $"{label} tidak memiliki peristiwa awal.");
        }

        foreach (var extra in starts.OfType<StartEvent>().Where(s => s.Timer is null).Skip(1))
        {
            Error(extra, $"{Describe.Node(extra)} adalah peristiwa awal biasa kedua dalam {label}; hanya satu peristiwa awal biasa yang boleh ada, sebab proses tidak tahu harus mulai dari mana.");
        }

        if (scope.Owner is not null)
        {
            foreach (var timed in starts.OfType<StartEvent>().Where(s => s.Timer is not null))
            {
                Error(timed, $"{Describe.Node(timed)} berada di dalam {label}; sub-proses dimulai saat dicapai, jadi peristiwa awalnya harus peristiwa awal biasa tanpa timer.");
            }
        }

        var hasEnd = scope.Nodes.Values.Any(n => n is EndEvent or UnsupportedNode { IsEnd: true });
        if (!hasEnd)
        {
            ErrorOnScope(scope, $"{label} tidak memiliki peristiwa akhir.");
        }

        // Without a start everything is unreachable and without an end nothing finishes: one problem says it.
        if (starts.Count > 0)
        {
            CheckReachable(scope, starts);
        }

        if (hasEnd)
        {
            CheckCanFinish(scope);
        }
    }

    /// <summary>
    /// Reports elements no start event leads to. Of a disconnected chain only its head is reported: what
    /// follows it is unreachable for the same reason. A closed loop that nothing enters is reported whole.
    /// </summary>
    private void CheckReachable(Scope scope, List<FlowNode> starts)
    {
        var roots = starts.Concat(scope.Nodes.Values.Where(n => IsBoundary(n) && HostIn(scope, n) is null));
        var reached = Walk(roots, n => Next(scope, n));
        var unreached = scope.Nodes.Values.Where(n => !reached.Contains(n)).ToList();
        var heads = unreached.Where(n => n.Incoming.Count == 0 && !IsBoundary(n)).ToList();
        var behindHeads = Walk(heads.SelectMany(n => Next(scope, n)), n => Next(scope, n));
        foreach (var node in unreached)
        {
            var isHead = heads.Contains(node);
            if (node is UnsupportedNode || (!isHead && behindHeads.Contains(node)) || (isHead && _flowsTo[node.Id].Any()))
            {
                continue;
            }

            Error(node, $"{Describe.Node(node)} tidak dapat dicapai dari peristiwa awal mana pun.");
        }
    }

    /// <summary>
    /// Reports elements from which no path reaches an end event. An element stuck only because a path runs
    /// into a dead end (reported on its own) is not reported again; what is left are loops with no way out.
    /// </summary>
    private void CheckCanFinish(Scope scope)
    {
        var ends = scope.Nodes.Values.Where(n => n is EndEvent or UnsupportedNode { IsEnd: true });
        var finishing = Walk(ends, n => Previous(scope, n, interruptingOnly: true));
        var stuck = scope.Nodes.Values.Where(n => !finishing.Contains(n)).ToList();
        var deadEnds = stuck.Where(n => !n.Outgoing.Any(f => f.Target.Scope == scope));
        var explained = Walk(deadEnds, n => Previous(scope, n, interruptingOnly: false));
        foreach (var node in stuck.Where(n => !explained.Contains(n) && n is not UnsupportedNode))
        {
            Error(node, $"{Describe.Node(node)} tidak memiliki jalur menuju peristiwa akhir: setiap jalur darinya berputar tanpa jalan keluar.");
        }
    }

    /// <summary>Start events take no incoming flow, end events give no outgoing flow, and only end events end a path.</summary>
    private void CheckEnds(FlowNode node)
    {
        if (node is StartEvent && node.Incoming.Count > 0)
        {
            Error(node, $"{Describe.Node(node)} tidak boleh memiliki alur masuk; peristiwa awal adalah awal proses.");
        }

        if (node is BoundaryTimerEvent && node.Incoming.Count > 0)
        {
            Error(node, $"{Describe.Node(node)} tidak boleh memiliki alur masuk; peristiwa batas dipicu oleh aktivitas tempatnya menempel.");
        }

        if (node is EndEvent && node.Outgoing.Count > 0)
        {
            Error(node, $"{Describe.Node(node)} tidak boleh memiliki alur keluar; peristiwa akhir mengakhiri jalurnya.");
        }

        if (node is not EndEvent && !_flowsFrom[node.Id].Any())
        {
            Error(node, $"{Describe.Node(node)} tidak memiliki alur keluar; hanya peristiwa akhir yang boleh mengakhiri sebuah jalur.");
        }
    }

    private void ErrorOnScope(Scope scope, string message)
    {
        if (scope.Owner is { } owner)
        {
            Error(owner, message);
        }
        else
        {
            ErrorOnProcess(message);
        }
    }

    /// <summary>Where a token goes from a node: along its flows, and onto the events on its boundary.</summary>
    private IEnumerable<FlowNode> Next(Scope scope, FlowNode node) =>
        node.Outgoing.Select(f => f.Target)
            .Concat(BoundariesOf(node))
            .Where(n => n.Scope == scope);

    /// <summary>
    /// Where a token can come from to reach a node. A token leaves an activity through an interrupting
    /// boundary event; through a non-interrupting one the activity itself still has to finish.
    /// </summary>
    private IEnumerable<FlowNode> Previous(Scope scope, FlowNode node, bool interruptingOnly)
    {
        var sources = node.Incoming.Select(f => f.Source).Where(n => n.Scope == scope);
        var host = node switch
        {
            BoundaryTimerEvent boundary when !interruptingOnly || boundary.CancelActivity => HostIn(scope, boundary),
            UnsupportedNode { AttachedToId: not null } boundary => HostIn(scope, boundary),
            _ => null,
        };
        return host is null ? sources : sources.Append(host);
    }

    private IEnumerable<FlowNode> BoundariesOf(FlowNode node) =>
        node.BoundaryEvents.Cast<FlowNode>()
            .Concat(_model.Nodes.Values.Where(n => n is UnsupportedNode u && u.AttachedToId == node.Id));

    private static bool IsBoundary(FlowNode node) => node is BoundaryTimerEvent or UnsupportedNode { AttachedToId: not null };

    /// <summary>The activity a boundary event sits on, when it exists in the same scope.</summary>
    private FlowNode? HostIn(Scope scope, FlowNode boundary)
    {
        var hostId = boundary switch
        {
            BoundaryTimerEvent timer => timer.AttachedToId,
            UnsupportedNode unsupported => unsupported.AttachedToId,
            _ => null,
        };
        return hostId is not null && _model.Nodes.TryGetValue(hostId, out var host) && host is Activity && host.Scope == scope
            ? host
            : null;
    }

    private static HashSet<FlowNode> Walk(IEnumerable<FlowNode> from, Func<FlowNode, IEnumerable<FlowNode>> step)
    {
        var seen = new HashSet<FlowNode>();
        var pending = new Stack<FlowNode>(from);
        while (pending.TryPop(out var node))
        {
            if (seen.Add(node))
            {
                foreach (var next in step(node))
                {
                    pending.Push(next);
                }
            }
        }

        return seen;
    }
}
