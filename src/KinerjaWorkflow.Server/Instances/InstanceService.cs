using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>Starting, reading and cancelling instances, always within the caller's office.</summary>
public sealed class InstanceService(
    KinerjaDbContext db,
    DefinitionService definitions,
    DefinitionCatalog catalog,
    InstanceCommandRunner runner,
    AuditTrail trail,
    KnownStates states,
    PeopleNames people,
    OfficeLookup offices)
{
    /// <summary>The values of the list's status filter, as instances store them.</summary>
    public static readonly IReadOnlyList<string> Statuses =
        [.. Enum.GetValues<InstanceStatus>().Select(InstanceCommandRunner.StatusText)];

    public async Task<InstanceView> StartAsync(CurrentUser user, StartInstanceRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.DefinitionKey))
        {
            throw new RuleViolation("definitionKey wajib diisi.");
        }

        if (request.BusinessKey is { Length: > 200 })
        {
            throw new RuleViolation("businessKey paling panjang 200 karakter.");
        }

        var (definition, calendarStamp) = await definitions.LatestAsync(request.DefinitionKey, user.OfficeId, ct);
        await offices.TakeStampAsync(calendarStamp, ct);
        var model = await catalog.ModelOfAsync(db, definition.Id, ct);
        if (!Starters.MayStart(model, user.Roles, user.IsAdmin))
        {
            throw new ForbiddenError(NotAStarter(Starters.RolesOf(model), definition.Name));
        }

        var started = await runner.StartAsync(
            definition,
            request.BusinessKey,
            request.Variables ?? new Dictionary<string, JsonElement>(),
            user.UserName,
            ct);
        return await StartedViewAsync(started.Instance, [.. started.Opened.Where(t => t.InstanceId == started.Instance.Id)], ct);
    }

    /// <summary>
    /// The answer of a start that has committed, from what its command wrote: the tasks it opened are all the instance
    /// has open, and the starter is named as the command read them for the trail's first line.
    /// </summary>
    private async Task<InstanceView> StartedViewAsync(InstanceRecord instance, List<TaskRecord> opened, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (instance.StartedBy is { } starter && trail.PersonRead(starter) is { } person)
        {
            names[starter] = PeopleNames.SortedLabel(person.Name, [.. person.Roles]);
        }

        await people.AddMissingAsync(instance.OfficeId, names, opened.Select(t => t.Assignee).Append(instance.StartedBy), ct);
        return await ViewAsync(instance, states.Of(instance), opened, names, ct);
    }

    /// <summary>Names who may start the SOP, so the person refused knows whom to ask.</summary>
    private static string NotAStarter(IReadOnlyList<string> roles, string sop) => roles.Count == 0
        ? $"Hanya admin yang dapat memulai SOP \"{sop}\"."
        : $"Hanya peran {string.Join(", ", roles)} atau admin yang dapat memulai SOP \"{sop}\".";

    public async Task<IReadOnlyList<InstanceSummary>> ListAsync(
        CurrentUser user,
        string? definitionKey,
        string? status,
        CancellationToken ct)
    {
        var query = db.Instances.AsNoTracking().Where(i => i.OfficeId == user.OfficeId);
        if (!string.IsNullOrWhiteSpace(definitionKey))
        {
            query = query.Where(i => i.DefinitionKey == definitionKey);
        }

        if (!string.IsNullOrWhiteSpace(status))
        {
            var wanted = status.Trim().ToLowerInvariant();
            if (!Statuses.Contains(wanted))
            {
                throw new InvalidRequestError($"status '{status}' tidak dikenal; gunakan salah satu dari {string.Join(", ", Statuses)}.");
            }

            query = query.Where(i => i.Status == wanted);
        }

        var list = await query.OrderByDescending(i => i.StartedAt).Take(500).ToListAsync(ct);
        var names = await people.OfAsync(user.OfficeId, list.Select(i => i.StartedBy), ct);
        return list.Select(i => InstanceSummary.From(i, names.NameOf(i.StartedBy))).ToList();
    }

    public const int MaxCancelReasonLength = 500;

    public Task<InstanceView> GetAsync(CurrentUser user, Guid id, CancellationToken ct) =>
        db.OnOneConnectionAsync(
            async () =>
            {
                var (instance, state, view) = await ReadViewAsync(user, id, ct);
                return view with { CanCancel = Cancellers.RightOf(state, instance.StartedBy, user.UserName, user.IsAdmin) == CancelRight.Allowed };
            },
            ct);

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var instance = await FindAsync(user, id, ct);
        return await trail.ReadAsync(instance.Id, await ModelAsync(instance, ct), ct);
    }

    /// <summary>The rule of docs/cancel-an-instance.md: admins, or the starter while nobody has completed a step; with a reason.</summary>
    public async Task<InstanceView> CancelAsync(CurrentUser user, Guid id, string? reason, CancellationToken ct)
    {
        var instance = await FindAsync(user, id, ct);
        switch (Cancellers.RightOf(states.Of(instance), instance.StartedBy, user.UserName, user.IsAdmin))
        {
            case CancelRight.NotStarter:
                var starter = await people.OfAsync(instance.OfficeId, instance.StartedBy, ct);
                throw new ForbiddenError(starter is null
                    ? "Hanya admin yang dapat membatalkan proses ini."
                    : $"Hanya admin atau yang memulai proses ini ({starter}) yang dapat membatalkannya.");
            case CancelRight.PastFirstStep:
                throw new ForbiddenError("Proses ini sudah melewati langkah pertamanya; hanya admin yang dapat membatalkannya sekarang.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RuleViolation("Tuliskan alasan pembatalan; alasan itu tercatat di riwayat proses.");
        }

        if (reason.Length > MaxCancelReasonLength)
        {
            throw new RuleViolation($"Alasan pembatalan paling panjang {MaxCancelReasonLength} karakter.");
        }

        await runner.ExecuteAsync(instance.Id, new CancelInstance(reason.Trim()), user.UserName, ct);
        return (await ReadViewAsync(user, id, ct)).View;
    }

    public async Task<InstanceView> RetryIncidentAsync(CurrentUser user, Guid id, Guid incidentId, CancellationToken ct)
    {
        if (!user.IsAdmin)
        {
            throw new ForbiddenError("Hanya admin yang dapat mengulang insiden.");
        }

        var instance = await FindAsync(user, id, ct);
        await runner.ExecuteAsync(instance.Id, new RetryIncident(incidentId), user.UserName, ct);
        return (await ReadViewAsync(user, id, ct)).View;
    }

    /// <summary>Compiled, as every read of an instance runs it: a LINQ query is otherwise turned into parameters and looked up at each call.</summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, string, CancellationToken, Task<InstanceRecord?>>> InstanceInOffice = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, Guid id, string officeId, CancellationToken ct) =>
            db.Instances.AsNoTracking().FirstOrDefault(i => i.Id == id && i.OfficeId == officeId)));

    /// <summary>
    /// An instance with its open steps in one statement, which sees the database at one moment: two statements each see
    /// their own, and a command committing between them paired the steps of the new state with the variables of the old.
    /// </summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, string, CancellationToken, Task<InstanceWithOpenTasks?>>> InstanceWithOpenTasksInOffice = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, Guid id, string officeId, CancellationToken ct) =>
            db.Instances.AsNoTracking()
                .Where(i => i.Id == id && i.OfficeId == officeId)
                .Select(i => new InstanceWithOpenTasks(
                    i,
                    db.Tasks.Where(t => t.InstanceId == i.Id && (t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed)).ToList()))
                .FirstOrDefault()));

    private sealed record InstanceWithOpenTasks(InstanceRecord Instance, List<TaskRecord> Tasks);

    private async Task<(InstanceRecord Instance, InstanceState State, InstanceView View)> ReadViewAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var read = await InstanceWithOpenTasksInOffice.For(db)(db, id, user.OfficeId, ct)
            ?? throw NoSuchInstance();
        var state = states.Of(read.Instance);
        var names = await people.OfAsync(read.Instance.OfficeId, read.Tasks.Select(t => t.Assignee).Append(read.Instance.StartedBy), ct);
        return (read.Instance, state, await ViewAsync(read.Instance, state, read.Tasks, names, ct));
    }

    /// <summary>Not in the database, or not in the caller's office: the caller is told the same either way.</summary>
    private static NotFoundError NoSuchInstance() => new("Proses berjalan tidak ditemukan.");

    private async Task<InstanceRecord> FindAsync(CurrentUser user, Guid id, CancellationToken ct) =>
        await InstanceInOffice.For(db)(db, id, user.OfficeId, ct)
        ?? throw NoSuchInstance();

    private async Task<ProcessModel> ModelAsync(InstanceRecord instance, CancellationToken ct) =>
        await catalog.ModelOfAsync(db, instance.DefinitionId, ct);

    private async Task<InstanceView> ViewAsync(
        InstanceRecord instance, InstanceState state, List<TaskRecord> tasks, IReadOnlyDictionary<string, string> names, CancellationToken ct)
    {
        var model = await ModelAsync(instance, ct);
        var active = tasks
            .OrderBy(t => t.StepNumber)
            .ThenBy(t => t.LoopIndex)
            .Select(t => new ActiveStep(
                t.StepId,
                t.StepName,
                t.StepNumber,
                t.Id,
                TaskRoles.Decode(t.Roles),
                t.Assignee,
                names.NameOf(t.Assignee),
                t.ExpectedAt,
                t.DueAt,
                t.LoopItem is null ? null : JsonDocument.Parse(t.LoopItem).RootElement.Clone()))
            .ToList();
        var waiting = state.ActiveNodeIds
            .Where(id => active.All(a => a.StepId != id))
            .Select(id => new WaitingNode(id, model.Node(id).DisplayName, model.Node(id).ElementType))
            .ToList();
        return new InstanceView(
            instance.Id,
            instance.DefinitionKey,
            instance.DefinitionVersion,
            instance.BusinessKey,
            instance.Status,
            instance.StartedAt,
            instance.StartedBy,
            names.NameOf(instance.StartedBy),
            instance.EndedAt,
            instance.ParentInstanceId,
            active,
            waiting,
            state.Incidents.Select(i => new IncidentView(i.Id, i.NodeId, i.Error, i.At)).ToList(),
            state.Variables);
    }
}

public sealed record StartInstanceRequest(
    string DefinitionKey,
    string? BusinessKey,
    Dictionary<string, JsonElement>? Variables);

public sealed record InstanceSummary(
    Guid Id,
    string DefinitionKey,
    int DefinitionVersion,
    string? BusinessKey,
    string Status,
    DateTimeOffset StartedAt,
    string? StartedBy,
    string? StartedByName,
    DateTimeOffset? EndedAt,
    bool HasIncident)
{
    public static InstanceSummary From(InstanceRecord i, string? startedByName) =>
        new(i.Id, i.DefinitionKey, i.DefinitionVersion, i.BusinessKey, i.Status, i.StartedAt, i.StartedBy, startedByName, i.EndedAt, i.HasIncident);
}

public sealed record InstanceView(
    Guid Id,
    string DefinitionKey,
    int DefinitionVersion,
    string? BusinessKey,
    string Status,
    DateTimeOffset StartedAt,
    string? StartedBy,
    string? StartedByName,
    DateTimeOffset? EndedAt,
    Guid? ParentInstanceId,
    IReadOnlyList<ActiveStep> ActiveSteps,
    IReadOnlyList<WaitingNode> Waiting,
    IReadOnlyList<IncidentView> Incidents,
    IReadOnlyDictionary<string, JsonElement> Variables)
{
    /// <summary>Whether the caller may cancel it now (docs/cancel-an-instance.md).</summary>
    public bool CanCancel { get; init; }
}

public sealed record ActiveStep(
    string StepId,
    string StepName,
    int? StepNumber,
    Guid TaskId,
    IReadOnlyList<string> Roles,
    string? Assignee,
    string? AssigneeName,
    DateTimeOffset? ExpectedAt,
    DateTimeOffset? DueAt,
    JsonElement? Item);

/// <summary>A token waiting somewhere other than a human task: a timer, a job, a called instance.</summary>
public sealed record WaitingNode(string NodeId, string Name, string ElementType);

public sealed record IncidentView(Guid Id, string StepId, string Error, DateTimeOffset At);
