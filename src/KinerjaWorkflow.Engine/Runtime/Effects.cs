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
/// One line of the audit trail: what happened, from which step to which. The server adds who and when.
/// </summary>
public sealed record Audited(string Action, string? FromStepId, string? ToStepId, string? Detail) : RuntimeEffect;
