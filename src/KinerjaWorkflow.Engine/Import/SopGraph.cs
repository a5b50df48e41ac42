using System.Globalization;

namespace KinerjaWorkflow.Engine.Import;

/// <summary>
/// The nodes and flows of an SOP table, in the order they are laid out left to right: the start, then for each
/// step its merging gateway (when reached from more than one place), its task and its decision gateway, then
/// the end.
/// </summary>
internal sealed class SopGraph
{
    public enum NodeKind
    {
        Start,
        Merge,
        Task,
        Decision,
        End,
    }

    public sealed record Node(string Id, NodeKind Kind, int Lane, string? Name, SopTableStep? Step);

    public sealed record Flow(string Id, string Source, string Target, string? Name, string? Condition, bool IsDefault);

    public const string StartId = "Mulai";
    public const string EndId = "Selesai";

    private SopGraph(List<Node> nodes, List<Flow> flows)
    {
        Nodes = nodes;
        Flows = flows;
    }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<Flow> Flows { get; }

    public static SopGraph From(SopTable table)
    {
        var steps = table.Steps;
        var lanes = table.Roles.Select((role, index) => (role, index)).ToDictionary(r => r.role, r => r.index, StringComparer.Ordinal);
        int LaneOf(SopTableStep step) => lanes[step.Roles[0]];

        // Where each step goes, as (label, condition, default, target step or null for the end).
        var exits = new Dictionary<int, List<(RouteBranch? Branch, int? Target)>>();
        for (var i = 0; i < steps.Count; i++)
        {
            int? next = i + 1 < steps.Count ? steps[i + 1].Number : null;
            exits[steps[i].Number] = steps[i].Branches.Count == 0
                ? [(null, next)]
                : steps[i].Branches.Select(b => ((RouteBranch?)b, b.Target)).ToList();
        }

        var arrivals = steps.ToDictionary(s => s.Number, _ => 0);
        arrivals[steps[0].Number]++;
        foreach (var target in exits.Values.SelectMany(e => e).Select(e => e.Target).OfType<int>())
        {
            arrivals[target]++;
        }

        var nodes = new List<Node> { new(StartId, NodeKind.Start, LaneOf(steps[0]), null, null) };
        foreach (var step in steps)
        {
            if (arrivals[step.Number] > 1)
            {
                nodes.Add(new Node(MergeId(step.Number), NodeKind.Merge, LaneOf(step), null, step));
            }

            nodes.Add(new Node(TaskId(step.Number), NodeKind.Task, LaneOf(step), step.Kegiatan, step));
            if (step.IsDecision)
            {
                nodes.Add(new Node(DecisionId(step.Number), NodeKind.Decision, LaneOf(step), $"Keputusan langkah {step.Number}", step));
            }
        }

        nodes.Add(new Node(EndId, NodeKind.End, LaneOf(steps[^1]), null, null));

        string Entry(int? step) => step is { } number ? arrivals[number] > 1 ? MergeId(number) : TaskId(number) : EndId;

        var flows = new List<Flow>();
        void Connect(string source, string target, string? name = null, string? condition = null, bool isDefault = false)
        {
            var id = $"Flow_{source}_{target}";
            var unique = id;
            for (var n = 2; flows.Any(f => f.Id == unique); n++)
            {
                unique = $"{id}_{n}";
            }

            flows.Add(new Flow(unique, source, target, name, condition, isDefault));
        }

        Connect(StartId, Entry(steps[0].Number));
        foreach (var step in steps)
        {
            if (arrivals[step.Number] > 1)
            {
                Connect(MergeId(step.Number), TaskId(step.Number));
            }

            if (!step.IsDecision)
            {
                Connect(TaskId(step.Number), Entry(exits[step.Number][0].Target));
                continue;
            }

            Connect(TaskId(step.Number), DecisionId(step.Number));
            foreach (var branch in step.Branches)
            {
                switch (branch.Kind)
                {
                    case BranchKind.Outcome:
                        Connect(DecisionId(step.Number), Entry(branch.Target), Capitalized(branch.Label), $"outcome == \"{branch.Outcome}\"");
                        break;
                    case BranchKind.Condition:
                        Connect(DecisionId(step.Number), Entry(branch.Target), branch.Label, branch.Label);
                        break;
                    default:
                        Connect(DecisionId(step.Number), Entry(branch.Target), Capitalized(branch.Label), isDefault: true);
                        break;
                }
            }
        }

        return new SopGraph(nodes, flows);
    }

    public static string TaskId(int step) => $"Langkah_{step.ToString("00", CultureInfo.InvariantCulture)}";

    private static string MergeId(int step) => $"Gabung_{step.ToString("00", CultureInfo.InvariantCulture)}";

    private static string DecisionId(int step) => $"Keputusan_{step.ToString("00", CultureInfo.InvariantCulture)}";

    private static string Capitalized(string label) => label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
}
