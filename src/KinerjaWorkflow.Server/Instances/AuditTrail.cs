using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>
/// The instance's audit trail (docs/audit-trail.md): writes the engine's lines with their sequence number,
/// the acting person's name and roles as they were when they acted, and the documents of a completed task;
/// and reads the trail back in sequence order. Lines are only ever added: the database refuses changes and deletions.
/// </summary>
public sealed class AuditTrail(KinerjaDbContext db, KnownTrails known)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Compiled: these run at every command and every answer.
    // Only the columns a history line shows: the row's key, instance and office are known and would be read for nothing.
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, long, IAsyncEnumerable<StoredLine>>> TrailAfter = new(() =>
        EF.CompileAsyncQuery<KinerjaDbContext, Guid, long, StoredLine>((KinerjaDbContext db, Guid instanceId, long after) => db.AuditEntries.AsNoTracking()
            .Where(a => a.InstanceId == instanceId && a.Sequence > after)
            .OrderBy(a => a.Sequence)
            .Select(a => new StoredLine(
                a.Sequence,
                a.At,
                a.Actor,
                a.UserName,
                a.ActorName,
                a.ActorRoles,
                a.Action,
                a.FromStep,
                a.ToSteps,
                a.TaskId,
                a.Item,
                a.Detail,
                a.Comment,
                a.Variables,
                a.Documents))));

    /// <summary>A row for each of the person's roles (one without any): a nested list costs EF more to shape than rows.</summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, string, string, IAsyncEnumerable<StoredPerson>>> PersonIn = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, string officeId, string userName) =>
            from u in db.Users.AsNoTracking()
            where u.UserName == userName && u.OfficeId == officeId
            join r in db.UserRoles on u.Id equals r.UserId into roles
            from r in roles.DefaultIfEmpty()
            select new StoredPerson(u.DisplayName, r == null ? null : r.RoleName)));

    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, IAsyncEnumerable<AttachmentRecord>>> AttachmentsOf = new(() =>
        EF.CompileAsyncQuery<KinerjaDbContext, Guid, AttachmentRecord>((KinerjaDbContext db, Guid taskId) => db.Set<AttachmentRecord>().AsNoTracking()
            .Where(a => a.TaskId == taskId)
            .OrderBy(a => a.UploadedAt)));

    private readonly Dictionary<string, (string Name, IReadOnlyList<string> Roles)?> _people = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, IReadOnlyList<AuditDocument>> _documents = [];
    private readonly List<AuditEntryRecord> _unsaved = [];
    private readonly List<AuditEntryRecord> _written = [];

    /// <summary>
    /// The acting person's name and roles as the command read them with its instance (null: nobody of that name in the
    /// instance's office), so its lines need not look them up again.
    /// </summary>
    public void ActorIs(string userName, (string Name, IReadOnlyList<string> Roles)? person) => _people[userName] = person;

    /// <summary>
    /// The person as this unit of work read them for its lines, as they are now; null when it has not read them, or
    /// found nobody of that name.
    /// </summary>
    public (string Name, IReadOnlyList<string> Roles)? PersonRead(string userName) => _people.GetValueOrDefault(userName);

    /// <summary>The documents of the task the command completes, as the command read them with its instance.</summary>
    public void DocumentsAre(Guid taskId, IReadOnlyList<AuditDocument> documents) => _documents[taskId] = documents;

    /// <summary>The lines added since the last save are written in this unit of work: an answer may end the trail with them.</summary>
    public void Written()
    {
        _written.AddRange(_unsaved);
        _unsaved.Clear();
    }

    /// <summary>The save failed: the lines added since the last one are not in the database.</summary>
    public void Abandoned() => _unsaved.Clear();

    /// <summary>
    /// Adds one line to the command's unit of work; it commits with the command that caused it. The runner's save
    /// writes it (<see cref="Unsaved"/>): the context does not track it, as nothing changes or reads a line before it is
    /// written, and tracking each line was about a twentieth of a completion's CPU (bench/README.md, issue 17).
    /// </summary>
    public async Task AddAsync(InstanceRecord instance, Audited line, DateTimeOffset at, CancellationToken ct) =>
        _unsaved.Add(await LineAsync(instance, line, at, ct));

    /// <summary>The lines added since the last save, for the runner's save to write.</summary>
    internal IReadOnlyList<AuditEntryRecord> Unsaved => _unsaved;

    /// <summary>
    /// One line for the caller's unit of work to write (<see cref="AddAsync"/> for a command's). Its number is one more
    /// than the instance's last line, counted on the instance row: the command moves the instance's version on in the
    /// same transaction, so a racing command on the same instance fails on that version (409) and writes no line.
    /// </summary>
    public async Task<AuditEntryRecord> LineAsync(InstanceRecord instance, Audited line, DateTimeOffset at, CancellationToken ct)
    {
        var person = line.Actor.UserName is { } userName ? await PersonAsync(instance.OfficeId, userName, ct) : null;
        var documents = line.Action == AuditActions.TaskCompleted && line.TaskId is { } taskId
            ? await DocumentsOfAsync(taskId, ct)
            : [];
        var record = new AuditEntryRecord
        {
            InstanceId = instance.Id,
            Sequence = ++instance.AuditSequence,
            OfficeId = instance.OfficeId,
            At = at,
            Actor = ActorText(line.Actor.Kind),
            UserName = line.Actor.UserName,
            ActorName = person?.Name,
            ActorRoles = person is { } p ? JsonSerializer.Serialize(p.Roles, Json) : null,
            Action = line.Action,
            FromStep = line.FromStepId,
            ToSteps = line.ToStepIds.Count == 0 ? null : JsonSerializer.Serialize(line.ToStepIds, Json),
            TaskId = line.TaskId,
            Item = line.Item?.GetRawText(),
            Detail = line.Detail,
            Comment = line.Comment,
            Variables = line.Variables.Count == 0 ? null : JsonSerializer.Serialize(line.Variables, Json),
            Documents = documents.Count == 0 ? null : JsonSerializer.Serialize(documents, Json),
        };
        return record;
    }

    /// <summary>
    /// The whole trail of an instance in sequence order, with step names from its definition: the lines already known
    /// (<see cref="KnownTrails"/>) and those after them. A trail repeats the same few roles, steps and items line after
    /// line, so each distinct JSON text is read once per read and its value shared.
    /// </summary>
    public async Task<IReadOnlyList<HistoryEntry>> ReadAsync(Guid instanceId, ProcessModel model, CancellationToken ct)
    {
        var kept = known.Of(instanceId);
        var roles = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var steps = new Dictionary<string, IReadOnlyList<HistoryStep>>(StringComparer.Ordinal);
        var items = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var added = new List<HistoryEntry>();
        Func<string, IReadOnlyList<HistoryStep>> toSteps = json =>
            (Read<IReadOnlyList<string>>(json) ?? []).Select(id => new HistoryStep(id, StepName(model, id) ?? id)).ToList();
        HistoryEntry Line(StoredLine e) => new(
            e.Sequence,
            e.At,
            new HistoryActor(e.Actor, e.UserName, e.ActorName, Shared(roles, e.ActorRoles, static json => Read<IReadOnlyList<string>>(json) ?? [])),
            e.UserName,
            e.Action,
            e.FromStep,
            StepName(model, e.FromStep),
            Shared(steps, e.ToSteps, toSteps),
            e.TaskId,
            e.Item is null ? null : ItemOf(items, e.Item),
            e.Detail,
            e.Comment,
            Read<IReadOnlyList<VariableChange>>(e.Variables) ?? [],
            Read<IReadOnlyList<AuditDocument>>(e.Documents) ?? []);

        // Sequence numbers start at 1.
        var after = kept.Length == 0 ? 0 : kept[^1].Sequence;
        if (WrittenHere(instanceId, after) is { } written)
        {
            added.AddRange(written.Select(Line));
        }
        else
        {
            await foreach (var e in TrailAfter.For(db)(db, instanceId, after).WithCancellation(ct))
            {
                added.Add(Line(e));
            }
        }

        if (added.Count == 0)
        {
            return kept;
        }

        var trail = new HistoryEntry[kept.Length + added.Count];
        kept.CopyTo(trail, 0);
        added.CopyTo(trail, kept.Length);
        known.Remember(instanceId, trail);
        return trail;
    }

    /// <summary>
    /// The lines this unit of work wrote (<see cref="Written"/>), when they follow the kept ones with no line between:
    /// then they end the trail as of this command's commit, as a read would find them (<see cref="AsStored"/>), without
    /// a statement. Null when it wrote none or a line it does not have comes between, which only the database can give.
    /// </summary>
    private List<StoredLine>? WrittenHere(Guid instanceId, long after)
    {
        var written = _written.FindAll(e => e.InstanceId == instanceId && e.Sequence > after);
        written.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        for (var i = 0; i < written.Count; i++)
        {
            if (written[i].Sequence != after + 1 + i)
            {
                return null;
            }
        }

        return written.Count == 0 ? null : written.ConvertAll(e => new StoredLine(
            e.Sequence,
            AsStored(e.At),
            e.Actor,
            e.UserName,
            e.ActorName,
            e.ActorRoles,
            e.Action,
            e.FromStep,
            e.ToSteps,
            e.TaskId,
            e.Item,
            e.Detail,
            e.Comment,
            e.Variables,
            e.Documents));
    }

    /// <summary>An instant as its column gives it back (the column keeps whole milliseconds).</summary>
    private DateTimeOffset AsStored(DateTimeOffset at) =>
        db.Model.FindEntityType(typeof(AuditEntryRecord))?.FindProperty(nameof(AuditEntryRecord.At))?.GetTypeMapping().Converter is { } converter
            ? (DateTimeOffset)converter.ConvertFromProvider(converter.ConvertToProvider(at))!
            : at;

    private static JsonElement ItemOf(Dictionary<string, JsonElement> read, string json)
    {
        if (!read.TryGetValue(json, out var item))
        {
            item = Read<JsonElement>(json);
            read[json] = item;
        }

        return item;
    }

    private static IReadOnlyList<T> Shared<T>(Dictionary<string, IReadOnlyList<T>> read, string? json, Func<string, IReadOnlyList<T>> parse)
    {
        if (json is null)
        {
            return [];
        }

        if (!read.TryGetValue(json, out var value))
        {
            value = parse(json);
            read[json] = value;
        }

        return value;
    }

    internal static string ActorText(ActorKind kind) => kind switch
    {
        ActorKind.Person => "person",
        ActorKind.Engine => "engine",
        ActorKind.Scheduler => "scheduler",
        ActorKind.JobWorker => "job-worker",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private async Task<(string Name, IReadOnlyList<string> Roles)?> PersonAsync(string officeId, string userName, CancellationToken ct)
    {
        if (!_people.TryGetValue(userName, out var person))
        {
            var rows = await PersonIn.For(db)(db, officeId, userName).ToListAsync(ct);
            person = rows.Count == 0 ? null : (rows[0].DisplayName, RolesOf(rows.Select(r => r.RoleName)));
            _people[userName] = person;
        }

        return person;
    }

    /// <summary>A person's roles, in name order, from the rows of a query that joins a row for each role (none: one row without).</summary>
    internal static IReadOnlyList<string> RolesOf(IEnumerable<string?> roleOfEachRow) =>
        roleOfEachRow.OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The task's documents as they are when it is completed; they cannot change afterwards.</summary>
    private async Task<IReadOnlyList<AuditDocument>> DocumentsOfAsync(Guid taskId, CancellationToken ct)
    {
        if (_documents.Remove(taskId, out var read))
        {
            return read;
        }

        var attachments = await AttachmentsOf.For(db)(db, taskId).ToListAsync(ct);
        return attachments
            .Select(a => new AuditDocument(a.Id, a.FileName, a.ContentType, a.SizeBytes, a.Sha256, a.UploadedBy, a.UploadedAt))
            .ToList();
    }

    private sealed record StoredPerson(string DisplayName, string? RoleName);

    private sealed record StoredLine(
        long Sequence,
        DateTimeOffset At,
        string Actor,
        string? UserName,
        string? ActorName,
        string? ActorRoles,
        string Action,
        string? FromStep,
        string? ToSteps,
        Guid? TaskId,
        string? Item,
        string? Detail,
        string? Comment,
        string? Variables,
        string? Documents);

    private static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Json);

    private static string? StepName(ProcessModel model, string? stepId) =>
        stepId is not null && model.Nodes.TryGetValue(stepId, out var node) ? node.DisplayName : null;
}

/// <summary>One line of GET /api/instances/{id}/history; docs/audit-trail.md describes each field.</summary>
/// <param name="Sequence">1, 2, 3, ... within the instance: the order of the trail.</param>
/// <param name="User">The person who acted (the same as <c>actor.userName</c>); null for the engine, scheduler and job worker.</param>
/// <param name="ToSteps">Where the work went on: the steps tokens came to rest in, or the end reached.</param>
/// <param name="Item">The multi-instance item (team, unit) of the task the line is about.</param>
/// <param name="Variables">The variables the command changed, with their values before (null when new) and after.</param>
/// <param name="Documents">The documents attached to the task when it was completed.</param>
public sealed record HistoryEntry(
    long Sequence,
    DateTimeOffset At,
    HistoryActor Actor,
    string? User,
    string Action,
    string? FromStepId,
    string? FromStepName,
    IReadOnlyList<HistoryStep> ToSteps,
    Guid? TaskId,
    JsonElement? Item,
    string? Detail,
    string? Comment,
    IReadOnlyList<VariableChange> Variables,
    IReadOnlyList<AuditDocument> Documents);

/// <param name="Kind">person, engine, scheduler or job-worker.</param>
/// <param name="Name">The person's name and <paramref name="Roles"/> as they were when they acted.</param>
public sealed record HistoryActor(string Kind, string? UserName, string? Name, IReadOnlyList<string> Roles);

public sealed record HistoryStep(string Id, string Name);

/// <summary>A document of a completed task as the trail keeps it: enough to find it and check it is the same file.</summary>
public sealed record AuditDocument(
    Guid Id,
    string FileName,
    string ContentType,
    long SizeBytes,
    string Sha256,
    string UploadedBy,
    DateTimeOffset UploadedAt);
