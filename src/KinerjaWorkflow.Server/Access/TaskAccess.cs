using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Access;

/// <summary>
/// What one person may see and do with the tasks of their office. A role is supervised by everyone holding
/// a role on its supervisor chain (its supervisor, that role's supervisor, up to the head of office).
/// </summary>
public sealed class TaskAccess(CurrentUser user, IReadOnlySet<string> supervisedRoles)
{
    public CurrentUser User { get; } = user;

    /// <summary>The roles whose tasks this person supervises: sees, and may reassign.</summary>
    public IReadOnlySet<string> SupervisedRoles { get; } = supervisedRoles;

    public static TaskAccess For(CurrentUser user, Organization organization)
    {
        // Every request on a task starts here: the chains are walked in place rather than listed role by role.
        var supervised = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in organization.Roles)
        {
            for (var above = role.Supervisor; above is not null; above = organization.SupervisorOf(above))
            {
                if (user.Roles.Contains(above))
                {
                    supervised.Add(role.Name);
                    break;
                }
            }
        }

        return new TaskAccess(user, supervised);
    }

    public bool HasRoleOf(TaskRecord task) => TaskRoles.Decode(task.Roles).Any(User.Roles.Contains);

    public bool Supervises(TaskRecord task) => TaskRoles.Decode(task.Roles).Any(SupervisedRoles.Contains);

    public bool MaySee(TaskRecord task) =>
        User.IsAdmin || task.Assignee == User.UserName || task.CompletedBy == User.UserName || HasRoleOf(task) || Supervises(task);

    /// <summary>Claim, complete, delegate and attach documents: the task's role, or the task handed to this person.</summary>
    public bool MayWorkOn(TaskRecord task) => HasRoleOf(task) || task.Assignee == User.UserName;

    public static bool IsActive(TaskRecord task) => task.Status is TaskStatusText.Open or TaskStatusText.Claimed;
}

/// <summary>
/// Finds a task for a person: one of another office does not exist for them (404); one of their office they
/// may not see or act on is refused (403).
/// </summary>
public sealed class TaskGate(KinerjaDbContext db, OfficeLookup offices)
{
    public async ValueTask<TaskAccess> AccessAsync(CurrentUser user, CancellationToken ct)
    {
        var office = await offices.GetAsync(user.OfficeId, ct);
        return TaskAccess.For(user, office.Organization);
    }

    public async Task<(TaskRecord Task, TaskAccess Access)> FindVisibleAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var task = await FindInOfficeAsync(user, id, ct);
        var access = await AccessAsync(user, ct);
        return access.MaySee(task) ? (task, access) : throw new ForbiddenError("Anda tidak memiliki peran untuk tugas ini.");
    }

    public async Task<(TaskRecord Task, TaskAccess Access)> FindWorkableAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var task = await FindInOfficeAsync(user, id, ct);
        return (task, await WorkableAsync(user, task, ct));
    }

    /// <summary>The person's access to a task of their office read elsewhere, when they may work on it; 403 otherwise.</summary>
    public async ValueTask<TaskAccess> WorkableAsync(CurrentUser user, TaskRecord task, CancellationToken ct)
    {
        var access = await AccessAsync(user, ct);
        return access.MayWorkOn(task)
            ? access
            : throw new ForbiddenError($"Tugas ini untuk peran {string.Join(", ", TaskRoles.Decode(task.Roles))}; Anda bukan anggotanya.");
    }

    /// <summary>
    /// Compiled: every task command and answer starts here. The calendar stamp comes with the task, so the office lookup
    /// that follows need not read it in a statement of its own.
    /// </summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, string, CancellationToken, Task<TaskWithStamp?>>> TaskInOffice = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, Guid id, string officeId, CancellationToken ct) =>
            db.Tasks.AsNoTracking()
                .Where(t => t.Id == id && t.OfficeId == officeId)
                .Select(t => new TaskWithStamp(
                    t,
                    db.Set<ServiceSettingRecord>().Where(s => s.Name == HolidayCalendar.StampSetting).Select(s => s.Value).FirstOrDefault()))
                .FirstOrDefault()));

    public async Task<TaskRecord> FindInOfficeAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var found = await TaskInOffice.For(db)(db, id, user.OfficeId, ct) ?? throw new NotFoundError("Tugas tidak ditemukan.");
        await offices.TakeStampAsync(found.CalendarStamp, ct);
        return found.Task;
    }

    private sealed record TaskWithStamp(TaskRecord Task, string? CalendarStamp);
}
