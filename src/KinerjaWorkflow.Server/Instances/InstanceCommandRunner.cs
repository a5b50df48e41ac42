using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Attachments;
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
/// one transaction. The instance's version makes a racing writer fail with a 409.
/// </summary>
public sealed partial class InstanceCommandRunner(
    KinerjaDbContext db,
    DefinitionCatalog catalog,
    OfficeLookup offices,
    PeopleNames people,
    TimeProvider clock,
    IEnumerable<IInstanceEffectsHook> effectsHooks,
    IEnumerable<ICommittedCommandListener> committedListeners,
    AuditTrail auditTrail,
    KnownStates knownStates,
    CommandStatements statements,
    CommandRows rows,
    WriteTurn writeTurn,
    KinerjaMetrics metrics,
    ILogger<InstanceCommandRunner> logger)
{
    /// <summary>Measurements of this unit of work, taken only once it is committed (a 409 counts nothing).</summary>
    private readonly List<Action> _measureAfterSave = [];

    internal static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Compiled: every command loads its instance this way, untracked: the command holds the rows it writes
    /// (<see cref="CommandRows"/>).
    /// </summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, CancellationToken, Task<InstanceRecord?>>> InstanceById = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, Guid id, CancellationToken ct) => db.Instances.AsNoTracking().FirstOrDefault(i => i.Id == id)));

    /// <summary>
    /// Compiled: a person's command loads its instance together with what the command's trail lines record
    /// (<see cref="AuditTrail"/>): the acting person's name and roles in the instance's office and, for a completion,
    /// whether the completed task has documents; one statement instead of three, untracked. A row for each of the
    /// person's roles (one row without any): a user name is unique, so at most one person joins the instance row. Rows
    /// rather than a list of roles in one row: EF shapes a nested list with a result coordinator and delegates built at
    /// every call, which cost a completion more than its SQL did (bench/README.md, issue 17).
    /// </summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, string, Guid, IAsyncEnumerable<InstanceAndActor>>> InstanceAndActorById = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, Guid id, string userName, Guid completedTaskId) =>
            from i in db.Instances.AsNoTracking()
            where i.Id == id
            join u in db.Users.Where(u => u.UserName == userName) on i.OfficeId equals u.OfficeId into people
            from u in people.DefaultIfEmpty()
            join r in db.UserRoles on u!.Id equals r.UserId into roles
            from r in roles.DefaultIfEmpty()
            select new InstanceAndActor(
                i,
                u == null ? null : u.DisplayName,
                r == null ? null : r.RoleName,
                db.Set<AttachmentRecord>().Any(a => a.InstanceId == i.Id && a.TaskId == completedTaskId))));

    private sealed record InstanceAndActor(InstanceRecord Instance, string? ActorName, string? ActorRole, bool HasDocuments);

    /// <summary>
    /// Compiled: a person's completion loads, in one statement, the task in their office with the calendar stamp (as
    /// <c>TaskGate</c> reads a task) and the people stamp (<see cref="PeopleNames.TakeStamp"/>), its instance, and what
    /// <see cref="InstanceAndActorById"/> loads for the trail, a row for each of the person's roles. Neither record is
    /// tracked: the command holds both (<see cref="CommandRows"/>) and changes the task in place, which writes only the
    /// columns it changed.
    /// </summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, string, string, IAsyncEnumerable<TaskAndInstance>>> TaskAndInstanceById = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, Guid taskId, string officeId, string userName) =>
            from t in db.Tasks.AsNoTracking()
            where t.Id == taskId && t.OfficeId == officeId
            join i in db.Instances on t.InstanceId equals i.Id
            join u in db.Users.Where(u => u.UserName == userName) on i.OfficeId equals u.OfficeId into people
            from u in people.DefaultIfEmpty()
            join r in db.UserRoles on u!.Id equals r.UserId into roles
            from r in roles.DefaultIfEmpty()
            select new TaskAndInstance(
                t,
                db.Set<ServiceSettingRecord>().Where(s => s.Name == HolidayCalendar.StampSetting).Select(s => s.Value).FirstOrDefault(),
                db.Set<ServiceSettingRecord>().Where(s => s.Name == PeopleNames.StampSetting).Select(s => s.Value).FirstOrDefault(),
                i,
                u == null ? null : u.DisplayName,
                r == null ? null : r.RoleName,
                db.Set<AttachmentRecord>().Any(a => a.InstanceId == i.Id && a.TaskId == t.Id))));

    private sealed record TaskAndInstance(
        TaskRecord Task, string? CalendarStamp, string? PeopleStamp, InstanceRecord Instance, string? ActorName, string? ActorRole, bool HasDocuments);

    /// <summary>
    /// Tells the trail who acts, with their roles gathered from the rows, and that the completed task has no documents
    /// when the rows say so (a task with documents has them read when its line is written).
    /// </summary>
    private void ActorFrom(string user, string? name, IEnumerable<string?> roles, Guid? completedTaskId, bool hasDocuments)
    {
        auditTrail.ActorIs(user, name is null ? null : (name, AuditTrail.RolesOf(roles)));
        if (completedTaskId is { } taskId && !hasDocuments)
        {
            auditTrail.DocumentsAre(taskId, []);
        }
    }

    /// <summary>Tasks written by the command, told to the live streams once it has committed.</summary>
    private readonly List<TaskRecord> _created = [];

    public Task<CommandOutcome> StartAsync(
        DefinitionHead definition,
        string? businessKey,
        IReadOnlyDictionary<string, JsonElement> variables,
        string? user,
        CancellationToken ct) =>
        StartAsync(definition, businessKey, variables, user, null, ct);

    /// <summary>
    /// Starts at the given start event (a timer start event), or at the none start event when it is null, and commits;
    /// returns the new instance, the engine's effects and the tasks it opened.
    /// </summary>
    public Task<CommandOutcome> StartAsync(
        DefinitionHead definition,
        string? businessKey,
        IReadOnlyDictionary<string, JsonElement> variables,
        string? user,
        string? startEventId,
        CancellationToken ct)
        => db.OnOneConnectionAsync(
            async () =>
            {
                Clear();
                var (instance, effects) = await StartCoreAsync(Guid.NewGuid(), definition, businessKey, variables, user, null, null, 0, startEventId, ct);
                var opened = StillOpen(_created);
                await SaveAsync(ct);
                return new CommandOutcome(instance, effects, opened);
            },
            ct);

    /// <summary>Runs one command on an instance and commits; returns the instance, the engine's effects and the tasks it opened.</summary>
    public Task<CommandOutcome> ExecuteAsync(
        Guid instanceId,
        RuntimeCommand command,
        string? user,
        CancellationToken ct) =>
        db.OnOneConnectionAsync(
            async () =>
            {
                Clear();
                var instance = await LoadAsync(instanceId, user, command, ct) ?? throw new NotFoundError("Proses tidak ditemukan.");
                return await RunAndSaveAsync(instance, command, user, ct);
            },
            ct);

    /// <summary>
    /// Completes a task of the person's office, loading the task and its instance in one statement: <paramref name="check"/>
    /// gets the task as stored, refuses what the person may not do by throwing, and gives the completion to run. A task
    /// not in the office is not found; nothing is written unless the check passes and the command commits.
    /// </summary>
    public Task<CommandOutcome> CompleteAsync(
        Guid taskId,
        string officeId,
        string user,
        Func<TaskRecord, ValueTask<CompleteTask>> check,
        CancellationToken ct) =>
        db.OnOneConnectionAsync(
            async () =>
            {
                Clear();
                var loadedRows = await TaskAndInstanceById.For(db)(db, taskId, officeId, user).ToListAsync(ct);
                var loaded = loadedRows.Count > 0 ? loadedRows[0] : throw new NotFoundError("Tugas tidak ditemukan.");
                await offices.TakeStampAsync(loaded.CalendarStamp, ct);
                people.TakeStamp(loaded.PeopleStamp);
                var command = await check(loaded.Task);
                ActorFrom(user, loaded.ActorName, loadedRows.Select(r => r.ActorRole), taskId, loaded.HasDocuments);
                rows.Read(loaded.Task);
                rows.Read(loaded.Instance);
                return await RunAndSaveAsync(loaded.Instance, command, user, ct);
            },
            ct);

    private async Task<CommandOutcome> RunAndSaveAsync(InstanceRecord instance, RuntimeCommand command, string? user, CancellationToken ct)
    {
        var effects = await ExecuteCoreAsync(instance, command, user, 0, ct);
        var opened = StillOpen(_created);
        await SaveAsync(ct);
        return new CommandOutcome(instance, effects, opened);
    }

    private static List<TaskRecord> StillOpen(List<TaskRecord> created) => created.Where(t => t.Status is TaskStatusText.Open or TaskStatusText.Claimed).ToList();

    /// <summary>A new command's start: nothing of an earlier command in the request is held, run or written.</summary>
    private void Clear()
    {
        statements.Clear();
        rows.Clear();
    }

    private async Task<InstanceRecord?> LoadAsync(Guid instanceId, string? user, RuntimeCommand command, CancellationToken ct)
    {
        if (user is null)
        {
            return Held(await InstanceById.For(db)(db, instanceId, ct));
        }

        var completed = command is CompleteTask complete ? complete.TaskId : (Guid?)null;
        var loaded = await InstanceAndActorById.For(db)(db, instanceId, user, completed ?? Guid.Empty).ToListAsync(ct);
        if (loaded.Count == 0)
        {
            return null;
        }

        ActorFrom(user, loaded[0].ActorName, loaded.Select(r => r.ActorRole), completed, loaded[0].HasDocuments);
        return Held(loaded[0].Instance);
    }

    /// <summary>An instance another in the command calls or was called by: the one the command holds, or read untracked.</summary>
    private async Task<InstanceRecord?> RelatedAsync(Guid instanceId, CancellationToken ct) =>
        rows.Instance(instanceId) ?? Held(await InstanceById.For(db)(db, instanceId, ct));

    private InstanceRecord? Held(InstanceRecord? instance)
    {
        if (instance is not null)
        {
            rows.Read(instance);
        }

        return instance;
    }

    private async Task<(InstanceRecord Instance, IReadOnlyList<RuntimeEffect> Effects)> StartCoreAsync(
        Guid id,
        DefinitionHead definition,
        string? businessKey,
        IReadOnlyDictionary<string, JsonElement> variables,
        string? user,
        Guid? parentInstanceId,
        string? parentExecutionId,
        int depth,
        string? startEventId,
        CancellationToken ct)
    {
        var model = await catalog.ModelOfAsync(db, definition.Id, ct);
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
        rows.Add(instance);
        var effects = await RunAsync(
            instance,
            model,
            office,
            null,
            new StartInstance(id, businessKey, merged, startEventId, parentInstanceId, parentExecutionId),
            user,
            depth,
            ct);
        return (instance, effects);
    }

    private async Task<IReadOnlyList<RuntimeEffect>> ExecuteCoreAsync(
        InstanceRecord instance,
        RuntimeCommand command,
        string? user,
        int depth,
        CancellationToken ct)
    {
        var model = await catalog.ModelOfAsync(db, instance.DefinitionId, ct);
        var office = await offices.GetAsync(instance.OfficeId, ct);
        return await RunAsync(instance, model, office, knownStates.Of(instance), command, user, depth, ct);
    }

    private async Task<IReadOnlyList<RuntimeEffect>> RunAsync(
        InstanceRecord instance,
        ProcessModel model,
        OfficeProfile office,
        InstanceState? state,
        RuntimeCommand command,
        string? user,
        int depth,
        CancellationToken ct)
    {
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

        instance.StateJson = knownStates.Write(instance.Id, result.State);
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

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            auditTrail.Abandoned();
            _measureAfterSave.Clear();
            _created.Clear();
            rows.Clear();
            db.ChangeTracker.Clear();
            throw new ConflictError("Proses ini baru saja diubah oleh orang lain. Muat ulang lalu coba lagi.");
        }
        catch
        {
            auditTrail.Abandoned();
            _measureAfterSave.Clear();
            _created.Clear();
            rows.Clear();
            throw;
        }

        auditTrail.Written();
        rows.Clear();

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

    /// <summary>
    /// The command's statements, the rows it holds and the context's tracked rows in one transaction, the rows written
    /// by <see cref="TrackedRows"/> rather than SaveChanges (the SQL of each row built once, not at every save); a
    /// transaction of its own waits for its <see cref="WriteTurn"/>.
    /// </summary>
    private async Task SaveChangesAsync(CancellationToken ct)
    {
        try
        {
            var own = db.Database.CurrentTransaction is null;
            using var turn = own ? await writeTurn.TakeAsync(ct) : default;
            await using var transaction = own ? await db.Database.BeginTransactionAsync(ct) : null;
            await statements.RunAsync(ct);
            await TrackedRows.SaveAsync(db, [.. rows.Added, .. auditTrail.Unsaved], rows.Changed(), ct);
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }
        }
        finally
        {
            statements.Clear();
        }
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

/// <summary>
/// What one committed command did: the instance as written, the engine's effects, and the tasks it opened that are
/// still open (in this instance or in one it started), in the order the engine opened them.
/// </summary>
public sealed record CommandOutcome(InstanceRecord Instance, IReadOnlyList<RuntimeEffect> Effects, IReadOnlyList<TaskRecord> Opened)
{
    public void Deconstruct(out InstanceRecord instance, out IReadOnlyList<RuntimeEffect> effects) =>
        (instance, effects) = (Instance, Effects);
}
