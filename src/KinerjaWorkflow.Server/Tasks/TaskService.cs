using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Access;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>
/// The task inbox: what a person may see and do. A task of another office does not exist for the caller
/// (404); a task of the caller's office they may not see or act on is refused (403).
/// </summary>
public sealed class TaskService(
    KinerjaDbContext db,
    DefinitionCatalog catalog,
    InstanceCommandRunner runner,
    InstanceService instances,
    OfficeDirectory offices,
    TaskGate gate,
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

    /// <summary>
    /// One page of the inbox in deadline order (tasks without a deadline last). Each status is read as its
    /// own keyset range of the (office, status, due, created, id) index and the ranges are merged, so a page
    /// costs about the same on the first page as on the thousandth.
    /// </summary>
    public async Task<TaskPage> ListAsync(CurrentUser user, TaskQuery query, CancellationToken ct)
    {
        var pageSize = query.PageSize ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new RuleViolation($"pageSize harus antara 1 dan {MaxPageSize}.");
        }

        var statuses = ParseStatuses(query.Status);
        var after = string.IsNullOrEmpty(query.Cursor) ? null : TaskCursor.Decode(query.Cursor);
        var access = await gate.AccessAsync(user, ct);
        var now = clock.GetUtcNow();
        var tasks = Scope(access, query.Mine, query.Role, query.Supervised, query.DefinitionKey, query.StepId, query.BusinessKey);
        var datedOnly = false;
        if (query.Overdue == true)
        {
            statuses = statuses.Where(s => s is TaskStatusText.Open or TaskStatusText.Claimed).ToList();
            tasks = tasks.Where(t => t.DueAt < now);
            datedOnly = true;
        }

        if (query.DueBefore is { } dueBefore)
        {
            tasks = tasks.Where(t => t.DueAt < dueBefore);
            datedOnly = true;
        }

        var rows = string.IsNullOrWhiteSpace(query.BusinessKey)
            ? await KeysetRangesAsync(tasks, statuses, after, pageSize + 1, datedOnly, ct)
            : await OneCaseAsync(tasks, statuses, after, ct);
        rows.Sort(TaskOrder.Instance);
        var page = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize ? TaskCursor.After(page[^1]).Encode() : null;
        var calendar = (await offices.GetAsync(user.OfficeId, ct)).Calendar;
        return new TaskPage(
            page.Select(t => TaskSummary.From(t, now) with { DueProvisional = t.DueAt is { } due && calendar.IsProvisional(t.CreatedAt, due) }).ToList(),
            pageSize,
            next);
    }

    /// <summary>The next <paramref name="take"/> tasks of each status after the cursor, each read in index order.</summary>
    private static async Task<List<TaskRecord>> KeysetRangesAsync(
        IQueryable<TaskRecord> tasks, IReadOnlyList<string> statuses, TaskCursor? after, int take, bool datedOnly, CancellationToken ct)
    {
        var rows = new List<TaskRecord>();
        foreach (var status in statuses)
        {
            var ofStatus = tasks.Where(t => t.Status == status);
            var dated = after is { DueAt: null }
                ? []
                : await DatedAfter(ofStatus, after)
                    .OrderBy(t => t.DueAt).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id)
                    .Take(take)
                    .ToListAsync(ct);
            rows.AddRange(dated);
            if (dated.Count < take && !datedOnly)
            {
                rows.AddRange(await UndatedAfter(ofStatus, after)
                    .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
                    .Take(take - dated.Count)
                    .ToListAsync(ct));
            }
        }

        return rows;
    }

    /// <summary>
    /// The tasks of one case (a business key) are few: they are read whole through the (office, business key)
    /// index, without an ORDER BY that would tempt the database to walk the office's status index instead,
    /// and put in order and after the cursor here.
    /// </summary>
    private static async Task<List<TaskRecord>> OneCaseAsync(
        IQueryable<TaskRecord> tasks, IReadOnlyList<string> statuses, TaskCursor? after, CancellationToken ct)
    {
        var rows = await tasks.Take(MaxCaseTasks).ToListAsync(ct);
        return rows
            .Where(t => statuses.Contains(t.Status) && (after is null || TaskOrder.IsAfter(t, after)))
            .ToList();
    }

    /// <summary>
    /// The inbox badges over the list's scope: open, claimed, overdue, and held by the caller. Finished work is
    /// history, listed but not counted: counting a year of it would read every row of it.
    /// </summary>
    public async Task<TaskCounts> CountsAsync(CurrentUser user, TaskCountQuery query, CancellationToken ct)
    {
        var access = await gate.AccessAsync(user, ct);
        var now = clock.GetUtcNow();
        var tasks = Scope(access, query.Mine, query.Role, query.Supervised, query.DefinitionKey, query.StepId, query.BusinessKey);
        var open = tasks.Where(t => t.Status == TaskStatusText.Open);
        var claimed = tasks.Where(t => t.Status == TaskStatusText.Claimed);
        var me = user.UserName;
        return new TaskCounts(
            await open.CountAsync(ct),
            await claimed.CountAsync(ct),
            await open.CountAsync(t => t.DueAt < now, ct) + await claimed.CountAsync(t => t.DueAt < now, ct),
            await claimed.CountAsync(t => t.Assignee == me, ct));
    }

    public async Task<TaskDetail> GetAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var (task, access) = await gate.FindVisibleAsync(user, id, ct);
        return await DetailAsync(task, access, ct);
    }

    public async Task<TaskDetail> ClaimAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var (task, access) = await gate.FindWorkableAsync(user, id, ct);
        await runner.ExecuteAsync(task.InstanceId, new ClaimTask(task.Id, user.UserName), user.UserName, ct);
        return await DetailAsync(await ReloadAsync(id, ct), access, ct);
    }

    public async Task<TaskDetail> UnclaimAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var (task, access) = await gate.FindWorkableAsync(user, id, ct);
        if (task.Assignee is not null && task.Assignee != user.UserName && !user.IsAdmin)
        {
            throw new ConflictError($"Tugas ini sedang dikerjakan oleh {task.Assignee}; hanya dia yang dapat melepasnya.");
        }

        await runner.ExecuteAsync(task.InstanceId, new UnclaimTask(task.Id), user.UserName, ct);
        return await DetailAsync(await ReloadAsync(id, ct), access, ct);
    }

    /// <summary>Hands the task to another member of its role; the audit trail records who handed it to whom.</summary>
    public async Task<TaskDetail> DelegateAsync(CurrentUser user, Guid id, string? toUser, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(toUser))
        {
            throw new RuleViolation("username penerima wajib diisi.");
        }

        var (task, access) = await gate.FindWorkableAsync(user, id, ct);
        if (task.Assignee is not null && task.Assignee != user.UserName)
        {
            throw new ConflictError($"Tugas ini sedang dikerjakan oleh {task.Assignee}.");
        }

        var target = await MemberOfTaskRoleAsync(user, task, toUser, ct);
        await runner.ExecuteAsync(task.InstanceId, new AssignTask(task.Id, target, $"didelegasikan oleh {user.UserName}"), user.UserName, ct);
        logger.LogInformation("Task {TaskId} delegated by {User} to {Assignee}", task.Id, user.UserName, target);
        return await DetailAsync(await ReloadAsync(id, ct), access, ct);
    }

    /// <summary>
    /// A supervisor of the task's role hands it to a member of that role, even while someone else holds it.
    /// Anything the caller added to the context beforehand (an escalation's acknowledgement) commits with it.
    /// </summary>
    public async Task<TaskDetail> ReassignAsync(CurrentUser user, Guid id, ReassignTaskRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Username))
        {
            throw new RuleViolation("username penerima wajib diisi.");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new RuleViolation("reason (alasan pengalihan) wajib diisi.");
        }

        if (request.Reason.Length > MaxReasonLength)
        {
            throw new RuleViolation($"Alasan paling panjang {MaxReasonLength} karakter.");
        }

        var task = await gate.FindInOfficeAsync(user, id, ct);
        var access = await gate.AccessAsync(user, ct);
        if (!access.Supervises(task))
        {
            throw new ForbiddenError(
                $"Hanya atasan peran {string.Join(", ", TaskRoles.Decode(task.Roles))} yang dapat mengalihkan tugas ini.");
        }

        if (!TaskAccess.IsActive(task))
        {
            throw new ConflictError("Tugas ini sudah selesai atau dibatalkan.");
        }

        var target = await MemberOfTaskRoleAsync(user, task, request.Username, ct);
        await runner.ExecuteAsync(
            task.InstanceId,
            new AssignTask(task.Id, target, $"dialihkan oleh {user.UserName}: {request.Reason.Trim()}"),
            user.UserName,
            ct);
        logger.LogInformation("Task {TaskId} reassigned by supervisor {User} from {PreviousAssignee} to {Assignee}", task.Id, user.UserName, task.Assignee, target);
        return await DetailAsync(await ReloadAsync(id, ct), access, ct);
    }

    /// <summary>
    /// Completes a task. With an Idempotency-Key, a retry of a completion that already succeeded answers
    /// the same task again instead of a 409: the key is stored in the completion's own transaction.
    /// </summary>
    public async Task<TaskDetail> CompleteAsync(
        CurrentUser user,
        Guid id,
        CompleteTaskRequest request,
        string? idempotencyKey,
        CancellationToken ct)
    {
        if (request.Comment is { Length: > MaxCommentLength })
        {
            throw new RuleViolation($"Komentar paling panjang {MaxCommentLength} karakter.");
        }

        if (idempotencyKey is { Length: > 200 })
        {
            throw new RuleViolation("Idempotency-Key paling panjang 200 karakter.");
        }

        if (idempotencyKey is not null && await ReplayAsync(user, id, idempotencyKey, ct) is { } replayed)
        {
            return replayed;
        }

        var (task, access) = await gate.FindWorkableAsync(user, id, ct);
        if (!TaskAccess.IsActive(task))
        {
            throw new ConflictError("Tugas ini sudah diselesaikan.");
        }

        if (task.Assignee is not null && task.Assignee != user.UserName)
        {
            throw new ConflictError($"Tugas ini sedang dikerjakan oleh {task.Assignee}.");
        }

        if (idempotencyKey is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyRecord
            {
                Key = idempotencyKey,
                UserName = user.UserName,
                TaskId = task.Id,
                StatusCode = StatusCodes.Status200OK,
                ResponseJson = "{}",
                CreatedAt = clock.GetUtcNow(),
            });
        }

        try
        {
            await runner.ExecuteAsync(
                task.InstanceId,
                new CompleteTask(task.Id, request.Outcome, request.Comment, request.Variables ?? new Dictionary<string, JsonElement>()),
                user.UserName,
                ct);
        }
        catch (ConflictError) when (idempotencyKey is not null)
        {
            db.ChangeTracker.Clear();
            return await ReplayAsync(user, id, idempotencyKey, ct) ?? throw new ConflictError("Tugas ini sudah diselesaikan.");
        }
        catch (DbUpdateException e) when (idempotencyKey is not null && IsIdempotencyKeyTaken(e))
        {
            // A simultaneous retry stored the key first: its completion is the answer, once committed.
            db.ChangeTracker.Clear();
            return await ReplayAsync(user, id, idempotencyKey, ct)
                ?? throw new ConflictError("Penyelesaian dengan Idempotency-Key ini masih diproses; coba lagi sebentar lagi.");
        }

        return await DetailAsync(await ReloadAsync(id, ct), access, ct);
    }

    /// <summary>The caller's office, narrowed to what they asked for and may see.</summary>
    private IQueryable<TaskRecord> Scope(
        TaskAccess access,
        bool? mine,
        string? role,
        bool? supervised,
        string? definitionKey,
        string? stepId,
        string? businessKey)
    {
        var user = access.User;
        var tasks = db.Tasks.AsNoTracking().Where(t => t.OfficeId == user.OfficeId);
        var narrowed = false;
        if (mine == true)
        {
            var me = user.UserName;
            tasks = tasks.Where(t => t.Assignee == me);
            narrowed = true;
        }

        if (!string.IsNullOrWhiteSpace(role))
        {
            if (!user.Roles.Contains(role) && !access.SupervisedRoles.Contains(role) && !user.IsAdmin)
            {
                throw new ForbiddenError($"Anda bukan anggota atau atasan peran '{role}'.");
            }

            tasks = tasks.Where(TaskFilters.AnyRole([role]));
            narrowed = true;
        }

        if (supervised == true)
        {
            tasks = tasks.Where(TaskFilters.AnyRole(access.SupervisedRoles));
            narrowed = true;
        }

        if (!narrowed && !user.IsAdmin)
        {
            tasks = tasks.Where(TaskFilters.VisibleTo(access));
        }

        if (!string.IsNullOrWhiteSpace(definitionKey))
        {
            tasks = tasks.Where(t => t.DefinitionKey == definitionKey);
        }

        if (!string.IsNullOrWhiteSpace(stepId))
        {
            tasks = tasks.Where(t => t.StepId == stepId);
        }

        if (!string.IsNullOrWhiteSpace(businessKey))
        {
            tasks = tasks.Where(t => t.BusinessKey == businessKey);
        }

        return tasks;
    }

    private static IQueryable<TaskRecord> DatedAfter(IQueryable<TaskRecord> tasks, TaskCursor? after)
    {
        var dated = tasks.Where(t => t.DueAt != null);
        if (after?.DueAt is not { } due)
        {
            return dated;
        }

        var created = after.CreatedAt;
        var id = after.Id;

        // The leading ">=" gives the database the start of the index range; the rest breaks the ties.
        return dated.Where(t => t.DueAt >= due
            && (t.DueAt > due || t.CreatedAt > created || (t.CreatedAt == created && t.Id.CompareTo(id) > 0)));
    }

    private static IQueryable<TaskRecord> UndatedAfter(IQueryable<TaskRecord> tasks, TaskCursor? after)
    {
        var undated = tasks.Where(t => t.DueAt == null);
        if (after is null || after.DueAt is not null)
        {
            return undated;
        }

        var created = after.CreatedAt;
        var id = after.Id;
        return undated.Where(t => t.CreatedAt >= created && (t.CreatedAt > created || t.Id.CompareTo(id) > 0));
    }

    private static List<string> ParseStatuses(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [.. Statuses];
        }

        var statuses = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var status = part.ToLowerInvariant();
            if (status == ActiveStatus)
            {
                statuses.Add(TaskStatusText.Open);
                statuses.Add(TaskStatusText.Claimed);
            }
            else if (Statuses.Contains(status))
            {
                statuses.Add(status);
            }
            else
            {
                throw new InvalidRequestError(
                    $"status '{part}' tidak dikenal; gunakan {string.Join(", ", Statuses)} atau {ActiveStatus} (boleh beberapa, dipisah koma).");
            }
        }

        return statuses.Distinct(StringComparer.Ordinal).ToList();
    }

    private async Task<string> MemberOfTaskRoleAsync(CurrentUser user, TaskRecord task, string userName, CancellationToken ct)
    {
        var name = userName.Trim().ToLowerInvariant();
        var roles = TaskRoles.Decode(task.Roles);
        var target = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == name && u.OfficeId == user.OfficeId, ct)
            ?? throw new RuleViolation($"Pengguna '{userName}' tidak ditemukan di kantor Anda.");
        if (target.IsDisabled)
        {
            throw new RuleViolation($"Akun '{target.UserName}' dinonaktifkan.");
        }

        var targetHasRole = await db.UserRoles.AnyAsync(r => r.UserId == target.Id && roles.Contains(r.RoleName), ct);
        return targetHasRole
            ? target.UserName
            : throw new RuleViolation($"Pengguna '{target.UserName}' bukan anggota peran {string.Join(", ", roles)}.");
    }

    /// <summary>Whether saving failed on the key of idempotency_keys (SQLite and PostgreSQL both name the table).</summary>
    private static bool IsIdempotencyKeyTaken(DbUpdateException e) =>
        e is not DbUpdateConcurrencyException
        && e.InnerException?.Message.Contains("idempotency_keys", StringComparison.OrdinalIgnoreCase) == true;

    private async Task<TaskDetail?> ReplayAsync(CurrentUser user, Guid id, string key, CancellationToken ct)
    {
        var earlier = await db.IdempotencyKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.UserName == user.UserName && k.Key == key, ct);
        if (earlier is null)
        {
            return null;
        }

        if (earlier.TaskId != id)
        {
            throw new RuleViolation("Idempotency-Key ini sudah dipakai untuk tugas lain.");
        }

        var (task, access) = await gate.FindVisibleAsync(user, id, ct);
        return await DetailAsync(task, access, ct);
    }

    private async Task<TaskRecord> ReloadAsync(Guid id, CancellationToken ct) =>
        await db.Tasks.AsNoTracking().FirstAsync(t => t.Id == id, ct);

    private async Task<TaskDetail> DetailAsync(TaskRecord task, TaskAccess access, CancellationToken ct)
    {
        var definition = await db.Definitions.AsNoTracking()
            .FirstAsync(d => d.Key == task.DefinitionKey && d.Version == task.DefinitionVersion, ct);
        var node = catalog.ModelOf(definition).Node(task.StepId) as HumanTask;
        var office = await offices.GetAsync(task.OfficeId, ct);
        var now = clock.GetUtcNow();
        TimeSpan? remaining = TaskAccess.IsActive(task) && task.DueAt is { } due ? office.Calendar.WorkingTimeBetween(now, due) : null;
        var attachments = await AttachmentsOfAsync([task.Id], ct);
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
            attachments.GetValueOrDefault(task.Id, []),
            await PreviousStepAsync(task, ct),
            await instances.HistoryAsync(access.User, task.InstanceId, ct),
            AllowedActions(task, access))
        {
            DueProvisional = task.DueAt is { } dueAt && office.Calendar.IsProvisional(task.CreatedAt, dueAt),
            WorkingTimeLeft = TaskAccess.IsActive(task) && task.DueAt is { } left ? office.Calendar.TimeLeft(now, left).ToString() : null,
        };
    }

    /// <summary>
    /// The step whose completion this task continues: the last completion before this task's creation in the
    /// instance's audit trail, by sequence number. Timestamps cannot decide it: under a frozen clock, or
    /// within one millisecond, every line has the same time.
    /// </summary>
    private async Task<PreviousStep?> PreviousStepAsync(TaskRecord task, CancellationToken ct)
    {
        var created = await db.AuditEntries.AsNoTracking()
            .Where(a => a.InstanceId == task.InstanceId && a.TaskId == task.Id && a.Action == AuditActions.TaskCreated)
            .Select(a => (long?)a.Sequence)
            .FirstOrDefaultAsync(ct);
        if (created is null)
        {
            return null;
        }

        var completedTaskId = await db.AuditEntries.AsNoTracking()
            .Where(a => a.InstanceId == task.InstanceId && a.Action == AuditActions.TaskCompleted && a.Sequence < created)
            .OrderByDescending(a => a.Sequence)
            .Select(a => a.TaskId)
            .FirstOrDefaultAsync(ct);
        var previous = completedTaskId is { } id
            ? await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct)
            : null;
        if (previous is null)
        {
            return null;
        }

        var attachments = await AttachmentsOfAsync([previous.Id], ct);
        return new PreviousStep(
            previous.Id,
            previous.StepId,
            previous.StepName,
            previous.StepNumber,
            previous.CompletedBy,
            previous.CompletedAt,
            previous.Outcome,
            previous.Comment,
            attachments.GetValueOrDefault(previous.Id, []));
    }

    private async Task<Dictionary<Guid, IReadOnlyList<AttachmentView>>> AttachmentsOfAsync(Guid[] taskIds, CancellationToken ct)
    {
        var rows = await db.Set<AttachmentRecord>().AsNoTracking()
            .Where(a => taskIds.Contains(a.TaskId))
            .OrderBy(a => a.UploadedAt)
            .ToListAsync(ct);
        return rows.GroupBy(a => a.TaskId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AttachmentView>)g.Select(AttachmentView.From).ToList());
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
