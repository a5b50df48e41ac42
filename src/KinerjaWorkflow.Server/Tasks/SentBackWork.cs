using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Definitions;
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
        var created = await db.AuditEntries.AsNoTracking()
            .Where(a => a.TaskId != null && taskIds.Contains(a.TaskId.Value) && a.Action == AuditActions.TaskCreated)
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

            var model = await ModelAsync(task, models, ct);
            if (model.Nodes.GetValueOrDefault(fromStep) is HumanTask step && step.SendsBack(outcome))
            {
                sentBack[task.Id] = new SentBack(
                    outcome, completion.Comment, fromStep, step.DisplayName, step.Step?.Number, completion.UserName, completion.ActorName, completion.At);
            }
        }

        if (sentBack.Count == 0)
        {
            return sentBack;
        }

        var names = await people.OfAsync(tasks.First().OfficeId, sentBack.Values.Select(s => s.By), ct);
        return sentBack.ToDictionary(p => p.Key, p => p.Value with { ByName = names.NameOf(p.Value.By) ?? p.Value.ByName });
    }

    private async Task<ProcessModel> ModelAsync(TaskRecord task, Dictionary<(string, int), ProcessModel> models, CancellationToken ct)
    {
        var key = (task.DefinitionKey, task.DefinitionVersion);
        if (!models.TryGetValue(key, out var model))
        {
            var definition = await db.Definitions.AsNoTracking()
                .FirstAsync(d => d.OfficeId == task.OfficeId && d.Key == task.DefinitionKey && d.Version == task.DefinitionVersion, ct);
            model = catalog.ModelOf(definition);
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
