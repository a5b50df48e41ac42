using System.Globalization;
using KinerjaWorkflow.Engine.Conditions;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Import;

/// <summary>
/// What two definitions of one SOP must share to be the same SOP: each step by number with its roles and its
/// Waktu, and where each step leads: the next steps, each with the outcome or condition that leads there,
/// looking through gateways, sub-process boundaries and start and end events. Timer starts, multi-instance and
/// element ids are how a definition runs the steps, not which steps; they are not compared.
/// </summary>
internal sealed record StepGraph(IReadOnlyList<string> Lines)
{
    public const string Start = "mulai";
    public const string End = "selesai";

    public static StepGraph Of(ProcessModel model)
    {
        var lines = new List<string>();
        WaktuUnit? bare = WaktuParser.TryParseUnit(model.WaktuSatuan, out var unit) ? unit : null;
        var starts = model.Root.StartEvents.SelectMany(s => Successors(model, s)).Distinct().Order(StringComparer.Ordinal);
        lines.Add($"{Start} -> {string.Join(", ", starts)}");
        foreach (var task in model.HumanTasks.Where(t => t.Step?.Number is not null).OrderBy(t => t.Step!.Number))
        {
            var roles = string.Join(" + ", task.Roles.Order(StringComparer.Ordinal));
            var waktu = task.Step!.Waktu is { } text ? Describe(WaktuParser.Parse(text, bare)) : "tanpa waktu";
            var next = Successors(model, task).Distinct().Order(StringComparer.Ordinal);
            lines.Add($"{task.Step.Number}: [{roles}] {waktu} -> {string.Join(", ", next)}");
        }

        return new StepGraph(lines);
    }

    private static string Describe(Waktu waktu) => waktu.Expected is { } expected ? $"{expected}–{waktu.Deadline}" : waktu.Deadline.ToString();

    private static IEnumerable<string> Successors(ProcessModel model, FlowNode from)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flow in from.Outgoing)
        {
            Follow(model, flow, null, found, seen);
        }

        return found;
    }

    private static void Follow(ProcessModel model, SequenceFlow flow, string? label, List<string> found, HashSet<string> seen)
    {
        label ??= Label(flow);
        Arrive(model, flow.Target, label, found, seen);
    }

    private static void Arrive(ProcessModel model, FlowNode node, string? label, List<string> found, HashSet<string> seen)
    {
        if (!seen.Add($"{label}@{node.Id}"))
        {
            return;
        }

        switch (node)
        {
            case HumanTask { Step.Number: { } number }:
                found.Add(Prefixed(label, number.ToString(CultureInfo.InvariantCulture)));
                break;
            case EndEvent when node.Scope.Owner is { } owner:
                foreach (var after in owner.Outgoing)
                {
                    Follow(model, after, label, found, seen);
                }

                break;
            case EndEvent:
                found.Add(Prefixed(label, End));
                break;
            case SubProcess sub:
                foreach (var start in sub.Inner.StartEvents)
                {
                    Arrive(model, start, label, found, seen);
                }

                break;
            default:
                foreach (var after in node.Outgoing)
                {
                    Follow(model, after, label, found, seen);
                }

                break;
        }
    }

    /// <summary>An outcome a person chooses, a condition on variables, or the flow taken when none holds.</summary>
    private static string? Label(SequenceFlow flow)
    {
        if (flow.Condition is { } condition)
        {
            var outcomes = condition.StringsComparedTo("outcome");
            return outcomes.Count == 1 ? outcomes.First() : Normal(condition);
        }

        return flow.Source is Gateway { Kind: GatewayKind.Exclusive } gateway && gateway.Outgoing.Count > 1 ? "lainnya" : null;
    }

    private static string Normal(Condition condition) => string.Concat(condition.Text.Where(c => !char.IsWhiteSpace(c)));

    private static string Prefixed(string? label, string target) => label is null ? target : $"{label}: {target}";
}
