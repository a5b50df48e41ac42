using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>
/// Runs engine commands against stored instances: load the state, let the engine move the tokens to the
/// next wait state, and write the new state, the inbox rows, the timers, the jobs and the audit trail in
/// one SaveChanges (one transaction). The instance's version makes a racing writer fail with a 409.
/// </summary>
public sealed class InstanceCommandRunner(
    KinerjaDbContext db,
    DefinitionCatalog catalog,
    OfficeDirectory offices,
    TimeProvider clock,
    IEnumerable<IInstanceEffectsHook> effectsHooks,
    IEnumerable<ICommittedCommandListener> committedListeners,
    AuditTrail auditTrail,
    KinerjaMetrics metrics,
    ILogger<InstanceCommandRunner> logger)
{
    /// <summary>Measurements of this unit of work, taken only once it is committed (a 409 counts nothing).</summary>
    private readonly List<Action> _measureAfterSave = [];

    internal static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    /// <summary>Tasks written by the command, told to the live streams once it has committed.</summary>
    private readonly List<TaskRecord> _created = [];

    private const int MaxCalledDepth = 16;

    public Task<InstanceRecord> StartAsync(
        DefinitionRecord definition,
        string? businessKey,
        IReadOnlyDictionary<string, JsonElement> variables,
        string? user,
        CancellationToken ct) =>
        StartAsync(definition, businessKey, variables, user, null, ct);

    /// <summary>Starts at the given start event (a timer start event), or at the none start event when it is null.</summary>
    public async Task<InstanceRecord> StartAsync(
        DefinitionRecord definition,
        string? businessKey,
        IReadOnlyDictionary<string, JsonElement> variables,
        string? user,
        string? startEventId,
        CancellationToken ct)
    {
        var instance = await StartCoreAsync(Guid.NewGuid(), definition, businessKey, variables, user, null, null, 0, startEventId, ct);
        await SaveAsync(ct);
        return instance;
    }

    /// <summary>Runs one command on an instance and commits; returns the instance and the engine's effects.</summary>
    public async Task<(InstanceRecord Instance, IReadOnlyList<RuntimeEffect> Effects)> ExecuteAsync(
        Guid instanceId,
        RuntimeCommand command,
        string? user,
        CancellationToken ct)
    {
        var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == instanceId, ct)
            ?? throw new NotFoundError("Instans tidak ditemukan.");
        var effects = await ExecuteCoreAsync(instance, command, user, 0, ct);
        await SaveAsync(ct);
        return (instance, effects);
    }

    private async Task<InstanceRecord> StartCoreAsync(
        Guid id,
        DefinitionRecord definition,
        string? businessKey,
        IReadOnlyDictionary<string, JsonElement> variables,
        string? user,
        Guid? parentInstanceId,
        string? parentExecutionId,
        int depth,
        string? startEventId,
        CancellationToken ct)
    {
        var model = catalog.ModelOf(definition);
        var office = await offices.GetAsync(definition.OfficeId, ct);
        var merged = new Dictionary<string, JsonElement>(office.DefaultVariables, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            merged[name] = value;
        }

        var instance = new InstanceRecord
        {
            Id = id,
            DefinitionId = definition.Id,
            DefinitionKey = definition.Key,
            DefinitionVersion = definition.Version,
            OfficeId = definition.OfficeId,
            BusinessKey = businessKey,
            Status = StatusText(InstanceStatus.Active),
            StartedAt = clock.GetUtcNow(),
            StartedBy = user,
            ParentInstanceId = parentInstanceId,
            StateJson = "{}",
            Version = 0,
        };
        db.Instances.Add(instance);
        await RunAsync(
            instance,
            model,
            null,
            new StartInstance(id, businessKey, merged, startEventId, parentInstanceId, parentExecutionId),
            user,
            depth,
            ct);
        return instance;
    }

    private async Task<IReadOnlyList<RuntimeEffect>> ExecuteCoreAsync(
        InstanceRecord instance,
        RuntimeCommand command,
        string? user,
        int depth,
        CancellationToken ct)
    {
        var definition = await db.Definitions.FirstAsync(d => d.Id == instance.DefinitionId, ct);
        var model = catalog.ModelOf(definition);
        var state = JsonSerializer.Deserialize<InstanceState>(instance.StateJson, StateJson)
            ?? throw new InvalidOperationException($"Instance {instance.Id} has no state.");
        return await RunAsync(instance, model, state, command, user, depth, ct);
    }

    private async Task<IReadOnlyList<RuntimeEffect>> RunAsync(
        InstanceRecord instance,
        ProcessModel model,
        InstanceState? state,
        RuntimeCommand command,
        string? user,
        int depth,
        CancellationToken ct)
    {
        var office = await offices.GetAsync(instance.OfficeId, ct);
        var now = clock.GetUtcNow();
        RuntimeResult result;
        try
        {
            result = WorkflowRuntime.Execute(model, state, command, new RuntimeContext
            {
                Now = now,
                User = user,
                Deadlines = office.DeadlinesFor(model),
            });
        }
        catch (RuntimeCommandException refused)
        {
            throw refused.Kind switch
            {
                RuntimeErrorKind.NotFound => new NotFoundError(refused.Message),
                RuntimeErrorKind.Conflict => new ConflictError(refused.Message),
                _ => new RuleViolation(refused.Message),
            };
        }

        instance.StateJson = JsonSerializer.Serialize(result.State, StateJson);
        instance.Status = StatusText(result.State.Status);
        instance.EndedAt = result.State.EndedAt;
        instance.HasIncident = result.State.Incidents.Count > 0;
        instance.Version++;

        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["InstanceId"] = instance.Id,
            ["DefinitionKey"] = instance.DefinitionKey,
            ["User"] = user ?? "system",
        });
        logger.LogInformation(
            "Command {Command} on instance {InstanceId} by {User}: {EffectCount} effects",
            command.GetType().Name,
            instance.Id,
            user ?? "system",
            result.Effects.Count);

        foreach (var effect in result.Effects)
        {
            await ApplyAsync(instance, model, effect, user, now, depth, ct);
        }

        foreach (var hook in effectsHooks)
        {
            await hook.OnEffectsAsync(instance, result.Effects, ct);
        }

        return result.Effects;
    }

    private async Task ApplyAsync(
        InstanceRecord instance,
        ProcessModel model,
        RuntimeEffect effect,
        string? user,
        DateTimeOffset now,
        int depth,
        CancellationToken ct)
    {
        switch (effect)
        {
            case TaskCreated created:
                _created.Add(db.Tasks.Add(NewTaskRecord(instance, model, created.Task)).Entity);
                _measureAfterSave.Add(() => metrics.TaskCreated(instance.OfficeId, instance.DefinitionKey));
                logger.LogInformation(
                    "Task {TaskId} created at step {StepId} for roles {Roles}, due {DueAt}",
                    created.Task.Id,
                    created.Task.NodeId,
                    created.Task.Roles,
                    created.Task.DueAt);
                break;

            case TaskAssigned assigned:
                {
                    var task = await TrackedTaskAsync(assigned.Task.Id, ct);
                    task.Assignee = assigned.Task.Assignee;
                    task.Status = assigned.Task.Assignee is null ? TaskStatusText.Open : TaskStatusText.Claimed;
                    logger.LogInformation(
                        "Task {TaskId} at step {StepId} assigned to {Assignee} by {User}",
                        task.Id,
                        task.StepId,
                        task.Assignee,
                        user);
                    break;
                }

            case TaskCompleted completed:
                {
                    var task = await TrackedTaskAsync(completed.Task.Id, ct);
                    task.Status = TaskStatusText.Completed;
                    task.CompletedAt = now;
                    task.CompletedBy = user;
                    task.Assignee ??= user;
                    task.Outcome = completed.Outcome;
                    task.Comment = completed.Comment;
                    _measureAfterSave.Add(() => metrics.TaskCompleted(instance.OfficeId, instance.DefinitionKey));
                    logger.LogInformation(
                        "Task {TaskId} at step {StepId} completed by {User} with outcome {Outcome}",
                        task.Id,
                        task.StepId,
                        user,
                        completed.Outcome);
                    break;
                }

            case TaskCancelled cancelled:
                {
                    var task = await TrackedTaskAsync(cancelled.Task.Id, ct);
                    task.Status = TaskStatusText.Cancelled;
                    task.CompletedAt = now;
                    task.Comment = cancelled.Reason;
                    break;
                }

            case TimerScheduled scheduled:
                db.Timers.Add(new TimerRecord
                {
                    Id = scheduled.Timer.Id,
                    InstanceId = instance.Id,
                    OfficeId = instance.OfficeId,
                    StepId = scheduled.Timer.NodeId,
                    Purpose = scheduled.Timer.Purpose.ToString(),
                    DueAt = scheduled.Timer.DueAt,
                    Status = TimerStatusText.Pending,
                });
                break;

            case TimerCancelled cancelledTimer:
                {
                    var timer = await db.Timers.FindAsync([cancelledTimer.Timer.Id], ct);
                    if (timer is not null)
                    {
                        timer.Status = TimerStatusText.Cancelled;
                    }
                    break;
                }

            case JobRequested requested:
                db.Jobs.Add(new JobRecord
                {
                    Id = requested.Job.Id,
                    InstanceId = instance.Id,
                    OfficeId = instance.OfficeId,
                    StepId = requested.Job.NodeId,
                    Kind = requested.Job.Kind.ToString(),
                    PayloadJson = JsonSerializer.Serialize(requested.Job, StateJson),
                    Status = JobStatusText.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                });
                break;

            case IncidentRaised raised:
                logger.LogWarning(
                    "Incident {IncidentId} on instance {InstanceId} at step {StepId}: {Error}",
                    raised.Incident.Id,
                    instance.Id,
                    raised.Incident.NodeId,
                    raised.Incident.Error);
                break;

            case CalledInstanceRequested called:
                await StartCalledAsync(instance, called, user, depth, ct);
                break;

            case CalledInstanceCancelled cancelledChild:
                {
                    var child = await db.Instances.FirstOrDefaultAsync(i => i.Id == cancelledChild.ChildInstanceId, ct);
                    if (child is not null && child.Status == StatusText(InstanceStatus.Active))
                    {
                        // The called instance is cancelled by its parent's engine, not by whoever acted on the parent.
                        await ExecuteCoreAsync(child, new CancelInstance(cancelledChild.Reason), null, depth + 1, ct);
                    }

                    break;
                }

            case InstanceEnded ended when instance.ParentInstanceId is { } parentId && ended.Status == InstanceStatus.Completed:
                {
                    var parent = await db.Instances.FirstAsync(i => i.Id == parentId, ct);
                    await ExecuteCoreAsync(parent, new CompleteCalledInstance(instance.Id, ended.Variables), user, depth + 1, ct);
                    break;
                }

            case Audited audited:
                await auditTrail.AddAsync(instance, audited, now, ct);
                break;
        }
    }

    private async Task StartCalledAsync(InstanceRecord parent, CalledInstanceRequested called, string? user, int depth, CancellationToken ct)
    {
        if (depth >= MaxCalledDepth)
        {
            throw new RuleViolation($"Pemanggilan definisi bertingkat melebihi {MaxCalledDepth} tingkat.");
        }

        var definition = await db.Definitions
            .Where(d => d.Key == called.DefinitionKey && d.OfficeId == parent.OfficeId)
            .OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct)
            ?? throw new RuleViolation($"Definisi '{called.DefinitionKey}' yang dipanggil tidak ditemukan.");
        await StartCoreAsync(
            called.ChildInstanceId,
            definition,
            parent.BusinessKey,
            called.Variables,
            user,
            parent.Id,
            called.ExecutionId,
            depth + 1,
            null,
            ct);
    }

    private TaskRecord NewTaskRecord(InstanceRecord instance, ProcessModel model, HumanTaskState task)
    {
        var node = model.Node(task.NodeId) as HumanTask;
        return new TaskRecord
        {
            Id = task.Id,
            InstanceId = instance.Id,
            OfficeId = instance.OfficeId,
            DefinitionKey = instance.DefinitionKey,
            DefinitionVersion = instance.DefinitionVersion,
            BusinessKey = instance.BusinessKey,
            StepId = task.NodeId,
            StepName = model.Node(task.NodeId).DisplayName,
            StepNumber = node?.Step?.Number,
            Roles = TaskRoles.Encode(task.Roles),
            Assignee = task.Assignee,
            Status = task.Assignee is null ? TaskStatusText.Open : TaskStatusText.Claimed,
            CreatedAt = task.CreatedAt,
            ExpectedAt = task.ExpectedAt,
            DueAt = task.DueAt,
            LoopIndex = task.LoopIndex,
            LoopItem = task.LoopItem?.GetRawText(),
        };
    }

    private async Task<TaskRecord> TrackedTaskAsync(Guid id, CancellationToken ct) =>
        db.Tasks.Local.FirstOrDefault(t => t.Id == id)
        ?? await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, ct)
        ?? throw new InvalidOperationException($"Task {id} is in the instance state but not in the inbox.");

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            _measureAfterSave.Clear();
            _created.Clear();
            db.ChangeTracker.Clear();
            throw new ConflictError("Instans ini baru saja diubah oleh orang lain. Muat ulang lalu coba lagi.");
        }
        catch
        {
            _measureAfterSave.Clear();
            _created.Clear();
            throw;
        }

        foreach (var measure in _measureAfterSave)
        {
            measure();
        }

        _measureAfterSave.Clear();
        foreach (var listener in committedListeners)
        {
            listener.OnCommitted(db, _created);
        }

        _created.Clear();
    }

    internal static string StatusText(InstanceStatus status) => status switch
    {
        InstanceStatus.Active => "active",
        InstanceStatus.Completed => "completed",
        InstanceStatus.Cancelled => "cancelled",
        InstanceStatus.Terminated => "terminated",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
