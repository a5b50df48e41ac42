using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>One validation of one model; the rules are split by subject over the partial files.</summary>
internal sealed partial class ValidationRun
{
    private readonly ProcessModel _model;
    private readonly ValidationOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DefinitionProblem> _problems = [];

    /// <summary>Flows by source and target id, including those whose other end does not exist.</summary>
    private readonly ILookup<string, SequenceFlow> _flowsFrom;
    private readonly ILookup<string, SequenceFlow> _flowsTo;

    public ValidationRun(ProcessModel model, ValidationOptions options, CancellationToken cancellationToken)
    {
        _model = model;
        _options = options;
        _cancellationToken = cancellationToken;
        _flowsFrom = model.Flows.Values.ToLookup(f => f.SourceId, StringComparer.Ordinal);
        _flowsTo = model.Flows.Values.ToLookup(f => f.TargetId, StringComparer.Ordinal);
    }

    public IReadOnlyList<DefinitionProblem> Run()
    {
        CheckFlows();
        foreach (var scope in Scopes())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            CheckScope(scope);
        }

        var bareNumberUnit = WaktuSatuan();
        foreach (var node in _model.Nodes.Values.Where(n => n is not UnsupportedNode))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            CheckNode(node, bareNumberUnit);
        }

        CheckLanes();
        CheckStarterRoles();
        CheckStepNumbers();
        CheckIdleLoops();
        return _problems;
    }

    private IEnumerable<Scope> Scopes() =>
        _model.Nodes.Values.OfType<SubProcess>().Select(s => s.Inner).Prepend(_model.Root);

    private void CheckNode(FlowNode node, WaktuUnit? bareNumberUnit)
    {
        CheckEnds(node);
        switch (node)
        {
            case Gateway gateway:
                CheckGateway(gateway);
                break;
            case HumanTask task:
                CheckHumanTask(task, bareNumberUnit);
                break;
            case ServiceTask service:
                CheckServiceTask(service);
                break;
            case CallActivity call:
                CheckCallActivity(call);
                break;
            case BoundaryTimerEvent boundary:
                CheckBoundary(boundary);
                break;
        }

        if (node is Activity { MultiInstance: { } multiInstance })
        {
            CheckMultiInstance(node, multiInstance);
        }

        if (TimerOf(node) is { } timer)
        {
            CheckTimer(node, timer);
        }
    }

    private static TimerDefinition? TimerOf(FlowNode node) => node switch
    {
        StartEvent start => start.Timer,
        IntermediateTimerEvent intermediate => intermediate.Timer,
        BoundaryTimerEvent boundary => boundary.Timer,
        _ => null,
    };

    private void Error(FlowNode node, string message) => Add(ProblemSeverity.Error, node.Id, node.ElementType, message);

    private void Warning(FlowNode node, string message) => Add(ProblemSeverity.Warning, node.Id, node.ElementType, message);

    private void Error(SequenceFlow flow, string message) => Add(ProblemSeverity.Error, flow.Id, "sequenceFlow", message);

    private void ErrorOnProcess(string message) => Add(ProblemSeverity.Error, _model.Key, "process", message);

    private void Add(ProblemSeverity severity, string id, string type, string message) =>
        _problems.Add(new DefinitionProblem(severity, id, type, message));

    /// <summary>A parser's explanation, made to end as a sentence does.</summary>
    private static string Sentence(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        return trimmed.Length == 0 || trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }
}
