using KinerjaWorkflow.Server.Access;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tasks;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Supervision;

/// <summary>
/// The supervisor's view: what is late in the roles they supervise, the escalations they received, and
/// acting on them (acknowledge, reassign the task to another member of its role).
/// </summary>
public sealed class SupervisionService(
    KinerjaDbContext db,
    TaskService tasks,
    TaskGate gate,
    OfficeDirectory offices,
    PeopleNames people,
    TimeProvider clock,
    ILogger<SupervisionService> logger)
{
    public const int MaxNoteLength = 1000;

    private const int MaxEscalations = 200;

    public async Task<OverduePage> OverdueAsync(CurrentUser user, int? pageSize, string? cursor, CancellationToken ct)
    {
        var access = await gate.AccessAsync(user, ct);
        var page = await tasks.ListAsync(
            user,
            new TaskQuery(null, null, true, "active", true, null, null, null, null, pageSize, cursor),
            ct);
        var office = await offices.GetAsync(user.OfficeId, ct);
        var now = clock.GetUtcNow();
        var items = page.Items
            .Select(t => new OverdueTask(t, (long)Math.Floor(office.Calendar.WorkingTimeBetween(t.DueAt!.Value, now).TotalMinutes)))
            .ToList();
        return new OverduePage(access.SupervisedRoles.Order(StringComparer.Ordinal).ToList(), items, page.PageSize, page.NextCursor);
    }

    public async Task<IReadOnlyList<EscalationView>> EscalationsAsync(CurrentUser user, bool unacknowledgedOnly, CancellationToken ct)
    {
        var received = Escalations(user);
        if (unacknowledgedOnly)
        {
            received = received.Where(n => !db.Set<EscalationAcknowledgementRecord>().Any(a => a.NotificationId == n.Id));
        }

        var notifications = await received.OrderByDescending(n => n.CreatedAt).Take(MaxEscalations).ToListAsync(ct);
        var ids = notifications.Select(n => n.Id).ToList();
        var acknowledgements = await db.Set<EscalationAcknowledgementRecord>().AsNoTracking()
            .Where(a => ids.Contains(a.NotificationId))
            .ToDictionaryAsync(a => a.NotificationId, ct);
        var taskIds = notifications.Where(n => n.TaskId is not null).Select(n => n.TaskId!.Value).Distinct().ToList();
        var related = await db.Tasks.AsNoTracking()
            .Where(t => taskIds.Contains(t.Id) && t.OfficeId == user.OfficeId)
            .ToDictionaryAsync(t => t.Id, ct);
        var now = clock.GetUtcNow();
        var names = await people.OfAsync(user.OfficeId, related.Values.Select(t => t.Assignee), ct);
        return notifications
            .Select(n => EscalationView.From(
                n,
                acknowledgements.GetValueOrDefault(n.Id),
                n.TaskId is { } taskId && related.TryGetValue(taskId, out var task)
                    ? TaskSummary.From(task, now) with { AssigneeName = names.NameOf(task.Assignee) }
                    : null))
            .ToList();
    }

    /// <summary>Acknowledging twice keeps the first acknowledgement.</summary>
    public async Task<EscalationView> AcknowledgeAsync(CurrentUser user, Guid id, string? note, CancellationToken ct)
    {
        CheckNote(note);
        var notification = await FindAsync(user, id, ct);
        var acknowledgement = await db.Set<EscalationAcknowledgementRecord>().AsNoTracking()
            .FirstOrDefaultAsync(a => a.NotificationId == id, ct);
        if (acknowledgement is null)
        {
            acknowledgement = Acknowledgement(user, notification, note);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Escalation {NotificationId} of task {TaskId} acknowledged by {User}", id, notification.TaskId, user.UserName);
        }

        return await ViewAsync(user, notification, acknowledgement, ct);
    }

    /// <summary>Reassigns the escalated task and acknowledges the escalation in the same transaction.</summary>
    public async Task<EscalationView> ReassignAsync(CurrentUser user, Guid id, ReassignTaskRequest request, CancellationToken ct)
    {
        var notification = await FindAsync(user, id, ct);
        var taskId = notification.TaskId ?? throw new ConflictError("Eskalasi ini tidak terkait dengan tugas.");
        var acknowledgement = await db.Set<EscalationAcknowledgementRecord>().AsNoTracking()
            .FirstOrDefaultAsync(a => a.NotificationId == id, ct)
            ?? Acknowledgement(user, notification, $"dialihkan ke {request.Username}: {request.Reason}");
        await tasks.ReassignAsync(user, taskId, request, ct);
        return await ViewAsync(user, notification, acknowledgement, ct);
    }

    private IQueryable<NotificationRecord> Escalations(CurrentUser user) =>
        db.Set<NotificationRecord>().AsNoTracking()
            .Where(n => n.UserName == user.UserName && n.OfficeId == user.OfficeId && n.Kind == NotificationKinds.Escalation);

    private async Task<NotificationRecord> FindAsync(CurrentUser user, Guid id, CancellationToken ct) =>
        await Escalations(user).FirstOrDefaultAsync(n => n.Id == id, ct)
        ?? throw new NotFoundError("Eskalasi tidak ditemukan.");

    /// <summary>Adds the acknowledgement (and marks the notification read) to the pending changes, unsaved.</summary>
    private EscalationAcknowledgementRecord Acknowledgement(CurrentUser user, NotificationRecord notification, string? note)
    {
        var now = clock.GetUtcNow();
        var acknowledgement = new EscalationAcknowledgementRecord
        {
            NotificationId = notification.Id,
            OfficeId = user.OfficeId,
            UserName = user.UserName,
            TaskId = notification.TaskId,
            AcknowledgedAt = now,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        };
        db.Add(acknowledgement);
        if (notification.ReadAt is null)
        {
            var read = db.Attach(notification).Entity;
            read.ReadAt = now;
        }

        return acknowledgement;
    }

    private async Task<EscalationView> ViewAsync(
        CurrentUser user, NotificationRecord notification, EscalationAcknowledgementRecord acknowledgement, CancellationToken ct)
    {
        var task = notification.TaskId is { } taskId
            ? await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId && t.OfficeId == user.OfficeId, ct)
            : null;
        var summary = task is null
            ? null
            : TaskSummary.From(task, clock.GetUtcNow()) with { AssigneeName = await people.OfAsync(user.OfficeId, task.Assignee, ct) };
        return EscalationView.From(notification, acknowledgement, summary);
    }

    private static void CheckNote(string? note)
    {
        if (note is { Length: > MaxNoteLength })
        {
            throw new RuleViolation($"Catatan paling panjang {MaxNoteLength} karakter.");
        }
    }
}

/// <param name="SupervisedRoles">The roles whose tasks the caller supervises.</param>
public sealed record OverduePage(IReadOnlyList<string> SupervisedRoles, IReadOnlyList<OverdueTask> Items, int PageSize, string? NextCursor);

/// <param name="WorkingMinutesLate">Office time since the deadline passed, in whole minutes.</param>
public sealed record OverdueTask(TaskSummary Task, long WorkingMinutesLate);

public sealed record AcknowledgeEscalationRequest(string? Note);

/// <summary>An escalation the caller received, whether they acknowledged it, and the escalated task as it is now.</summary>
public sealed record EscalationView(
    Guid Id,
    string Subject,
    string Message,
    Guid? TaskId,
    Guid? InstanceId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ReadAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgementNote,
    TaskSummary? Task)
{
    public static EscalationView From(NotificationRecord n, EscalationAcknowledgementRecord? acknowledgement, TaskSummary? task) =>
        new(n.Id, n.Subject, n.Message, n.TaskId, n.InstanceId, n.CreatedAt, n.ReadAt, acknowledgement?.AcknowledgedAt, acknowledgement?.Note, task);
}
