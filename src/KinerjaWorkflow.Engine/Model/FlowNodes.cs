using KinerjaWorkflow.Engine.Conditions;

namespace KinerjaWorkflow.Engine.Model;

/// <summary>A node of a process graph. Ids are the BPMN element ids, which are also the stable step ids.</summary>
public abstract class FlowNode
{
    private readonly List<SequenceFlow> _incoming = [];
    private readonly List<SequenceFlow> _outgoing = [];
    private readonly List<BoundaryTimerEvent> _boundaryEvents = [];

    public required string Id { get; init; }
    public string? Name { get; init; }

    /// <summary>The BPMN element type as written in the file, e.g. "userTask"; used in messages.</summary>
    public required string ElementType { get; init; }

    /// <summary>The scope (process or embedded sub-process) this node belongs to; set when the model is built.</summary>
    public Scope Scope { get; internal set; } = null!;

    public IReadOnlyList<SequenceFlow> Incoming => _incoming;
    public IReadOnlyList<SequenceFlow> Outgoing => _outgoing;

    /// <summary>Timer events attached to this activity's boundary.</summary>
    public IReadOnlyList<BoundaryTimerEvent> BoundaryEvents => _boundaryEvents;

    internal void AddIncoming(SequenceFlow flow) => _incoming.Add(flow);
    internal void AddOutgoing(SequenceFlow flow) => _outgoing.Add(flow);
    internal void AddBoundaryEvent(BoundaryTimerEvent boundary) => _boundaryEvents.Add(boundary);

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name!;

    public override string ToString() => $"{ElementType} '{Id}'";
}

public sealed class StartEvent : FlowNode
{
    /// <summary>Set for a timer start event (e.g. a quarterly cycle); null for a none start event.</summary>
    public TimerDefinition? Timer { get; init; }
}

public sealed class EndEvent : FlowNode
{
    /// <summary>A terminate end event ends the whole instance, cancelling every other token.</summary>
    public bool Terminate { get; init; }
}

public enum GatewayKind
{
    Exclusive,
    Parallel,
    Inclusive,
}

public sealed class Gateway : FlowNode
{
    public required GatewayKind Kind { get; init; }

    /// <summary>The id of the default flow (exclusive and inclusive gateways), taken when no condition holds.</summary>
    public string? DefaultFlowId { get; init; }
}

public sealed class IntermediateTimerEvent : FlowNode
{
    public required TimerDefinition Timer { get; init; }
}

public sealed class BoundaryTimerEvent : FlowNode
{
    public required string AttachedToId { get; init; }

    /// <summary>Interrupting (cancelActivity="true", the BPMN default) or not.</summary>
    public bool CancelActivity { get; init; } = true;

    public required TimerDefinition Timer { get; init; }

    public Activity AttachedTo { get; internal set; } = null!;
}

/// <summary>Anything that does work and may carry multi-instance characteristics and boundary events.</summary>
public abstract class Activity : FlowNode
{
    public MultiInstance? MultiInstance { get; init; }
}

public enum HumanTaskKind
{
    User,
    Manual,
    Plain,
}

/// <summary>
/// A step done by a person: a BPMN user task, manual task or plain task. In an SOP, one per row of the
/// procedure table.
/// </summary>
public sealed class HumanTask : Activity
{
    public required HumanTaskKind TaskKind { get; init; }

    /// <summary>The role (Pelaksana) of the lane the task lies in; null when outside every lane.</summary>
    public string? LaneRole { get; internal set; }

    /// <summary>Explicit candidate groups (roles), which take precedence over the lane.</summary>
    public IReadOnlyList<string> CandidateGroups { get; init; } = [];

    /// <summary>
    /// The step's text as the SOP writes it (the Uraian Kegiatan), from the task's documentation; the name is
    /// often a shortened form of it.
    /// </summary>
    public string? Documentation { get; init; }

    /// <summary>The SOP fields of the step (number, Kelengkapan, Waktu, Output, Keterangan).</summary>
    public SopStep? Step { get; init; }

    /// <summary>
    /// The outcomes a person may choose when completing, e.g. "setuju" and "revisi": declared on the step,
    /// or else derived from the outcome comparisons of the gateway that follows. Empty: any or none.
    /// </summary>
    public IReadOnlyList<string> Outcomes { get; internal set; } = [];

    /// <summary>
    /// The outcomes that send the work back to an earlier step (the flow they take leads back to this step);
    /// completing with one needs a reason, which the person who gets the work back reads.
    /// </summary>
    public IReadOnlyList<string> SendBackOutcomes { get; internal set; } = [];

    public bool SendsBack(string? outcome) => outcome is not null && SendBackOutcomes.Contains(outcome, StringComparer.Ordinal);

    /// <summary>The roles that may work on this task: candidate groups if given, else the lane's role.</summary>
    public IReadOnlyList<string> Roles =>
        CandidateGroups.Count > 0 ? CandidateGroups : LaneRole is null ? [] : [LaneRole];
}

public sealed class ServiceTask : Activity
{
    /// <summary>An HTTP request to perform (service task), or null.</summary>
    public HttpCall? Http { get; init; }

    /// <summary>A notification to send (send task), or null.</summary>
    public NotificationSpec? Notification { get; init; }
}

public sealed class SubProcess : Activity
{
    public required Scope Inner { get; init; }
}

public sealed class CallActivity : Activity
{
    /// <summary>The key (process id) of the deployed definition to call.</summary>
    public required string CalledElement { get; init; }
}

public sealed class SequenceFlow
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public required string SourceId { get; init; }
    public required string TargetId { get; init; }

    /// <summary>The condition text as written, or null for an unconditional flow.</summary>
    public string? ConditionText { get; init; }

    /// <summary>The parsed condition; null when there is none or it did not parse (the validator reports it).</summary>
    public Condition? Condition { get; init; }

    public FlowNode Source { get; internal set; } = null!;
    public FlowNode Target { get; internal set; } = null!;

    public override string ToString() => $"sequenceFlow '{Id}'";
}

/// <summary>The SOP-AP fields of one step, as the SOP writes them.</summary>
public sealed record SopStep(
    int? Number,
    string? Kelengkapan,
    string? Waktu,
    string? Output,
    string? Keterangan,
    IReadOnlyList<string>? DeclaredOutcomes = null);

public enum TimerKind
{
    /// <summary>A duration after the timer is reached (ISO 8601 "PT2H" or Waktu text "2 Hari Kerja").</summary>
    Duration,

    /// <summary>A fixed instant (ISO 8601).</summary>
    Date,

    /// <summary>A repeating cycle (timer start events), e.g. "R/P3M" or "triwulan".</summary>
    Cycle,
}

public sealed record TimerDefinition(TimerKind Kind, string Expression);

public sealed record MultiInstance(
    bool IsSequential,
    string? CollectionVariable,
    string? ElementVariable,
    int? Cardinality);

public sealed record HttpCall(
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? BodyTemplate,
    string? ResultVariable);

public sealed record NotificationSpec(string? Role, string Message);
