using System.Text.Json;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>What a command caused, for the server to persist, schedule or perform after commit.</summary>
public abstract record RuntimeEffect;

public sealed record TaskCreated(HumanTaskState Task) : RuntimeEffect;

public sealed record TaskAssigned(HumanTaskState Task, string? PreviousAssignee) : RuntimeEffect;

public sealed record TaskCompleted(HumanTaskState Task, string? Outcome, string? Comment) : RuntimeEffect;

/// <summary>A task ended without being completed (interrupting timer, terminate end, cancel).</summary>
public sealed record TaskCancelled(HumanTaskState Task, string Reason) : RuntimeEffect;

public sealed record TimerScheduled(PendingTimer Timer) : RuntimeEffect;

public sealed record TimerCancelled(PendingTimer Timer) : RuntimeEffect;

public sealed record JobRequested(PendingJob Job) : RuntimeEffect;

public sealed record IncidentRaised(Incident Incident) : RuntimeEffect;

public sealed record IncidentResolved(Incident Incident) : RuntimeEffect;

/// <summary>A call activity asks the server to start an instance of another definition.</summary>
public sealed record CalledInstanceRequested(
    Guid ChildInstanceId,
    string DefinitionKey,
    string ExecutionId,
    IReadOnlyDictionary<string, JsonElement> Variables) : RuntimeEffect;

/// <summary>
/// The activity that called another instance was cancelled (interrupting timer, terminate end, cancel):
/// the server cancels the called instance.
/// </summary>
public sealed record CalledInstanceCancelled(Guid ChildInstanceId, string Reason) : RuntimeEffect;

/// <summary>The instance ended, completed or not; a called instance's parent is told by the server.</summary>
public sealed record InstanceEnded(InstanceStatus Status, IReadOnlyDictionary<string, JsonElement> Variables) : RuntimeEffect;

/// <summary>
/// One line of the audit trail: one thing that happened, from which step to where the tokens went on, and who
/// really did it. The server adds when, the sequence number and the documents of a completed task.
/// </summary>
/// <param name="ToStepIds">Every node the tokens came to rest or ended in, in the order they got there; one
/// completion that ends a team's sub-process and opens the next step is still one line.</param>
public sealed record Audited(
    string Action,
    string? FromStepId,
    IReadOnlyList<string> ToStepIds,
    string? Detail,
    AuditActor Actor) : RuntimeEffect
{
    /// <summary>The task the line is about, for task lines.</summary>
    public Guid? TaskId { get; init; }

    /// <summary>The item of the multi-instance step the task runs for (e.g. the team), for task lines.</summary>
    public JsonElement? Item { get; init; }

    /// <summary>What the person wrote when completing the task.</summary>
    public string? Comment { get; init; }

    /// <summary>The instance variables the command changed, on the command's own line only.</summary>
    public IReadOnlyList<VariableChange> Variables { get; init; } = [];
}

/// <summary>Who did what an audit line records.</summary>
public enum ActorKind
{
    /// <summary>A signed-in person issued the command.</summary>
    Person,

    /// <summary>The engine, as the consequence of another line (a task created, a process ended).</summary>
    Engine,

    /// <summary>A timer came due: a timer event, or a timer start event starting an instance.</summary>
    Scheduler,

    /// <summary>The service's job worker reported a service task's answer or its failure.</summary>
    JobWorker,
}

/// <param name="UserName">The person, for <see cref="ActorKind.Person"/> only.</param>
public sealed record AuditActor(ActorKind Kind, string? UserName)
{
    public static readonly AuditActor Engine = new(ActorKind.Engine, null);
    public static readonly AuditActor Scheduler = new(ActorKind.Scheduler, null);
    public static readonly AuditActor JobWorker = new(ActorKind.JobWorker, null);

    public static AuditActor Person(string userName) => new(ActorKind.Person, userName);
}

/// <summary>A variable a command set or changed: its value before (null when it was new) and after.</summary>
public sealed record VariableChange(string Name, JsonElement? Before, JsonElement After);
