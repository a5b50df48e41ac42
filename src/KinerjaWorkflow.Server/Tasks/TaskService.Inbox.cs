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

/// <summary>The inbox's lists and counts: keyset pages in deadline order, one office's tasks the caller may see.</summary>
public sealed partial class TaskService
{
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
        var names = await people.OfAsync(user.OfficeId, page.Select(t => t.Assignee), ct);
        var sentBackTasks = await sentBack.OfAsync(page.Where(TaskAccess.IsActive).ToList(), ct);
        return new TaskPage(
            page.Select(t => TaskSummary.Listed(t, now, calendar, names) with { SentBack = sentBackTasks.GetValueOrDefault(t.Id) }).ToList(),
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
}
