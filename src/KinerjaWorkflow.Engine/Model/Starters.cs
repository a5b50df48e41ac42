namespace KinerjaWorkflow.Engine.Model;

/// <summary>
/// Who may start an SOP by hand (docs/who-may-start.md): the roles <c>sop:starterRoles</c> names, or else the
/// roles of the first step, and admins always. A timer start event starts the SOP without anyone's roles.
/// </summary>
public static class Starters
{
    /// <summary>The roles that may start the SOP, in the order the file names them or the steps are met.</summary>
    public static IReadOnlyList<string> RolesOf(ProcessModel model) =>
        model.WrittenStarterRoles ?? FirstStepRoles(model);

    public static bool MayStart(ProcessModel model, IReadOnlySet<string> roles, bool isAdmin) =>
        isAdmin || RolesOf(model).Any(roles.Contains);

    /// <summary>
    /// The roles of the human steps a token meets first from the process's none start event, following every
    /// branch through gateways, events, automatic tasks and into embedded sub-processes (and out of one that holds no human step); a path stops at its
    /// first human step. A called SOP is another definition, so a path stops there too, giving no role.
    /// </summary>
    public static IReadOnlyList<string> FirstStepRoles(ProcessModel model)
    {
        var roles = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<FlowNode>(NoneStarts(model.Root));
        while (pending.TryDequeue(out var node))
        {
            if (!seen.Add(node.Id))
            {
                continue;
            }

            switch (node)
            {
                case HumanTask task:
                    roles.AddRange(task.Roles.Where(r => !roles.Contains(r, StringComparer.Ordinal)));
                    continue;
                case CallActivity:
                    continue;
                case SubProcess sub:
                    foreach (var start in NoneStarts(sub.Inner))
                    {
                        pending.Enqueue(start);
                    }

                    continue;
                case EndEvent when node.Scope.Owner is { } owner:
                    foreach (var flow in owner.Outgoing)
                    {
                        pending.Enqueue(flow.Target);
                    }

                    continue;
            }

            foreach (var flow in node.Outgoing)
            {
                pending.Enqueue(flow.Target);
            }
        }

        return roles;
    }

    private static IEnumerable<StartEvent> NoneStarts(Scope scope) => scope.StartEvents.Where(s => s.Timer is null);
}
