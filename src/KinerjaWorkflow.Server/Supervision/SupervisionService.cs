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

    /// <summary>
    /// The escalations the caller received, newest first. An escalation counts as handled once anyone it went to
    /// acknowledged an escalation of the same task, or reassigned the task from one, after it was sent: one
    /// supervisor taking it on closes it for the others too, and the view says who did what and when.
    /// </summary>
    public async Task<IReadOnlyList<EscalationView>> EscalationsAsync(CurrentUser user, bool unacknowledgedOnly, CancellationToken ct)
    {
        var notifications = await Escalations(user).OrderByDescending(n => n.CreatedAt).Take(MaxEscalations).ToListAsync(ct);
        var taskIds = notifications.Where(n => n.TaskId is not null).Select(n => n.TaskId!.Value).Distinct().ToList();
        var ids = notifications.Select(n => n.Id).ToList();
        var acknowledgements = await db.Set<EscalationAcknowledgementRecord>().AsNoTracking()
            .Where(a => a.OfficeId == user.OfficeId && (ids.Contains(a.NotificationId) || (a.TaskId != null && taskIds.Contains(a.TaskId.Value))))
            .ToListAsync(ct);
        var handled = notifications.ToDictionary(n => n.Id, n => HandlingOf(n, acknowledgements));
        if (unacknowledgedOnly)
        {
            notifications = notifications.Where(n => handled[n.Id] is null).ToList();
        }

        var related = await db.Tasks.AsNoTracking()
            .Where(t => taskIds.Contains(t.Id) && t.OfficeId == user.OfficeId)
            .ToDictionaryAsync(t => t.Id, ct);
        var now = clock.GetUtcNow();
        var calendar = (await offices.GetAsync(user.OfficeId, ct)).Calendar;
        var handlings = notifications.Select(n => handled[n.Id]).OfType<EscalationAcknowledgementRecord>().ToList();
        var recipients = await ReassignedToAsync(handlings, ct);
        var names = await people.OfAsync(
            user.OfficeId,
            related.Values.Select(t => t.Assignee).Concat(handlings.Select(a => a.UserName)).Concat(recipients.Values),
            ct);
        return notifications
            .Select(n => EscalationView.From(
                n,
                handled[n.Id],
                n.TaskId is { } taskId && related.TryGetValue(taskId, out var task)
                    ? TaskSummary.Listed(task, now, calendar, names)
                    : null,
                handled[n.Id] is { } by ? Handler(by, recipients, names) : null))
            .ToList();
    }

    /// <summary>The caller's own acknowledgement, or else the first one of the same task made after the escalation was sent.</summary>
    private static EscalationAcknowledgementRecord? HandlingOf(NotificationRecord escalation, List<EscalationAcknowledgementRecord> acknowledgements) =>
        acknowledgements.FirstOrDefault(a => a.NotificationId == escalation.Id)
        ?? acknowledgements
            .Where(a => escalation.TaskId is not null && a.TaskId == escalation.TaskId && a.AcknowledgedAt >= escalation.CreatedAt)
            .OrderBy(a => a.AcknowledgedAt)
            .FirstOrDefault();

    /// <summary>
    /// Whom each acknowledgement's task was handed to when it was reassigned from the escalation: the person the
    /// handover notice went to, the first one sent at or after the acknowledgement.
    /// </summary>
    private async Task<Dictionary<Guid, string>> ReassignedToAsync(List<EscalationAcknowledgementRecord> handlings, CancellationToken ct)
    {
        var taskIds = handlings.Where(a => a.TaskId is not null).Select(a => a.TaskId!.Value).Distinct().ToList();
        if (taskIds.Count == 0)
        {
            return [];
        }

        var notices = await db.Set<NotificationRecord>().AsNoTracking()
            .Where(n => n.Kind == NotificationKinds.Task && n.TaskId != null && taskIds.Contains(n.TaskId.Value))
            .Select(n => new { TaskId = n.TaskId!.Value, n.UserName, n.CreatedAt, n.DeduplicationKey })
            .ToListAsync(ct);
        var reassigned = new Dictionary<Guid, string>();
        foreach (var handling in handlings.Where(a => a.TaskId is not null && a.Note?.StartsWith(ReassignedNote, StringComparison.Ordinal) == true))
        {
            var prefix = HandoverNotices.KeyPrefix(handling.TaskId!.Value);
            var notice = notices
                .Where(n => n.TaskId == handling.TaskId && n.DeduplicationKey.StartsWith(prefix, StringComparison.Ordinal) && n.CreatedAt >= handling.AcknowledgedAt)
                .MinBy(n => n.CreatedAt);
            if (notice is not null)
            {
                reassigned[handling.NotificationId] = notice.UserName;
            }
        }

        return reassigned;
    }

    private static EscalationHandler Handler(
        EscalationAcknowledgementRecord acknowledgement, Dictionary<Guid, string> recipients, IReadOnlyDictionary<string, string> names)
    {
        var to = recipients.GetValueOrDefault(acknowledgement.NotificationId);
        return new EscalationHandler(acknowledgement.UserName, names.NameOf(acknowledgement.UserName)!, acknowledgement.AcknowledgedAt, to, names.NameOf(to));
    }

    /// <summary>Acknowledging twice keeps the first acknowledgement.</summary>
    public async Task<EscalationView> AcknowledgeAsync(CurrentUser user, Guid id, string? note, CancellationToken ct)
    {
        CheckNote(note);
        var notification = await FindAsync(user, id, ct);
        if (!await db.Set<EscalationAcknowledgementRecord>().AnyAsync(a => a.NotificationId == id, ct))
        {
            Acknowledgement(user, notification, note);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Escalation {NotificationId} of task {TaskId} acknowledged by {User}", id, notification.TaskId, user.UserName);
        }

        return await ViewAsync(user, id, ct);
    }

    /// <summary>
    /// Reassigns the escalated task and records the escalation as handled in the same transaction; the new holder
    /// is told by the task's handover notice. Reassigning an escalation already acknowledged keeps the first record.
    /// </summary>
    public async Task<EscalationView> ReassignAsync(CurrentUser user, Guid id, ReassignTaskRequest request, CancellationToken ct)
    {
        var notification = await FindAsync(user, id, ct);
        var taskId = notification.TaskId ?? throw new ConflictError("Eskalasi ini tidak terkait dengan tugas.");
        if (!await db.Set<EscalationAcknowledgementRecord>().AnyAsync(a => a.NotificationId == id, ct))
        {
            Acknowledgement(user, notification, $"{ReassignedNote}{request.Reason?.Trim()}");
        }

        await tasks.ReassignAsync(user, taskId, request, ct);
        return await ViewAsync(user, id, ct);
    }

    /// <summary>How the note of an acknowledgement made by reassigning begins; the reason follows.</summary>
    public const string ReassignedNote = "Dialihkan: ";

    private IQueryable<NotificationRecord> Escalations(CurrentUser user) =>
        db.Set<NotificationRecord>().AsNoTracking()
            .Where(n => n.UserName == user.UserName && n.OfficeId == user.OfficeId && n.Kind == NotificationKinds.Escalation);

    private async Task<NotificationRecord> FindAsync(CurrentUser user, Guid id, CancellationToken ct) =>
        await Escalations(user).FirstOrDefaultAsync(n => n.Id == id, ct)
        ?? throw new NotFoundError("Eskalasi tidak ditemukan.");

    /// <summary>Adds the acknowledgement (and marks the notification read) to the pending changes, unsaved.</summary>
    private void Acknowledgement(CurrentUser user, NotificationRecord notification, string? note)
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
    }

    private async Task<EscalationView> ViewAsync(CurrentUser user, Guid id, CancellationToken ct) =>
        (await EscalationsAsync(user, false, ct)).FirstOrDefault(e => e.Id == id)
        ?? throw new NotFoundError("Eskalasi tidak ditemukan.");

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

/// <summary>An escalation the caller received, whether it was handled (by them or another recipient), and the escalated task as it is now.</summary>
/// <param name="AcknowledgedAt">When it was handled; null while nobody has taken it on.</param>
/// <param name="AcknowledgementNote">What the person who handled it wrote; for a reassignment, "Dialihkan: " and the reason.</param>
/// <param name="HandledBy">Who handled it and, for a reassignment, to whom the task went.</param>
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
    TaskSummary? Task,
    EscalationHandler? HandledBy)
{
    public static EscalationView From(NotificationRecord n, EscalationAcknowledgementRecord? acknowledgement, TaskSummary? task, EscalationHandler? handler) =>
        new(n.Id, n.Subject, n.Message, n.TaskId, n.InstanceId, n.CreatedAt, n.ReadAt, acknowledgement?.AcknowledgedAt, acknowledgement?.Note, task, handler);
}

/// <summary>Who took an escalation on, when, and whom the task was reassigned to (null when it was acknowledged only).</summary>
public sealed record EscalationHandler(string UserName, string Name, DateTimeOffset At, string? ReassignedTo, string? ReassignedToName);
