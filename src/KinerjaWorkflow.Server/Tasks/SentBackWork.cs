using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>
/// Which tasks are work sent back: the completion that created the task (the last completion line before the
/// task's creation in its instance's trail) chose an outcome whose flow leads back to an earlier step. Read from
/// the audit trail, which keeps the reason, so it needs nothing stored beside it.
/// </summary>
public sealed class SentBackWork(KinerjaDbContext db, DefinitionCatalog catalog, PeopleNames people)
{
    public async Task<IReadOnlyDictionary<Guid, SentBack>> OfAsync(IReadOnlyCollection<TaskRecord> tasks, CancellationToken ct)
    {
        if (tasks.Count == 0)
        {
            return new Dictionary<Guid, SentBack>();
        }

        var taskIds = tasks.Select(t => t.Id).ToList();
        var instanceIds = tasks.Select(t => t.InstanceId).Distinct().ToList();
        // Through the instances: audit lines are indexed by instance, not by task, and a scan of the whole trail
        // of every office at each inbox page grows with the service's age.
        var created = await db.AuditEntries.AsNoTracking()
            .Where(a => instanceIds.Contains(a.InstanceId) && a.TaskId != null && taskIds.Contains(a.TaskId.Value) && a.Action == AuditActions.TaskCreated)
            .Select(a => new { TaskId = a.TaskId!.Value, a.Sequence })
            .ToListAsync(ct);
        var completions = await db.AuditEntries.AsNoTracking()
            .Where(a => instanceIds.Contains(a.InstanceId) && a.Action == AuditActions.TaskCompleted)
            .Select(a => new { a.InstanceId, a.Sequence, a.FromStep, a.Detail, a.Comment, a.UserName, a.ActorName, a.At })
            .ToListAsync(ct);
        var byInstance = completions.GroupBy(c => c.InstanceId).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Sequence).ToList());
        var models = new Dictionary<(string, int), ProcessModel>();
        var sentBack = new Dictionary<Guid, SentBack>();
        foreach (var task in tasks)
        {
            var creation = created.FirstOrDefault(c => c.TaskId == task.Id);
            if (creation is null || !byInstance.TryGetValue(task.InstanceId, out var lines))
            {
                continue;
            }

            var completion = lines.LastOrDefault(c => c.Sequence < creation.Sequence);
            if (completion is not { Detail: { } outcome, FromStep: { } fromStep })
            {
                continue;
            }

            if (Of(await ModelAsync(task, models, ct), outcome, fromStep, completion.Comment, completion.UserName, completion.ActorName, completion.At) is { } back)
            {
                sentBack[task.Id] = back;
            }
        }

        if (sentBack.Count == 0)
        {
            return sentBack;
        }

        var names = await people.OfAsync(tasks.First().OfficeId, sentBack.Values.Select(s => s.By), ct);
        return sentBack.ToDictionary(p => p.Key, p => p.Value with { ByName = names.NameOf(p.Value.By) ?? p.Value.ByName });
    }

    /// <summary>
    /// The completion that created the task: the last completion line before the task's creation line in its
    /// instance's trail (in sequence order), or null for a task the instance's start created.
    /// </summary>
    public static HistoryEntry? CreatingCompletion(IReadOnlyList<HistoryEntry> trail, Guid taskId)
    {
        var created = trail.FirstOrDefault(e => e.Action == AuditActions.TaskCreated && e.TaskId == taskId);
        return created is null
            ? null
            : trail.LastOrDefault(e => e.Action == AuditActions.TaskCompleted && e.Sequence < created.Sequence);
    }

    /// <summary>The send-back of <paramref name="completion"/>, a completion line of the trail; null when it went forward.</summary>
    public static SentBack? Of(HistoryEntry completion, ProcessModel model) =>
        completion is { Detail: { } outcome, FromStepId: { } fromStep }
            ? Of(model, outcome, fromStep, completion.Comment, completion.User, completion.Actor.Name, completion.At)
            : null;

    private static SentBack? Of(ProcessModel model, string outcome, string fromStep, string? reason, string? by, string? byName, DateTimeOffset at) =>
        model.Nodes.GetValueOrDefault(fromStep) is HumanTask step && step.SendsBack(outcome)
            ? new SentBack(outcome, reason, fromStep, step.DisplayName, step.Step?.Number, by, byName, at)
            : null;

    private async Task<ProcessModel> ModelAsync(TaskRecord task, Dictionary<(string, int), ProcessModel> models, CancellationToken ct)
    {
        var key = (task.DefinitionKey, task.DefinitionVersion);
        if (!models.TryGetValue(key, out var model))
        {
            var definitionId = await catalog.IdOfAsync(db, task.OfficeId, task.DefinitionKey, task.DefinitionVersion, ct);
            model = await catalog.ModelOfAsync(db, definitionId, ct);
            models[key] = model;
        }

        return model;
    }
}

/// <summary>The work came back: which step sent it, with which outcome, why, by whom and when.</summary>
/// <param name="Reason">What the person who sent it back wrote; required for a send-back outcome.</param>
/// <param name="ByName">Who sent it back as pages name them, "Nama (Peran)".</param>
public sealed record SentBack(
    string Outcome,
    string? Reason,
    string FromStepId,
    string FromStepName,
    int? FromStepNumber,
    string? By,
    string? ByName,
    DateTimeOffset At);
