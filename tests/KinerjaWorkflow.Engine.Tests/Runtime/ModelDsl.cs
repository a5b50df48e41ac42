using KinerjaWorkflow.Engine.Conditions;
using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

/// <summary>
/// Builds process models for runtime tests without BPMN: nodes by id, flows by "from -> to". A flow's id is
/// "from->to", which is also how a gateway names its default flow.
/// </summary>
internal sealed class ModelDsl
{
    private readonly ProcessModelBuilder _builder;
    private readonly string? _scope;

    public ModelDsl(string key = "proses-uji")
        : this(new ProcessModelBuilder(key), null)
    {
    }

    private ModelDsl(ProcessModelBuilder builder, string? scope)
    {
        _builder = builder;
        _scope = scope;
    }

    public static string FlowId(string from, string to) => $"{from}->{to}";

    public ModelDsl Start(string id = "mulai", TimerDefinition? timer = null) =>
        Node(new StartEvent { Id = id, ElementType = "startEvent", Timer = timer });

    public ModelDsl End(string id = "selesai") => Node(new EndEvent { Id = id, ElementType = "endEvent" });

    public ModelDsl Terminate(string id = "akhiri") =>
        Node(new EndEvent { Id = id, ElementType = "endEvent", Terminate = true });

    public ModelDsl Task(
        string id,
        string role = "Staf",
        string[]? outcomes = null,
        HumanTaskKind kind = HumanTaskKind.User,
        MultiInstance? loop = null) =>
        Node(new HumanTask
        {
            Id = id,
            Name = $"Langkah {id}",
            ElementType = kind switch
            {
                HumanTaskKind.User => "userTask",
                HumanTaskKind.Manual => "manualTask",
                _ => "task",
            },
            TaskKind = kind,
            CandidateGroups = [role],
            Step = outcomes is null ? null : new SopStep(null, null, null, null, null, outcomes),
            MultiInstance = loop,
        });

    public ModelDsl Service(string id, HttpCall http, MultiInstance? loop = null) =>
        Node(new ServiceTask { Id = id, ElementType = "serviceTask", Http = http, MultiInstance = loop });

    public ModelDsl Send(string id, string? role, string message) =>
        Node(new ServiceTask { Id = id, ElementType = "sendTask", Notification = new NotificationSpec(role, message) });

    public ModelDsl Xor(string id, string? defaultTo = null) => Gateway(id, GatewayKind.Exclusive, defaultTo);

    public ModelDsl And(string id) => Gateway(id, GatewayKind.Parallel, null);

    public ModelDsl Or(string id, string? defaultTo = null) => Gateway(id, GatewayKind.Inclusive, defaultTo);

    public ModelDsl Wait(string id, string duration) =>
        Node(new IntermediateTimerEvent
        {
            Id = id,
            ElementType = "intermediateCatchEvent",
            Timer = new TimerDefinition(TimerKind.Duration, duration),
        });

    public ModelDsl Boundary(string id, string attachedTo, string duration, bool interrupting = true) =>
        Node(new BoundaryTimerEvent
        {
            Id = id,
            ElementType = "boundaryEvent",
            AttachedToId = attachedTo,
            CancelActivity = interrupting,
            Timer = new TimerDefinition(TimerKind.Duration, duration),
        });

    public ModelDsl Call(string id, string calledElement) =>
        Node(new CallActivity { Id = id, ElementType = "callActivity", CalledElement = calledElement });

    public ModelDsl Sub(string id, Action<ModelDsl> inside, MultiInstance? loop = null)
    {
        Node(new SubProcess { Id = id, ElementType = "subProcess", Inner = new Scope { Id = id }, MultiInstance = loop });
        inside(new ModelDsl(_builder, id));
        return this;
    }

    public ModelDsl Flow(string from, string to, string? when = null)
    {
        _builder.Add(
            new SequenceFlow
            {
                Id = FlowId(from, to),
                SourceId = from,
                TargetId = to,
                ConditionText = when,
                Condition = when is null ? null : Condition.Parse(when),
            },
            _scope);
        return this;
    }

    /// <summary>Unconditional flows along a path of node ids.</summary>
    public ModelDsl Path(params string[] ids)
    {
        for (var i = 1; i < ids.Length; i++)
        {
            Flow(ids[i - 1], ids[i]);
        }

        return this;
    }

    /// <summary>Adds a node built by hand, for the rarer shapes the shortcuts above do not cover.</summary>
    public ModelDsl Node(FlowNode node)
    {
        _builder.Add(node, _scope);
        return this;
    }

    public ProcessModel Build() => _builder.Build();

    private ModelDsl Gateway(string id, GatewayKind kind, string? defaultTo) =>
        Node(new Gateway
        {
            Id = id,
            ElementType = kind switch
            {
                GatewayKind.Exclusive => "exclusiveGateway",
                GatewayKind.Parallel => "parallelGateway",
                _ => "inclusiveGateway",
            },
            Kind = kind,
            DefaultFlowId = defaultTo is null ? null : FlowId(id, defaultTo),
        });
}
