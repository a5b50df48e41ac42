using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// A task's reminder and escalation plan (<see cref="SlaPlanner"/>), put into the schedule one step at a time. The
/// task row holds when its next step falls due (<see cref="TaskRecord.NextSlaStepAt"/>); the sweep writes that step's
/// schedule row once it is due and plans the step after it, with the calendar and organization of that moment. Until
/// then no schedule row exists, so a task done in time, as most are, has written none: giving a task and completing it
/// cost the schedule nothing but the task row's own columns (bench/README.md, issue 17).
/// </summary>
internal sealed class SlaSteps(KinerjaDbContext db, CommandRows rows, OfficeLookup offices, SlaSettingsReader settings, ILogger<SlaSteps> logger)
{
    private const int BatchSize = 500;

    /// <summary>The task's plan for its deadline <paramref name="dueAt"/>, with its office's settings and its definition's.</summary>
    private async Task<IReadOnlyList<PlannedSlaStep>> PlanAsync(TaskRecord task, DateTimeOffset dueAt, CancellationToken ct)
    {
        var office = await offices.GetAsync(task.OfficeId, ct);
        return SlaPlanner.PlanFor(task, dueAt, office, await settings.ForAsync(task.DefinitionKey, task.DefinitionVersion, office.Organization, db, ct));
    }

    /// <summary>Gives a task just written with a deadline the first step of its plan, in the command's unit of work.</summary>
    public async Task StartAsync(Guid taskId, DateTimeOffset dueAt, CancellationToken ct)
    {
        var task = rows.WholeTask(taskId)
            ?? throw new InvalidOperationException($"Task {taskId} was created by the command but is not in its unit of work.");
        var plan = await PlanAsync(task, dueAt, ct);
        task.NextSlaStepAt = plan.Count > 0 ? plan[0].DueAt : null;
    }

    /// <summary>
    /// Puts every step due by <paramref name="now"/> of the open tasks into the schedule; returns how many. A task whose
    /// next steps are all due (the service was down, the clock moved) has them written one after another.
    /// </summary>
    public async Task<int> ScheduleDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var scheduled = 0;
        var failed = new HashSet<Guid>();
        while (true)
        {
            // The status test is written as the partial index's filter, so the index answers it.
            var due = await db.Tasks.AsNoTracking()
                .Where(t => (t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed) && t.NextSlaStepAt != null && t.NextSlaStepAt <= now)
                .OrderBy(t => t.NextSlaStepAt)
                .Take(BatchSize)
                .ToListAsync(ct);
            var moved = 0;
            foreach (var task in due.Where(t => !failed.Contains(t.Id)))
            {
                if (await TryScheduleNextAsync(task, now, failed, ct))
                {
                    moved++;
                }
            }

            // A task moved on may be due again at once; the loop ends when no step is due, or none could be moved.
            scheduled += moved;
            if (moved == 0)
            {
                return scheduled;
            }
        }
    }

    /// <summary>
    /// One task whose step cannot be planned (its definition or office no longer reads) must not hold up every other
    /// reminder, timer and delivery behind it: it is logged, left due, and tried again at the next sweep.
    /// </summary>
    private async Task<bool> TryScheduleNextAsync(TaskRecord task, DateTimeOffset now, HashSet<Guid> failed, CancellationToken ct)
    {
        try
        {
            return await ScheduleNextAsync(task, now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failed.Add(task.Id);
            db.ChangeTracker.Clear();
            logger.LogError(
                e,
                "SLA step {Index} of task {TaskId} ({DefinitionKey} v{Version}, office {OfficeId}) could not be scheduled; the next sweep tries again",
                task.SlaStepsScheduled + 1,
                task.Id,
                task.DefinitionKey,
                task.DefinitionVersion,
                task.OfficeId);
            return false;
        }
    }

    /// <summary>
    /// Writes the task's next step as a pending schedule row and moves the task on to the step after it, in one
    /// transaction. The move is conditional on the step the task was read at, and on the task still being open, so of
    /// two sweeps (two nodes) one writes the step and the other finds it moved and writes nothing, and a task completed
    /// meanwhile gets no row. A step the schedule already holds is not written twice.
    /// </summary>
    private async Task<bool> ScheduleNextAsync(TaskRecord task, DateTimeOffset now, CancellationToken ct)
    {
        var index = task.SlaStepsScheduled;
        var at = task.NextSlaStepAt!.Value;
        var plan = task.DueAt is { } dueAt ? await PlanAsync(task, dueAt, ct) : [];
        var step = plan.ElementAtOrDefault(index);
        var next = plan.ElementAtOrDefault(index + 1);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.Tasks
            .Where(t => t.Id == task.Id && t.SlaStepsScheduled == index && t.NextSlaStepAt == at
                && (t.Status == TaskStatusText.Open || t.Status == TaskStatusText.Claimed))
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.NextSlaStepAt, next == null ? null : next.DueAt).SetProperty(t => t.SlaStepsScheduled, index + 1), ct);
        if (moved == 0)
        {
            return false;
        }

        if (step is not null)
        {
            var key = ScheduledKinds.SlaKey(step.Kind, task.Id, step.Level);
            if (!await db.ScheduledItems.AnyAsync(i => i.Key == key, ct))
            {
                var item = ScheduledItemRecord.Pending(step.Kind, key, at, now);
                item.TaskId = task.Id;
                item.InstanceId = task.InstanceId;
                item.OfficeId = task.OfficeId;
                item.Level = step.Level;
                item.Role = step.Role;
                db.ScheduledItems.Add(item);
                await db.SaveChangesAsync(ct);
                db.Entry(item).State = EntityState.Detached;
            }
        }

        await transaction.CommitAsync(ct);
        logger.LogInformation(
            "SLA step {Index} of task {TaskId} ({Kind} level {Level}) put into the schedule for {DueAt}; the next is due {NextAt}",
            index + 1,
            task.Id,
            step?.Kind ?? "none",
            step?.Level ?? 0,
            at,
            next?.DueAt);
        return true;
    }
}

/// <summary>
/// The open tasks whose next reminder or escalation step waits to be scheduled, in the order they fall due: only
/// those rows, so the index stays as small as the number of open tasks with a deadline, and a completion takes the
/// task out of it.
/// </summary>
internal sealed class SlaStepIndex : IEntityTypeConfiguration<TaskRecord>
{
    public void Configure(EntityTypeBuilder<TaskRecord> builder) =>
        builder.HasIndex(x => x.NextSlaStepAt).HasFilter("\"status\" IN ('open', 'claimed') AND \"next_sla_step_at\" IS NOT NULL");
}
