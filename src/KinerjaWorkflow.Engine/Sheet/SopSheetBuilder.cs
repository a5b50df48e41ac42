using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Sheet;

/// <summary>
/// Draws the SOP-AP sheet from a process model. The rules (docs/bpmn-extensions.md, "The SOP-AP sheet"):
/// a row per human task, in step-number order (steps without a number last, in flow order); a Pelaksana column
/// per role that does a step, in lane order; the diamond for a step followed by an exclusive or inclusive
/// gateway (or by conditional flows of its own), else the terminator for the first and last row, else the
/// process box; and from each row the steps it reaches, passing through gateways, events, sub-process borders
/// and service tasks, which are not rows of an SOP table.
/// </summary>
public static class SopSheetBuilder
{
    /// <summary>The column of a step that names no role, so that every row still has its symbol somewhere.</summary>
    public const string NoRole = "(tanpa peran)";

    public static SopSheet From(ProcessModel model)
    {
        var flowOrder = FlowOrder(model);
        var tasks = model.HumanTasks
            .OrderBy(t => t.Step?.Number ?? int.MaxValue)
            .ThenBy(t => flowOrder.GetValueOrDefault(t.Id, int.MaxValue))
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .ToList();
        var rowOf = tasks.Select((task, index) => (task.Id, index)).ToDictionary(x => x.Id, x => x.index, StringComparer.Ordinal);
        var pelaksana = Pelaksana(model, tasks);

        var rows = tasks.Select((task, index) => new SheetRow(
                task.Id,
                task.Step?.Number ?? index + 1,
                task.Documentation ?? task.DisplayName,
                task.DisplayName,
                ColumnsOf(task, pelaksana),
                SymbolOf(task, index, tasks.Count),
                task.Step?.Kelengkapan,
                task.Step?.Waktu,
                task.Step?.Output,
                task.Step?.Keterangan,
                ForEach(task),
                Connections(task, index, rowOf, tasks)))
            .ToList();
        return new SopSheet(model.Key, model.Name, model.Identity, pelaksana, rows);
    }

    /// <summary>The collection a step runs once per item of: its own, or that of a sub-process around it.</summary>
    private static string? ForEach(HumanTask task)
    {
        Activity? activity = task;
        while (activity is not null)
        {
            if (activity.MultiInstance is { } loop)
            {
                return loop.CollectionVariable ?? loop.Cardinality?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            activity = activity.Scope.Owner;
        }

        return null;
    }

    private static List<string> Pelaksana(ProcessModel model, List<HumanTask> tasks)
    {
        var used = tasks.SelectMany(t => t.Roles).ToHashSet(StringComparer.Ordinal);
        var columns = model.Lanes.Select(l => l.Role).Where(used.Contains).Distinct(StringComparer.Ordinal).ToList();
        foreach (var role in tasks.SelectMany(t => t.Roles).Where(r => !columns.Contains(r, StringComparer.Ordinal)))
        {
            columns.Add(role);
        }

        if (tasks.Any(t => t.Roles.Count == 0))
        {
            columns.Add(NoRole);
        }

        return columns;
    }

    private static List<int> ColumnsOf(HumanTask task, List<string> pelaksana)
    {
        if (task.Roles.Count == 0)
        {
            return [pelaksana.IndexOf(NoRole)];
        }

        var primary = task.LaneRole is { } lane && task.Roles.Contains(lane, StringComparer.Ordinal) ? lane : task.Roles[0];
        return [pelaksana.IndexOf(primary), .. task.Roles.Where(r => r != primary).Select(r => pelaksana.IndexOf(r)).Order()];
    }

    private static SheetSymbol SymbolOf(HumanTask task, int index, int count)
    {
        var decides = task.Outgoing.Any(f => f.Target is Gateway { Kind: GatewayKind.Exclusive or GatewayKind.Inclusive } gateway && gateway.Outgoing.Count > 1)
            || (task.Outgoing.Count > 1 && task.Outgoing.Any(f => f.ConditionText is not null));
        return decides ? SheetSymbol.Decision
            : index == 0 || index == count - 1 ? SheetSymbol.Terminator
            : SheetSymbol.Process;
    }

    private static List<SheetConnection> Connections(HumanTask task, int index, Dictionary<string, int> rowOf, List<HumanTask> tasks)
    {
        var found = new List<SheetConnection>();
        var visited = new HashSet<string>(StringComparer.Ordinal);

        void Add(int? row, string? label, string? outcome)
        {
            if (!found.Any(c => c.ToRow == row && c.Label == label))
            {
                found.Add(new SheetConnection(
                    row,
                    row is { } r ? tasks[r].Id : null,
                    row is { } n ? tasks[n].Step?.Number ?? n + 1 : null,
                    label,
                    outcome,
                    row is { } back && back <= index));
            }
        }

        void Follow(SequenceFlow flow, string? label, string? outcome)
        {
            var taken = flow.Condition?.StringsComparedTo(OutcomeInference.OutcomeVariable).FirstOrDefault();
            Reach(flow.Target, label ?? (string.IsNullOrWhiteSpace(flow.Name) ? null : flow.Name.Trim()), outcome ?? taken);
        }

        // A way out of a sub-process continues from the sub-process itself, up to the process.
        void Leave(Scope scope, string? label, string? outcome)
        {
            if (scope.Owner is not { } owner)
            {
                Add(null, label ?? outcome, outcome);
                return;
            }

            if (!visited.Add(owner.Id + "#out"))
            {
                return;
            }

            if (owner.Outgoing.Count == 0)
            {
                Leave(owner.Scope, label, outcome);
            }

            foreach (var next in owner.Outgoing)
            {
                Follow(next, label, outcome);
            }
        }

        void Reach(FlowNode node, string? label, string? outcome)
        {
            if (node is HumanTask && rowOf.TryGetValue(node.Id, out var row))
            {
                Add(row, label ?? outcome, outcome);
                return;
            }

            if (!visited.Add(node.Id))
            {
                return;
            }

            switch (node)
            {
                case SubProcess sub:
                    foreach (var start in sub.Inner.StartEvents)
                    {
                        Reach(start, label, outcome);
                    }

                    break;
                case EndEvent { Terminate: true }:
                    Add(null, label ?? outcome, outcome);
                    break;
                case EndEvent end:
                    Leave(end.Scope, label, outcome);
                    break;
                default:
                    foreach (var next in node.Outgoing)
                    {
                        Follow(next, label, outcome);
                    }

                    break;
            }
        }

        foreach (var flow in task.Outgoing)
        {
            Follow(flow, null, null);
        }

        if (task.Outgoing.Count == 0)
        {
            Leave(task.Scope, null, null);
        }

        return found;
    }

    /// <summary>Each node's place in a breadth-first walk from the start events, entering sub-processes.</summary>
    private static Dictionary<string, int> FlowOrder(ProcessModel model)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<FlowNode>(model.Root.StartEvents);
        while (queue.TryDequeue(out var node))
        {
            if (!order.TryAdd(node.Id, order.Count))
            {
                continue;
            }

            if (node is SubProcess sub)
            {
                foreach (var start in sub.Inner.StartEvents)
                {
                    queue.Enqueue(start);
                }
            }

            foreach (var flow in node.Outgoing)
            {
                queue.Enqueue(flow.Target);
            }
        }

        return order;
    }
}
