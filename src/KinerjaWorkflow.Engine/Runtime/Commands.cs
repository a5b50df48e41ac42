using System.Text.Json;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>Something that happens to an instance. Each runs as one step: state + command -> new state + effects.</summary>
public abstract record RuntimeCommand;

/// <summary>Starts a new instance at the none start event (or the given start event).</summary>
public sealed record StartInstance(
    Guid InstanceId,
    string? BusinessKey,
    IReadOnlyDictionary<string, JsonElement> Variables,
    string? StartEventId = null,
    Guid? ParentInstanceId = null,
    string? ParentExecutionId = null) : RuntimeCommand;

public sealed record ClaimTask(Guid TaskId, string User) : RuntimeCommand;

public sealed record UnclaimTask(Guid TaskId) : RuntimeCommand;

/// <summary>Hands a task to another person (a delegate or a supervisor's reassignment).</summary>
/// <param name="ToName">How the audit line names the recipient for people reading it; the username when not given.</param>
public sealed record AssignTask(Guid TaskId, string ToUser, string Reason, string? ToName = null) : RuntimeCommand;

public sealed record CompleteTask(
    Guid TaskId,
    string? Outcome,
    string? Comment,
    IReadOnlyDictionary<string, JsonElement> Variables) : RuntimeCommand;

public sealed record FireTimer(Guid TimerId) : RuntimeCommand;

/// <summary>A service or send task's job succeeded; its result (if any) is stored in the result variable.</summary>
public sealed record CompleteJob(Guid JobId, JsonElement? Result) : RuntimeCommand;

/// <summary>A service task's job failed for the last time: the instance shows an incident.</summary>
public sealed record FailJob(Guid JobId, string Error) : RuntimeCommand;

/// <summary>
/// Something the server scheduled for the instance (a reminder, an escalation, a timer, a delivery) failed for good:
/// the instance shows an incident, once per item however often it is reported.
/// </summary>
public sealed record ReportScheduledFailure(Guid ScheduledItemId, string NodeId, string Error) : RuntimeCommand;

/// <summary>An admin retries an incident: its job is requested again, or its scheduled item runs again.</summary>
public sealed record RetryIncident(Guid IncidentId) : RuntimeCommand;

/// <summary>The instance started by a call activity has completed; its variables flow back.</summary>
public sealed record CompleteCalledInstance(
    Guid ChildInstanceId,
    IReadOnlyDictionary<string, JsonElement> Variables) : RuntimeCommand;

public sealed record CancelInstance(string? Reason) : RuntimeCommand;
