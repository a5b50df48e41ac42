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

/// <summary>The five commands on a task: claim, unclaim, delegate, reassign, complete (idempotent by key).</summary>
public sealed partial class TaskService
{
    public async Task<TaskDetail> ClaimAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var (task, access) = await gate.FindWorkableAsync(user, id, ct);
        await RefuseIfHeldByAnotherAsync(user, task, ct);
        CommandOutcome outcome;
        try
        {
            outcome = await runner.ExecuteAsync(task.InstanceId, new ClaimTask(task.Id, user.UserName), user.UserName, ct);
        }
        catch (ConflictError)
        {
            // Someone claimed it between our read and the command: name them, as the engine cannot.
            db.ChangeTracker.Clear();
            await RefuseIfHeldByAnotherAsync(user, await ReloadAsync(id, ct), ct);
            throw;
        }

        return await AnswerAsync(task, access, outcome, ct);
    }

    private async Task RefuseIfHeldByAnotherAsync(CurrentUser user, TaskRecord task, CancellationToken ct)
    {
        if (TaskAccess.IsActive(task) && task.Assignee is not null && task.Assignee != user.UserName)
        {
            throw new ConflictError($"Tugas ini sudah diambil oleh {await people.OfAsync(task.OfficeId, task.Assignee, ct)}.");
        }
    }

    public async Task<TaskDetail> UnclaimAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var (task, access) = await gate.FindWorkableAsync(user, id, ct);
        if (task.Assignee is not null && task.Assignee != user.UserName && !user.IsAdmin)
        {
            throw new ConflictError($"Tugas ini sedang dikerjakan oleh {await people.OfAsync(task.OfficeId, task.Assignee, ct)}; hanya dia yang dapat melepasnya.");
        }

        return await AnswerAsync(task, access, await runner.ExecuteAsync(task.InstanceId, new UnclaimTask(task.Id), user.UserName, ct), ct);
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
            throw new ConflictError($"Tugas ini sedang dikerjakan oleh {await people.OfAsync(task.OfficeId, task.Assignee, ct)}.");
        }

        var target = await MemberOfTaskRoleAsync(user, task, toUser, ct);
        var names = await people.OfAsync(user.OfficeId, [user.UserName, target], ct);
        var (instance, _) = await runner.ExecuteAsync(
            task.InstanceId,
            new AssignTask(task.Id, target, $"didelegasikan oleh {names.NameOf(user.UserName)}", names.NameOf(target)),
            user.UserName,
            ct);
        logger.LogInformation("Task {TaskId} delegated by {User} to {Assignee}", task.Id, user.UserName, target);
        var handed = await ReloadAsync(id, ct);
        if (task.Assignee != target && target != user.UserName)
        {
            await TellNewHolderAsync(handed, target, names.NameOf(user.UserName)!, null, instance.Version, ct);
        }

        return await DetailAsync(handed, access, instance.DefinitionId, ct);
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
            throw new RuleViolation("Alasan pengalihan wajib diisi.");
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
        var names = await people.OfAsync(user.OfficeId, [user.UserName, target], ct);
        var (instance, _) = await runner.ExecuteAsync(
            task.InstanceId,
            new AssignTask(task.Id, target, $"dialihkan oleh {names.NameOf(user.UserName)}: {request.Reason.Trim()}", names.NameOf(target)),
            user.UserName,
            ct);
        logger.LogInformation("Task {TaskId} reassigned by supervisor {User} from {PreviousAssignee} to {Assignee}", task.Id, user.UserName, task.Assignee, target);
        var handed = await ReloadAsync(id, ct);
        if (task.Assignee != target && target != user.UserName)
        {
            await TellNewHolderAsync(handed, target, names.NameOf(user.UserName)!, request.Reason, instance.Version, ct);
        }

        return await DetailAsync(handed, access, instance.DefinitionId, ct);
    }

    /// <summary>
    /// The handover has committed; a notice that cannot be sent now is logged, not thrown: the task is already
    /// theirs and shows in their inbox, and saying the handover failed would be untrue.
    /// </summary>
    private async Task TellNewHolderAsync(TaskRecord task, string newHolder, string byName, string? reason, long handover, CancellationToken ct)
    {
        try
        {
            await handovers.SendAsync(task, newHolder, byName, reason, handover, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Task {TaskId} was handed to {Assignee}, but the notice to them could not be sent", task.Id, newHolder);
        }
    }

    /// <summary>
    /// Completes a task. With an Idempotency-Key, a retry of a completion that already succeeded answers
    /// the same task again instead of a 409: the key is stored in the completion's own transaction. The checks, the
    /// command and the answer share one open connection: each open was a tenth of what a completion allocated.
    /// </summary>
    public Task<TaskDetail> CompleteAsync(
        CurrentUser user,
        Guid id,
        CompleteTaskRequest request,
        string? idempotencyKey,
        CancellationToken ct) =>
        db.OnOneConnectionAsync(() => CompleteOnConnectionAsync(user, id, request, idempotencyKey, ct), ct);

    private async Task<TaskDetail> CompleteOnConnectionAsync(
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

        TaskRecord? task = null;
        TaskAccess? access = null;
        CommandOutcome outcome;
        try
        {
            outcome = await runner.CompleteAsync(
                id,
                user.OfficeId,
                user.UserName,
                async stored =>
                {
                    var workable = await gate.WorkableAsync(user, stored, ct);
                    await RefuseUnlessCompletableAsync(user, stored, ct);
                    if (idempotencyKey is not null)
                    {
                        db.IdempotencyKeys.Add(new IdempotencyRecord
                        {
                            Key = idempotencyKey,
                            UserName = user.UserName,
                            TaskId = stored.Id,
                            StatusCode = StatusCodes.Status200OK,
                            ResponseJson = "{}",
                            CreatedAt = clock.GetUtcNow(),
                        });
                    }

                    (task, access) = (stored, workable);
                    return new CompleteTask(stored.Id, request.Outcome, request.Comment, request.Variables ?? new Dictionary<string, JsonElement>());
                },
                ct);
        }
        // Only once the checks passed: a refusal of theirs is the answer, not a race lost to a retry of this key.
        catch (ConflictError) when (idempotencyKey is not null && task is not null)
        {
            db.ChangeTracker.Clear();
            return await ReplayAsync(user, id, idempotencyKey, ct) ?? throw new ConflictError("Tugas ini sudah diselesaikan.");
        }
        catch (DbUpdateException e) when (idempotencyKey is not null && UniqueRows.AlreadyIn(e, "idempotency_keys"))
        {
            // A simultaneous retry stored the key first: its completion is the answer, once committed.
            db.ChangeTracker.Clear();
            return await ReplayAsync(user, id, idempotencyKey, ct)
                ?? throw new ConflictError("Penyelesaian dengan Idempotency-Key ini masih diproses; coba lagi sebentar lagi.");
        }

        return await CompletionAnswerAsync(task!, access!, outcome, ct);
    }

    /// <summary>A completion of a task already done, or held by someone else, is refused before anything is written.</summary>
    private async Task RefuseUnlessCompletableAsync(CurrentUser user, TaskRecord task, CancellationToken ct)
    {
        if (!TaskAccess.IsActive(task))
        {
            throw new ConflictError("Tugas ini sudah diselesaikan.");
        }

        if (task.Assignee is not null && task.Assignee != user.UserName)
        {
            throw new ConflictError($"Tugas ini sedang dikerjakan oleh {await people.OfAsync(task.OfficeId, task.Assignee, ct)}.");
        }
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
}
