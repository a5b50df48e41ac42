using System.Collections.Immutable;
using System.Text.Json;

namespace KinerjaWorkflow.Engine.Runtime;

public enum InstanceStatus
{
    Active,
    Completed,
    Cancelled,
    Terminated,
}

/// <summary>
/// The whole state of one instance at a wait state. Immutable and plain data, so the server stores it as
/// JSON next to the instance's version number.
/// </summary>
public sealed record InstanceState
{
    public required Guid Id { get; init; }
    public required string DefinitionKey { get; init; }
    public string? BusinessKey { get; init; }
    public InstanceStatus Status { get; init; } = InstanceStatus.Active;
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public Guid? ParentInstanceId { get; init; }
    public string? ParentExecutionId { get; init; }

    public ImmutableDictionary<string, JsonElement> Variables { get; init; } =
        ImmutableDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Tokens and scope executions (sub-process, multi-instance body). Internal shape of the runtime.</summary>
    public ImmutableList<Execution> Executions { get; init; } = [];

    public ImmutableList<HumanTaskState> Tasks { get; init; } = [];
    public ImmutableList<PendingTimer> Timers { get; init; } = [];
    public ImmutableList<PendingJob> Jobs { get; init; } = [];
    public ImmutableList<Incident> Incidents { get; init; } = [];

    /// <summary>
    /// Tasks that were completed or cancelled, so that a second completion is told it is too late rather
    /// than that the task does not exist.
    /// </summary>
    public ImmutableList<EndedTask> EndedTasks { get; init; } = [];

    /// <summary>Ids of the nodes where tokens currently wait (for display).</summary>
    public IEnumerable<string> ActiveNodeIds => Executions.Where(e => e.IsWaiting).Select(e => e.NodeId).Distinct();
}

/// <summary>
/// A token (or a scope execution: a running sub-process, a multi-instance body, a waiting call activity).
/// </summary>
public sealed record Execution
{
    public required string Id { get; init; }
    public required string NodeId { get; init; }

    /// <summary>The execution of the enclosing sub-process or multi-instance body, or null at process level.</summary>
    public string? ParentId { get; init; }

    public ExecutionState State { get; init; }

    /// <summary>The flow the token arrived by (joins count these).</summary>
    public string? ArrivedVia { get; init; }

    /// <summary>For a multi-instance child: its index and item.</summary>
    public int? LoopIndex { get; init; }
    public JsonElement? LoopItem { get; init; }

    /// <summary>For a multi-instance body: how many children there are and how many have completed.</summary>
    public int? LoopCount { get; init; }
    public int? LoopCompleted { get; init; }

    /// <summary>Local variables of a multi-instance child (the element variable, the loop counter).</summary>
    public ImmutableDictionary<string, JsonElement> Locals { get; init; } =
        ImmutableDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>
    /// For a multi-instance body over a collection: the items as they were when the body was entered, so a
    /// sequential loop keeps its course even if the variable changes meanwhile.
    /// </summary>
    public ImmutableList<JsonElement>? LoopItems { get; init; }

    /// <summary>For a multi-instance body: each child's outcome, in loop order (null until it completes).</summary>
    public ImmutableList<string?>? LoopOutcomes { get; init; }

    /// <summary>For a token waiting in a call activity: the id of the instance it asked the server to start.</summary>
    public Guid? CalledInstanceId { get; init; }

    public bool IsWaiting => State is ExecutionState.Waiting or ExecutionState.WaitingAtJoin;
}

public enum ExecutionState
{
    /// <summary>Waiting in an activity or event for a command (task completion, timer, job result, child).</summary>
    Waiting,

    /// <summary>Arrived at a joining gateway and waiting for the other branches.</summary>
    WaitingAtJoin,

    /// <summary>A scope (sub-process, multi-instance body) whose children are running.</summary>
    Scope,
}

/// <summary>An open human task: what the server shows in the inbox.</summary>
public sealed record HumanTaskState
{
    public required Guid Id { get; init; }
    public required string NodeId { get; init; }
    public required string ExecutionId { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }
    public string? Assignee { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The expected completion (the lower bound of the Waktu range), when the step has one.</summary>
    public DateTimeOffset? ExpectedAt { get; init; }

    /// <summary>The deadline (the upper bound of the Waktu), when the step has one.</summary>
    public DateTimeOffset? DueAt { get; init; }

    public int? LoopIndex { get; init; }
    public JsonElement? LoopItem { get; init; }
}

public enum TimerPurpose
{
    /// <summary>An intermediate timer catch event.</summary>
    Intermediate,

    /// <summary>A timer on an activity's boundary.</summary>
    Boundary,
}

public sealed record PendingTimer(
    Guid Id,
    string NodeId,
    string ExecutionId,
    TimerPurpose Purpose,
    DateTimeOffset DueAt);

public enum JobKind
{
    Http,
    Notification,
}

/// <summary>Work the server performs after the transaction commits (an HTTP call, a notification).</summary>
public sealed record PendingJob
{
    public required Guid Id { get; init; }
    public required string NodeId { get; init; }
    public required string ExecutionId { get; init; }
    public required JobKind Kind { get; init; }

    public string? Method { get; init; }
    public string? Url { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The request body (JSON) or notification text, with variables already substituted.</summary>
    public string? Body { get; init; }
    public string? ResultVariable { get; init; }

    /// <summary>For a notification: the role to notify.</summary>
    public string? Role { get; init; }
}

/// <param name="JobId">The job that failed, or for a scheduled item's failure the item's id.</param>
public sealed record Incident(Guid Id, Guid JobId, string NodeId, string Error, DateTimeOffset At)
{
    /// <summary>
    /// Set when a reminder, escalation, timer or delivery the server schedules for the instance failed for good:
    /// a retry resolves the incident and the server runs that item again, rather than requesting a job.
    /// </summary>
    public Guid? ScheduledItemId { get; init; }
}

public enum TaskEnding
{
    Completed,
    Cancelled,
}

/// <summary>A human task that is no longer open.</summary>
public sealed record EndedTask(Guid Id, string NodeId, TaskEnding Ending, DateTimeOffset At);
