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

    /// <summary>
    /// A task the caller is about to act on, and the caller as the database has them now, read in the same statement:
    /// the command's audit lines credit them with that name and those roles (<see cref="AuditTrail.Knows"/>).
    /// </summary>
    public async Task<(TaskRecord Task, TaskAccess Access, ActingPerson Actor)> FindWorkableToActAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        TaskWithActor? first = null;
        var roles = new List<string>();
        await foreach (var row in TaskInOfficeWithActor.For(db)(db, id, user.OfficeId, user.UserName).WithCancellation(ct))
        {
            first ??= row;
            if (row.ActorRole is not null)
            {
                roles.Add(row.ActorRole);
            }
        }

        if (first is null)
        {
            throw new NotFoundError("Tugas tidak ditemukan.");
        }

        await offices.TakeStampAsync(first.CalendarStamp, ct);
        return (first.Task, await WorkableAsync(user, first.Task, ct), new ActingPerson(first.ActorName, roles));
    }

    private async Task<TaskAccess> WorkableAsync(CurrentUser user, TaskRecord task, CancellationToken ct)
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

    /// <summary>
    /// Compiled: the task as <see cref="TaskInOffice"/> reads it, on one row for each of the caller's roles (ordered by
    /// name, as the audit trail keeps them) or on one row when they have none.
    /// </summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, Guid, string, string, IAsyncEnumerable<TaskWithActor>>> TaskInOfficeWithActor = new(() =>
        EF.CompileAsyncQuery<KinerjaDbContext, Guid, string, string, TaskWithActor>((KinerjaDbContext db, Guid id, string officeId, string userName) =>
            from t in db.Tasks.AsNoTracking()
            where t.Id == id && t.OfficeId == officeId
            join u in db.Users on new { t.OfficeId, UserName = userName } equals new { u.OfficeId, u.UserName } into users
            from u in users.DefaultIfEmpty()
            join r in db.UserRoles on u!.Id equals r.UserId into roles
            from r in roles.DefaultIfEmpty()
            orderby r!.RoleName
            select new TaskWithActor(
                t,
                db.Set<ServiceSettingRecord>().Where(s => s.Name == HolidayCalendar.StampSetting).Select(s => s.Value).FirstOrDefault(),
                u!.DisplayName,
                r!.RoleName)));

    public async Task<TaskRecord> FindInOfficeAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var found = await TaskInOffice.For(db)(db, id, user.OfficeId, ct) ?? throw new NotFoundError("Tugas tidak ditemukan.");
        await offices.TakeStampAsync(found.CalendarStamp, ct);
        return found.Task;
    }

    private sealed record TaskWithStamp(TaskRecord Task, string? CalendarStamp);

    private sealed record TaskWithActor(TaskRecord Task, string? CalendarStamp, string? ActorName, string? ActorRole);
}
