using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Access;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>
/// The task inbox: what a person may see and do. A task of another office does not exist for the caller
/// (404); a task of the caller's office they may not see or act on is refused (403).
/// </summary>
public sealed partial class TaskService(
    KinerjaDbContext db,
    DefinitionCatalog catalog,
    InstanceCommandRunner runner,
    AuditTrail trail,
    OfficeLookup offices,
    PeopleNames people,
    TaskGate gate,
    SentBackWork sentBack,
    HandoverNotices handovers,
    TimeProvider clock,
    ILogger<TaskService> logger)
{
    public const int MaxCommentLength = 4000;
    public const int MaxReasonLength = 500;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>More tasks than one case (business key) can sensibly have in an office.</summary>
    private const int MaxCaseTasks = 10_000;

    /// <summary>The statuses a list may ask for; "active" is open and claimed together.</summary>
    public static readonly IReadOnlyList<string> Statuses =
        [TaskStatusText.Open, TaskStatusText.Claimed, TaskStatusText.Completed, TaskStatusText.Cancelled];

    private const string ActiveStatus = "active";

    public Task<TaskDetail> GetAsync(CurrentUser user, Guid id, CancellationToken ct) =>
        db.OnOneConnectionAsync(
            async () =>
            {
                var (task, access) = await gate.FindVisibleAsync(user, id, ct);
                return await DetailAsync(task, access, ct);
            },
            ct);

    /// <summary>Compiled: the answer of a claim reads the task again, and a claim that lost its race names the winner from it.</summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, CancellationToken, Task<TaskRecord>>> TaskById = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, Guid id, CancellationToken ct) => db.Tasks.AsNoTracking().First(t => t.Id == id)));

    private Task<TaskRecord> ReloadAsync(Guid id, CancellationToken ct) => TaskById.For(db)(db, id, ct);

    private async Task<TaskDetail> DetailAsync(TaskRecord task, TaskAccess access, CancellationToken ct) =>
        await DetailAsync(task, access, await catalog.IdOfAsync(db, task.OfficeId, task.DefinitionKey, task.DefinitionVersion, ct), ct);

    /// <summary>
    /// The task with its SOP step, the step before it, a send-back and the instance's whole trail. The trail is read
    /// once: the answer carries it, and the step before and a send-back are the completion in it that created the task.
    /// </summary>
    private Task<TaskDetail> DetailAsync(TaskRecord task, TaskAccess access, Guid definitionId, CancellationToken ct) =>
        db.OnOneConnectionAsync(() => ReadDetailAsync(task, access, definitionId, [], completedHere: false, ct), ct);

    /// <summary>The answer of a claim or an unclaim that has committed: the task read again, with the tasks the command opened.</summary>
    private Task<TaskDetail> AnswerAsync(TaskRecord before, TaskAccess access, CommandOutcome outcome, CancellationToken ct) =>
        db.OnOneConnectionAsync(
            async () => await ReadDetailAsync(await ReloadAsync(before.Id, ct), access, outcome.Instance.DefinitionId, outcome.Opened, completedHere: false, ct),
            ct);

    /// <summary>
    /// The answer of a completion that has committed: the task as the command changed it in place (it loaded the row
    /// tracked and wrote what it holds), so nothing of it is read again; with the tasks the command opened.
    /// </summary>
    private Task<TaskDetail> CompletionAnswerAsync(TaskRecord completed, TaskAccess access, CommandOutcome outcome, CancellationToken ct) =>
        db.OnOneConnectionAsync(() => ReadDetailAsync(completed, access, outcome.Instance.DefinitionId, outcome.Opened, completedHere: true, ct), ct);

    /// <param name="opened">The tasks the command just committed opened, to name in the answer.</param>
    /// <param name="completedHere">
    /// The task was completed by this request's command: its completion line, just written, names the person as they
    /// are now, so their name is not asked for again.
    /// </param>
    private async Task<TaskDetail> ReadDetailAsync(
        TaskRecord task, TaskAccess access, Guid definitionId, IReadOnlyList<TaskRecord> opened, bool completedHere, CancellationToken ct)
    {
        var model = await catalog.ModelOfAsync(db, definitionId, ct);
        var history = await trail.ReadAsync(task.InstanceId, model, ct);
        var creating = SentBackWork.CreatingCompletion(history, task.Id);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (completedHere && CompletionOf(history, task.Id) is { User: { } completer, Actor.Name: { } completerName } own)
        {
            names[completer] = PeopleNames.SortedLabel(completerName, [.. own.Actor.Roles]);
        }

        var node = model.Node(task.StepId) as HumanTask;
        var office = await offices.GetAsync(task.OfficeId, ct);
        var now = clock.GetUtcNow();
        TimeSpan? remaining = TaskAccess.IsActive(task) && task.DueAt is { } due ? office.Calendar.WorkingTimeBetween(now, due) : null;
        var sentBack = creating is null ? null : SentBackWork.Of(creating, model);
        var previous = creating is { TaskId: not null, FromStepId: not null } ? creating : null;
        var attachments = await AttachmentsOfAsync(history, task.Id, previous?.TaskId, ct);
        await people.AddMissingAsync(
            task.OfficeId, names, [task.Assignee, task.CompletedBy, previous?.User, sentBack?.By, .. opened.Select(t => t.Assignee)], ct);
        return new TaskDetail(
            task.Id,
            task.InstanceId,
            task.DefinitionKey,
            task.DefinitionVersion,
            task.BusinessKey,
            task.StepId,
            task.StepName,
            task.StepNumber,
            node?.Step?.Kelengkapan,
            node?.Step?.Waktu,
            node?.Step?.Output,
            node?.Step?.Keterangan,
            node?.Outcomes ?? [],
            TaskRoles.Decode(task.Roles),
            task.Assignee,
            task.Status,
            task.CreatedAt,
            task.ExpectedAt,
            task.DueAt,
            TaskSummary.IsOverdue(task, now),
            remaining,
            remaining is { } r ? (long)Math.Floor(r.TotalMinutes) : null,
            task.CompletedAt,
            task.CompletedBy,
            task.Outcome,
            task.Comment,
            TaskSummary.ParseItem(task.LoopItem),
            attachments[task.Id],
            previous is null ? null : PreviousStep.From(previous, model, attachments[previous.TaskId!.Value], names),
            history,
            AllowedActions(task, access))
        {
            DueProvisional = TaskSummary.IsDueProvisional(task, office.Calendar),
            WorkingTimeLeft = TaskAccess.IsActive(task) && task.DueAt is { } left ? office.Calendar.TimeLeft(now, left).ToString() : null,
            AssigneeName = names.NameOf(task.Assignee),
            CompletedByName = names.NameOf(task.CompletedBy),
            SentBack = sentBack is null ? null : sentBack with { ByName = names.NameOf(sentBack.By) ?? sentBack.ByName },
            SendBackOutcomes = node?.SendBackOutcomes ?? [],
            Opened = opened.Count == 0 ? [] : opened.Select(t => TaskSummary.Listed(t, now, office.Calendar, names)).ToList(),
        };
    }

    /// <summary>Compiled: every answer reads the documents of the task and of the step before it (the same id twice when there is none).</summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, Guid, IAsyncEnumerable<AttachmentRecord>>> AttachmentsOf = new(() =>
        EF.CompileAsyncQuery<KinerjaDbContext, Guid, Guid, AttachmentRecord>((KinerjaDbContext db, Guid taskId, Guid previousId) =>
            db.Set<AttachmentRecord>().AsNoTracking()
                .Where(a => a.TaskId == taskId || a.TaskId == previousId)
                .OrderBy(a => a.UploadedAt)));

    /// <summary>
    /// The documents of the task and of the step before it. Those of a completed task are the ones its completion line
    /// recorded, which the trail already read has: none can be added or removed once a task is no longer active. Only a
    /// task without a completion line (active or cancelled) has its documents read.
    /// </summary>
    private async Task<Dictionary<Guid, IReadOnlyList<AttachmentView>>> AttachmentsOfAsync(
        IReadOnlyList<HistoryEntry> history, Guid taskId, Guid? previousId, CancellationToken ct)
    {
        var views = new Dictionary<Guid, IReadOnlyList<AttachmentView>>();
        var unread = new List<Guid>(2);
        foreach (var id in previousId is { } previous ? [taskId, previous] : (ReadOnlySpan<Guid>)[taskId])
        {
            if (CompletionOf(history, id) is { } completion)
            {
                views[id] = completion.Documents.Count == 0 ? [] : completion.Documents.Select(d => DocumentOf(id, d)).ToList();
            }
            else
            {
                unread.Add(id);
            }
        }

        if (unread.Count == 0)
        {
            return views;
        }

        var read = unread.ToDictionary(id => id, _ => new List<AttachmentView>());
        await foreach (var attachment in AttachmentsOf.For(db)(db, unread[0], unread[^1]).WithCancellation(ct))
        {
            read[attachment.TaskId].Add(AttachmentView.From(attachment));
        }

        foreach (var (id, documents) in read)
        {
            views[id] = documents;
        }

        return views;
    }

    /// <summary>A document of a completed task as its completion line recorded it.</summary>
    private static AttachmentView DocumentOf(Guid taskId, AuditDocument d) =>
        new(d.Id, taskId, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, d.UploadedBy, d.UploadedAt, AttachmentView.DownloadUrlOf(d.Id));

    private static HistoryEntry? CompletionOf(IReadOnlyList<HistoryEntry> history, Guid taskId)
    {
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i] is { Action: AuditActions.TaskCompleted } line && line.TaskId == taskId)
            {
                return line;
            }
        }

        return null;
    }

    private static IReadOnlyList<string> AllowedActions(TaskRecord task, TaskAccess access)
    {
        if (!TaskAccess.IsActive(task))
        {
            return [];
        }

        var actions = new List<string>();
        var me = access.User.UserName;
        var mayWork = access.MayWorkOn(task);
        if (mayWork && task.Assignee is null)
        {
            actions.Add(TaskActions.Claim);
        }

        if (mayWork && task.Assignee is not null && (task.Assignee == me || access.User.IsAdmin))
        {
            actions.Add(TaskActions.Unclaim);
        }

        if (mayWork && (task.Assignee is null || task.Assignee == me))
        {
            actions.AddRange([TaskActions.Complete, TaskActions.Attach, TaskActions.Delegate]);
        }

        if (access.Supervises(task))
        {
            actions.Add(TaskActions.Reassign);
        }

        return actions;
    }
}

/// <summary>The names of what a person may do with a task, as <see cref="TaskDetail.AllowedActions"/> lists them.</summary>
public static class TaskActions
{
    public const string Claim = "claim";
    public const string Unclaim = "unclaim";
    public const string Complete = "complete";
    public const string Attach = "attach";
    public const string Delegate = "delegate";
    public const string Reassign = "reassign";
}
