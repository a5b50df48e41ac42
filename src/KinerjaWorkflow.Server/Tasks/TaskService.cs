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

    /// <summary>Compiled: a claim that lost its race names the winner from the task read again.</summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, CancellationToken, Task<TaskRecord>>> TaskById = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, Guid id, CancellationToken ct) => db.Tasks.AsNoTracking().First(t => t.Id == id)));

    /// <summary>
    /// Compiled: every answer reads the task and the step before it together (the same id twice when there is none), each
    /// with whoever completed it as <see cref="PeopleNames"/> names them: on one row for each of their roles, or on one.
    /// </summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, Guid, IAsyncEnumerable<TaskWithCompleter>>> TaskAndPrevious = new(() =>
        EF.CompileAsyncQuery<KinerjaDbContext, Guid, Guid, TaskWithCompleter>((KinerjaDbContext db, Guid id, Guid previousId) =>
            from t in db.Tasks.AsNoTracking()
            where t.Id == id || t.Id == previousId
            join u in db.Users on new { t.OfficeId, UserName = t.CompletedBy! } equals new { u.OfficeId, u.UserName } into users
            from u in users.DefaultIfEmpty()
            join r in db.UserRoles on u!.Id equals r.UserId into roles
            from r in roles.DefaultIfEmpty()
            select new TaskWithCompleter(t, u!.DisplayName, r!.RoleName)));

    private sealed record TaskWithCompleter(TaskRecord Task, string? CompleterName, string? CompleterRole);

    private Task<TaskRecord> ReloadAsync(Guid id, CancellationToken ct) => TaskById.For(db)(db, id, ct);

    private async Task<TaskDetail> DetailAsync(TaskRecord task, TaskAccess access, CancellationToken ct) =>
        await DetailAsync(task, access, await catalog.IdOfAsync(db, task.OfficeId, task.DefinitionKey, task.DefinitionVersion, ct), ct);

    /// <summary>
    /// The task with its SOP step, the step before it, a send-back and the instance's whole trail. The trail is read
    /// once: the answer carries it, and the step before and a send-back are the completion in it that created the task.
    /// </summary>
    private Task<TaskDetail> DetailAsync(TaskRecord task, TaskAccess access, Guid definitionId, CancellationToken ct) =>
        db.OnOneConnectionAsync(() => ReadDetailAsync(task.Id, task.InstanceId, task, access, definitionId, [], ct), ct);

    /// <summary>
    /// The answer of a command that has committed: the task as the command left it, read after the trail together with
    /// the step before it, instead of on its own before the trail; with the tasks the command opened.
    /// </summary>
    private Task<TaskDetail> AnswerAsync(TaskRecord before, TaskAccess access, CommandOutcome outcome, CancellationToken ct) =>
        db.OnOneConnectionAsync(() => ReadDetailAsync(before.Id, before.InstanceId, null, access, outcome.Instance.DefinitionId, outcome.Opened, ct), ct);

    /// <param name="known">The task as the caller read it; null to read it here.</param>
    /// <param name="opened">The tasks the command just committed opened, to name in the answer.</param>
    private async Task<TaskDetail> ReadDetailAsync(
        Guid id, Guid instanceId, TaskRecord? known, TaskAccess access, Guid definitionId, IReadOnlyList<TaskRecord> opened, CancellationToken ct)
    {
        var model = await catalog.ModelOfAsync(db, definitionId, ct);
        var history = await trail.ReadAsync(instanceId, model, ct);
        var creating = SentBackWork.CreatingCompletion(history, id);
        var task = known;
        TaskRecord? previousTask = null;
        var completers = new Dictionary<string, (string Name, List<string> Roles)>(StringComparer.Ordinal);
        if (known is null || creating?.TaskId is not null)
        {
            await foreach (var row in TaskAndPrevious.For(db)(db, id, creating?.TaskId ?? id).WithCancellation(ct))
            {
                if (row.Task.Id == id)
                {
                    task ??= row.Task;
                }
                else
                {
                    previousTask ??= row.Task;
                }

                if (row is { Task.CompletedBy: { } completedBy, CompleterName: { } name })
                {
                    if (!completers.TryGetValue(completedBy, out var completer))
                    {
                        completer = (name, []);
                        completers[completedBy] = completer;
                    }

                    if (row.CompleterRole is { } role && !completer.Roles.Contains(role))
                    {
                        completer.Roles.Add(role);
                    }
                }
            }
        }

        if (task is null)
        {
            throw new InvalidOperationException($"Task {id} is gone after a command on it.");
        }

        var node = model.Node(task.StepId) as HumanTask;
        var office = await offices.GetAsync(task.OfficeId, ct);
        var now = clock.GetUtcNow();
        TimeSpan? remaining = TaskAccess.IsActive(task) && task.DueAt is { } due ? office.Calendar.WorkingTimeBetween(now, due) : null;
        var sentBack = creating is null ? null : SentBackWork.Of(creating, model);
        var attachments = await AttachmentsOfAsync(history, task.Id, previousTask?.Id, ct);
        var names = await NamesAsync(
            task.OfficeId, completers, [task.Assignee, task.CompletedBy, previousTask?.CompletedBy, sentBack?.By, .. opened.Select(t => t.Assignee)], ct);
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
            previousTask is null ? null : PreviousStep.From(previousTask, attachments[previousTask.Id], names),
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

    /// <summary>
    /// The people the answer names: those who completed the task and the step before it were read with them; anyone
    /// else (a task's holder before it is completed, a send-back credited to someone else) is asked of <see cref="PeopleNames"/>.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(
        string officeId, Dictionary<string, (string Name, List<string> Roles)> completers, string?[] wanted, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (userName, (name, roles)) in completers)
        {
            names[userName] = PeopleNames.SortedLabel(name, roles);
        }

        var others = wanted.Where(userName => userName is not null && !names.ContainsKey(userName)).ToList();
        if (others.Count > 0)
        {
            foreach (var (userName, label) in await people.OfAsync(officeId, others, ct))
            {
                names[userName] = label;
            }
        }

        return names;
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
