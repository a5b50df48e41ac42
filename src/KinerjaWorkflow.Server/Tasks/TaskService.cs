using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>
/// The task inbox: what a person may see and do. A task of another office does not exist for the caller
/// (404); a task of the caller's office whose role the caller lacks is refused (403).
/// </summary>
public sealed class TaskService(
    KinerjaDbContext db,
    DefinitionCatalog catalog,
    InstanceCommandRunner runner,
    TimeProvider clock)
{
    public const int MaxCommentLength = 4000;

    public async Task<TaskPage> ListAsync(CurrentUser user, TaskQuery query, CancellationToken ct)
    {
        var tasks = db.Tasks.AsNoTracking().Where(t => t.OfficeId == user.OfficeId);
        if (query.Mine == true)
        {
            tasks = tasks.Where(t => t.Assignee == user.UserName);
        }
        else if (!string.IsNullOrWhiteSpace(query.Role))
        {
            if (!user.Roles.Contains(query.Role) && !user.IsAdmin)
            {
                throw new ForbiddenProblem($"Anda bukan anggota peran '{query.Role}'.");
            }

            var pattern = TaskRoles.Pattern(query.Role);
            tasks = tasks.Where(t => t.Roles.Contains(pattern));
        }
        else
        {
            tasks = VisibleTo(tasks, user);
        }

        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            tasks = tasks.Where(t => t.Status == query.Status);
        }

        if (!string.IsNullOrWhiteSpace(query.DefinitionKey))
        {
            tasks = tasks.Where(t => t.DefinitionKey == query.DefinitionKey);
        }

        if (!string.IsNullOrWhiteSpace(query.BusinessKey))
        {
            tasks = tasks.Where(t => t.BusinessKey == query.BusinessKey);
        }

        if (query.Overdue == true)
        {
            var now = clock.GetUtcNow();
            tasks = tasks.Where(t =>
                (t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed) && t.DueAt != null && t.DueAt < now);
        }

        var pageSize = Math.Clamp(query.PageSize ?? 50, 1, 200);
        var page = Math.Max(query.Page ?? 1, 1);
        var total = await tasks.CountAsync(ct);
        var items = await tasks
            .OrderBy(t => t.DueAt == null)
            .ThenBy(t => t.DueAt)
            .ThenBy(t => t.CreatedAt)
            .ThenBy(t => t.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(ct);
        var now2 = clock.GetUtcNow();
        return new TaskPage(items.Select(t => TaskSummary.From(t, now2)).ToList(), page, pageSize, total);
    }

    public async Task<TaskDetail> GetAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var task = await FindVisibleAsync(user, id, ct);
        return await DetailAsync(task, ct);
    }

    public async Task<TaskDetail> ClaimAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var task = await FindForActionAsync(user, id, ct);
        await runner.ExecuteAsync(task.InstanceId, new ClaimTask(task.Id, user.UserName), user.UserName, ct);
        return await DetailAsync(await ReloadAsync(id, ct), ct);
    }

    public async Task<TaskDetail> UnclaimAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var task = await FindForActionAsync(user, id, ct);
        if (task.Assignee is not null && task.Assignee != user.UserName && !user.IsAdmin)
        {
            throw new ConflictProblem($"Tugas ini sedang dikerjakan oleh {task.Assignee}; hanya dia yang dapat melepasnya.");
        }

        await runner.ExecuteAsync(task.InstanceId, new UnclaimTask(task.Id), user.UserName, ct);
        return await DetailAsync(await ReloadAsync(id, ct), ct);
    }

    public async Task<TaskDetail> DelegateAsync(CurrentUser user, Guid id, string? toUser, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(toUser))
        {
            throw new InvalidInputProblem("username penerima wajib diisi.");
        }

        var task = await FindForActionAsync(user, id, ct);
        if (task.Assignee is not null && task.Assignee != user.UserName)
        {
            throw new ConflictProblem($"Tugas ini sedang dikerjakan oleh {task.Assignee}.");
        }

        var roles = TaskRoles.Decode(task.Roles);
        var target = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == toUser && u.OfficeId == user.OfficeId, ct)
            ?? throw new InvalidInputProblem($"Pengguna '{toUser}' tidak ditemukan di kantor Anda.");
        var targetHasRole = await db.UserRoles.AnyAsync(r => r.UserId == target.Id && roles.Contains(r.RoleName), ct);
        if (!targetHasRole)
        {
            throw new InvalidInputProblem($"Pengguna '{toUser}' bukan anggota peran {string.Join(", ", roles)}.");
        }

        await runner.ExecuteAsync(task.InstanceId, new AssignTask(task.Id, target.UserName, $"didelegasikan oleh {user.UserName}"), user.UserName, ct);
        return await DetailAsync(await ReloadAsync(id, ct), ct);
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
            throw new InvalidInputProblem($"Komentar paling panjang {MaxCommentLength} karakter.");
        }

        if (idempotencyKey is { Length: > 200 })
        {
            throw new InvalidInputProblem("Idempotency-Key paling panjang 200 karakter.");
        }

        if (idempotencyKey is not null && await ReplayAsync(user, id, idempotencyKey, ct) is { } replayed)
        {
            return replayed;
        }

        var task = await FindForActionAsync(user, id, ct);
        if (task.Status is TaskStatusText.Completed or TaskStatusText.Cancelled)
        {
            throw new ConflictProblem("Tugas ini sudah diselesaikan.");
        }

        if (task.Assignee is not null && task.Assignee != user.UserName)
        {
            throw new ConflictProblem($"Tugas ini sedang dikerjakan oleh {task.Assignee}.");
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
        catch (ConflictProblem) when (idempotencyKey is not null)
        {
            db.ChangeTracker.Clear();
            return await ReplayAsync(user, id, idempotencyKey, ct) ?? throw new ConflictProblem("Tugas ini sudah diselesaikan.");
        }

        return await DetailAsync(await ReloadAsync(id, ct), ct);
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
            throw new InvalidInputProblem("Idempotency-Key ini sudah dipakai untuk tugas lain.");
        }

        return await DetailAsync(await ReloadAsync(id, ct), ct);
    }

    private static IQueryable<TaskRecord> VisibleTo(IQueryable<TaskRecord> tasks, CurrentUser user)
    {
        if (user.IsAdmin)
        {
            return tasks;
        }

        var patterns = user.Roles.Select(TaskRoles.Pattern).ToList();
        var name = user.UserName;
        return patterns.Count switch
        {
            0 => tasks.Where(t => t.Assignee == name || t.CompletedBy == name),
            _ => tasks.Where(t => t.Assignee == name || t.CompletedBy == name || patterns.Any(p => t.Roles.Contains(p))),
        };
    }

    private async Task<TaskRecord> FindVisibleAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.OfficeId == user.OfficeId, ct)
            ?? throw new NotFoundProblem("Tugas tidak ditemukan.");
        var roles = TaskRoles.Decode(task.Roles);
        var visible = user.IsAdmin || task.Assignee == user.UserName || task.CompletedBy == user.UserName || roles.Any(user.Roles.Contains);
        return visible ? task : throw new ForbiddenProblem("Anda tidak memiliki peran untuk tugas ini.");
    }

    private async Task<TaskRecord> FindForActionAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.OfficeId == user.OfficeId, ct)
            ?? throw new NotFoundProblem("Tugas tidak ditemukan.");
        var roles = TaskRoles.Decode(task.Roles);
        if (!roles.Any(user.Roles.Contains) && task.Assignee != user.UserName)
        {
            throw new ForbiddenProblem($"Tugas ini untuk peran {string.Join(", ", roles)}; Anda bukan anggotanya.");
        }

        return task;
    }

    private async Task<TaskRecord> ReloadAsync(Guid id, CancellationToken ct) =>
        await db.Tasks.AsNoTracking().FirstAsync(t => t.Id == id, ct);

    private async Task<TaskDetail> DetailAsync(TaskRecord task, CancellationToken ct)
    {
        var definition = await db.Definitions.AsNoTracking()
            .FirstAsync(d => d.Key == task.DefinitionKey && d.Version == task.DefinitionVersion, ct);
        var node = catalog.ModelOf(definition).Node(task.StepId) as HumanTask;
        return TaskDetail.From(task, node, clock.GetUtcNow());
    }
}

public sealed record TaskQuery(
    bool? Mine,
    string? Role,
    string? Status,
    bool? Overdue,
    string? DefinitionKey,
    string? BusinessKey,
    int? Page,
    int? PageSize);

public sealed record CompleteTaskRequest(string? Outcome, string? Comment, Dictionary<string, JsonElement>? Variables);

public sealed record DelegateTaskRequest(string? Username);

public sealed record TaskPage(IReadOnlyList<TaskSummary> Items, int Page, int PageSize, int Total);

public sealed record TaskSummary(
    Guid Id,
    Guid InstanceId,
    string DefinitionKey,
    string? BusinessKey,
    string StepId,
    string StepName,
    int? StepNumber,
    IReadOnlyList<string> Roles,
    string? Assignee,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpectedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    JsonElement? Item)
{
    public static TaskSummary From(TaskRecord t, DateTimeOffset now) => new(
        t.Id,
        t.InstanceId,
        t.DefinitionKey,
        t.BusinessKey,
        t.StepId,
        t.StepName,
        t.StepNumber,
        TaskRoles.Decode(t.Roles),
        t.Assignee,
        t.Status,
        t.CreatedAt,
        t.ExpectedAt,
        t.DueAt,
        IsOverdue(t, now),
        ParseItem(t.LoopItem));

    internal static bool IsOverdue(TaskRecord t, DateTimeOffset now) =>
        t.DueAt is { } due && (t.CompletedAt ?? now) > due && t.Status != TaskStatusText.Cancelled;

    internal static JsonElement? ParseItem(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record TaskDetail(
    Guid Id,
    Guid InstanceId,
    string DefinitionKey,
    int DefinitionVersion,
    string? BusinessKey,
    string StepId,
    string StepName,
    int? StepNumber,
    string? Kelengkapan,
    string? Waktu,
    string? Output,
    string? Keterangan,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<string> Roles,
    string? Assignee,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpectedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    DateTimeOffset? CompletedAt,
    string? CompletedBy,
    string? Outcome,
    string? Comment,
    JsonElement? Item)
{
    public static TaskDetail From(TaskRecord t, HumanTask? node, DateTimeOffset now) => new(
        t.Id,
        t.InstanceId,
        t.DefinitionKey,
        t.DefinitionVersion,
        t.BusinessKey,
        t.StepId,
        t.StepName,
        t.StepNumber,
        node?.Step?.Kelengkapan,
        node?.Step?.Waktu,
        node?.Step?.Output,
        node?.Step?.Keterangan,
        node?.Outcomes ?? [],
        TaskRoles.Decode(t.Roles),
        t.Assignee,
        t.Status,
        t.CreatedAt,
        t.ExpectedAt,
        t.DueAt,
        TaskSummary.IsOverdue(t, now),
        t.CompletedAt,
        t.CompletedBy,
        t.Outcome,
        t.Comment,
        TaskSummary.ParseItem(t.LoopItem));
}
