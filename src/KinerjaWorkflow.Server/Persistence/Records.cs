namespace KinerjaWorkflow.Server.Persistence;

/// <summary>An office (satuan kerja), seeded from workflows/&lt;office&gt;/organization.yaml.</summary>
public sealed class OfficeRecord
{
    /// <summary>The folder name under workflows/, e.g. "dinas-bina-marga-sumbar".</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }

    /// <summary>IANA time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).</summary>
    public required string TimeZone { get; set; }

    /// <summary>The organization file as loaded, kept whole for office hours, closures and settings.</summary>
    public required string OrganizationYaml { get; set; }
}

/// <summary>A role (Pelaksana) of an office and the role that supervises it.</summary>
public sealed class OfficeRoleRecord
{
    public required string OfficeId { get; set; }
    public required string Name { get; set; }
    public string? SupervisorRole { get; set; }
}

public sealed class UserRecord
{
    public required Guid Id { get; set; }

    /// <summary>Unique across offices; what people type to sign in.</summary>
    public required string UserName { get; set; }
    public required string DisplayName { get; set; }
    public required string OfficeId { get; set; }
    public required string PasswordHash { get; set; }
    public bool IsAdmin { get; set; }
    public string? Email { get; set; }
    public int FailedLogins { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set by an office admin: the account can neither sign in nor use a token it already has.</summary>
    public bool IsDisabled { get; set; }

    /// <summary>Locks in a row; each lasts longer (Identity/UserSignIn).</summary>
    public int Lockouts { get; set; }

    /// <summary>Still held the demo password at a Production start: refused until an admin sets a new one.</summary>
    public bool NeedsNewPassword { get; set; }
}

public sealed class UserRoleRecord
{
    public required Guid UserId { get; set; }
    public required string RoleName { get; set; }
}

/// <summary>One version of a deployed definition. An unchanged file redeployed is the same version.</summary>
public sealed class DefinitionRecord
{
    public required Guid Id { get; set; }
    public required string Key { get; set; }
    public required int Version { get; set; }
    public required string OfficeId { get; set; }
    public required string Name { get; set; }
    public required string Xml { get; set; }

    /// <summary>SHA-256 of the BPMN text, hex: how an unchanged redeploy is recognised.</summary>
    public required string ContentHash { get; set; }
    public required DateTimeOffset DeployedAt { get; set; }
    public string? DeployedBy { get; set; }

    /// <summary>
    /// Where it came from: the file's path under workflows/ ("bps-bengkulu/pengumpulan-data-capaian-kinerja.bpmn"),
    /// or "designer" for a version an admin published (Definitions/DefinitionProvenance.cs).
    /// </summary>
    public string? Source { get; set; }

    /// <summary>What changed in this version, as whoever published it wrote it (the catatan perubahan).</summary>
    public string? ChangeNote { get; set; }
}

public sealed class InstanceRecord
{
    public required Guid Id { get; set; }
    public required Guid DefinitionId { get; set; }
    public required string DefinitionKey { get; set; }
    public required int DefinitionVersion { get; set; }
    public required string OfficeId { get; set; }
    public string? BusinessKey { get; set; }

    /// <summary>active, completed, cancelled or terminated.</summary>
    public required string Status { get; set; }
    public required DateTimeOffset StartedAt { get; set; }
    public string? StartedBy { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public Guid? ParentInstanceId { get; set; }
    public bool HasIncident { get; set; }

    /// <summary>The engine's InstanceState as JSON: the truth at every wait state.</summary>
    public required string StateJson { get; set; }

    /// <summary>Optimistic concurrency: bumped on every command; a stale writer gets a 409.</summary>
    public long Version { get; set; }

    /// <summary>
    /// The sequence number of the audit trail's last line, written with the lines under the same version check: the
    /// next line's number is known without reading the trail, and a racing command cannot take it.
    /// </summary>
    public long AuditSequence { get; set; }
}

/// <summary>A human task as the inbox sees it, kept in step with the instance state in the same transaction.</summary>
public sealed class TaskRecord
{
    public required Guid Id { get; set; }
    public required Guid InstanceId { get; set; }
    public required string OfficeId { get; set; }
    public required string DefinitionKey { get; set; }
    public required int DefinitionVersion { get; set; }
    public string? BusinessKey { get; set; }

    /// <summary>The BPMN element id of the step.</summary>
    public required string StepId { get; set; }
    public required string StepName { get; set; }
    public int? StepNumber { get; set; }

    /// <summary>The roles that may work on it, as "|Role A|Role B|" so a role filter is a LIKE.</summary>
    public required string Roles { get; set; }
    public string? Assignee { get; set; }

    /// <summary>open, claimed, completed or cancelled.</summary>
    public required string Status { get; set; }
    public required DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpectedAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }
    public string? Outcome { get; set; }
    public string? Comment { get; set; }
    public int? LoopIndex { get; set; }

    /// <summary>The multi-instance item as JSON (e.g. the Bidang this task is for).</summary>
    public string? LoopItem { get; set; }

    /// <summary>
    /// When the next step of the task's reminder and escalation plan falls due, while it is not in the schedule yet;
    /// null when no step is left to schedule (Scheduling's <c>SlaSteps</c>).
    /// </summary>
    public DateTimeOffset? NextSlaStepAt { get; set; }

    /// <summary>How many steps of the task's reminder and escalation plan have been put into the schedule.</summary>
    public int SlaStepsScheduled { get; set; }
}

/// <summary>
/// Append-only (database triggers refuse UPDATE and DELETE): who did what, when, from which step to which.
/// docs/audit-trail.md describes each field.
/// </summary>
public sealed class AuditEntryRecord
{
    public long Id { get; set; }
    public required Guid InstanceId { get; set; }

    /// <summary>1, 2, 3, ... within the instance: the trail's order, which no clock can upset.</summary>
    public required long Sequence { get; set; }
    public required string OfficeId { get; set; }
    public required DateTimeOffset At { get; set; }

    /// <summary>person, engine, scheduler or job-worker.</summary>
    public required string Actor { get; set; }

    /// <summary>The person who acted; null when the actor is not a person.</summary>
    public string? UserName { get; set; }

    /// <summary>The person's name and roles (JSON array) as they were when they acted.</summary>
    public string? ActorName { get; set; }
    public string? ActorRoles { get; set; }
    public required string Action { get; set; }
    public string? FromStep { get; set; }

    /// <summary>JSON array of the steps the work went on to.</summary>
    public string? ToSteps { get; set; }
    public Guid? TaskId { get; set; }

    /// <summary>JSON of the multi-instance item (team, unit) of the task.</summary>
    public string? Item { get; set; }
    public string? Detail { get; set; }
    public string? Comment { get; set; }

    /// <summary>JSON array of the variables the command changed: name, before, after.</summary>
    public string? Variables { get; set; }

    /// <summary>JSON array of the documents of the completed task: id, name, type, size, SHA-256.</summary>
    public string? Documents { get; set; }
}

/// <summary>A completion already answered for an Idempotency-Key, replayed on a retry.</summary>
public sealed class IdempotencyRecord
{
    public required string Key { get; set; }
    public required string UserName { get; set; }
    public required Guid TaskId { get; set; }
    public required int StatusCode { get; set; }
    public required string ResponseJson { get; set; }
    public required DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Work to perform after commit (an HTTP service task, a notification): written in the command's
/// transaction, so it is never lost, and performed by the job worker with retries.
/// </summary>
public sealed class JobRecord
{
    public required Guid Id { get; set; }
    public required Guid InstanceId { get; set; }
    public required string OfficeId { get; set; }
    public required string StepId { get; set; }
    public required string Kind { get; set; }

    /// <summary>The engine's PendingJob as JSON.</summary>
    public required string PayloadJson { get; set; }

    /// <summary>pending, done or failed.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public required DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public required DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A timer the engine waits on (intermediate or boundary), mirrored into the scheduler.</summary>
public sealed class TimerRecord
{
    public required Guid Id { get; set; }
    public required Guid InstanceId { get; set; }
    public required string OfficeId { get; set; }
    public required string StepId { get; set; }
    public required string Purpose { get; set; }
    public required DateTimeOffset DueAt { get; set; }

    /// <summary>pending, fired or cancelled.</summary>
    public required string Status { get; set; }
}

/// <summary>
/// One key of the ASP.NET Core data protection key ring. Kept in the database rather than on a node's disk so
/// every node of a cluster can read the bearer tokens and cookies the others issued, and they survive restarts.
/// </summary>
public sealed class DataProtectionKeyRecord
{
    /// <summary>The name the key manager gives the element, "key-&lt;guid&gt;".</summary>
    public required string FriendlyName { get; set; }
    public required string Xml { get; set; }
}
