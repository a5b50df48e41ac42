namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>The <see cref="Audited.Action"/> values the runtime writes to the audit trail.</summary>
public static class AuditActions
{
    public const string InstanceStarted = "instance-started";
    public const string InstanceCompleted = "instance-completed";
    public const string InstanceTerminatedByEndEvent = "instance-terminated-by-end-event";
    public const string InstanceCancelled = "instance-cancelled";

    public const string TaskCreated = "task-created";
    public const string TaskClaimed = "task-claimed";
    public const string TaskUnclaimed = "task-unclaimed";
    public const string TaskAssigned = "task-assigned";
    public const string TaskCompleted = "task-completed";
    public const string TaskCancelled = "task-cancelled";

    public const string TimerFired = "timer-fired";

    public const string JobRequested = "job-requested";
    public const string JobCompleted = "job-completed";
    public const string IncidentRaised = "incident-raised";
    public const string IncidentResolved = "incident-resolved";

    public const string CalledInstanceRequested = "called-instance-requested";
    public const string CalledInstanceCompleted = "called-instance-completed";
    public const string CalledInstanceCancelled = "called-instance-cancelled";
}
