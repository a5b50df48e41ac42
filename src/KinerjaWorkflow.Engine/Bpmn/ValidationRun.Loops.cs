using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>
/// Loops that run by themselves. A loop that no person, called definition or sub-process holds up, and whose
/// timers are shorter than the minimum start cycle, turns on its own for good: with a P0D timer in it an
/// instance fired every second and wrote hundreds of history entries a minute until someone cancelled it. So
/// each turn of a loop must wait for a person or for at least the minimum start cycle, as a timer start must.
/// </summary>
internal sealed partial class ValidationRun
{
    private void CheckIdleLoops()
    {
        if (_options.MinimumStartCycle is not { } minimum)
        {
            return;
        }

        var reported = new HashSet<FlowNode>();
        foreach (var node in _model.Nodes.Values.Where(n => !HoldsUp(n, minimum) && !reported.Contains(n)))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var ahead = Walk(Idle(LoopSuccessors(node), minimum), n => Idle(LoopSuccessors(n), minimum));
            if (!ahead.Contains(node))
            {
                continue;
            }

            var behind = Walk(Idle(LoopPredecessors(node), minimum), n => Idle(LoopPredecessors(n), minimum));
            var loop = _model.Nodes.Values.Where(n => ahead.Contains(n) && behind.Contains(n)).ToList();
            reported.UnionWith(loop);
            var shown = string.Join(", ", loop.Take(5).Select(Describe.Node)) + (loop.Count > 5 ? ", …" : string.Empty);
            var at = loop.FirstOrDefault(n => n is IntermediateTimerEvent or BoundaryTimerEvent or ServiceTask) ?? loop[0];
            Error(at, $"{Describe.Node(at)} berada pada perulangan yang berputar sendiri ({shown}): tidak ada tugas pengguna, sub-proses atau aktivitas panggilan di dalamnya, dan tidak ada timer paling sedikit {Duration(minimum)}, sehingga perulangan ini dapat berputar tanpa henti. Tambahkan tugas pengguna ke perulangan ini, atau timer paling sedikit {Duration(minimum)}.");
        }
    }

    /// <summary>Whether a token stays at the node for a person, a called definition, a sub-process or at least <paramref name="minimum"/>.</summary>
    private static bool HoldsUp(FlowNode node, TimeSpan minimum) => node switch
    {
        HumanTask or CallActivity or SubProcess or UnsupportedNode => true,
        IntermediateTimerEvent timer => LeastWait(timer.Timer) >= minimum,
        BoundaryTimerEvent timer => LeastWait(timer.Timer) >= minimum,
        _ => false,
    };

    /// <summary>
    /// The least a timer waits each time it is reached. A date waits once, then is past; a month counts as 28 days
    /// and a working day as a day. A timer that does not read is reported on its own and counts as holding up.
    /// </summary>
    private static TimeSpan LeastWait(TimerDefinition timer)
    {
        var expression = timer.Expression.Trim();
        if (timer.Kind == TimerKind.Date)
        {
            return TimeSpan.Zero;
        }

        if (timer.Kind == TimerKind.Duration && IsoPeriod.TryParse(expression, out var period))
        {
            return TimeSpan.FromDays(Math.Min((period.Months * 28.0) + period.Days + period.Time.TotalDays, 1_000_000));
        }

        if (timer.Kind == TimerKind.Duration && WaktuParser.TryParse(expression, null, out var waktu, out _))
        {
            var amount = (double)Math.Min(waktu!.Deadline.Amount, 1_000_000m);
            return waktu.Deadline.Unit switch
            {
                WaktuUnit.Minute => TimeSpan.FromMinutes(amount),
                WaktuUnit.Hour => TimeSpan.FromHours(amount),
                WaktuUnit.Day or WaktuUnit.WorkingDay => TimeSpan.FromDays(amount),
                WaktuUnit.Week => TimeSpan.FromDays(amount * 7),
                _ => TimeSpan.FromDays(amount * 28),
            };
        }

        return TimeSpan.MaxValue;
    }

    private static IEnumerable<FlowNode> Idle(IEnumerable<FlowNode> nodes, TimeSpan minimum) => nodes.Where(n => !HoldsUp(n, minimum));

    private static IEnumerable<FlowNode> LoopSuccessors(FlowNode node) =>
        node.Outgoing.Select(f => f.Target).Where(n => n.Scope == node.Scope).Concat(node.BoundaryEvents);

    private IEnumerable<FlowNode> LoopPredecessors(FlowNode node)
    {
        var sources = node.Incoming.Select(f => f.Source).Where(n => n.Scope == node.Scope);
        return node is BoundaryTimerEvent boundary && _model.Nodes.TryGetValue(boundary.AttachedToId, out var host)
            ? sources.Append(host)
            : sources;
    }
}
