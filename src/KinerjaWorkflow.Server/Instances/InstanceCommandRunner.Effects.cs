using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>Projects the engine's effects onto the stored rows: tasks, timers, jobs, incidents, called instances, audit.</summary>
public sealed partial class InstanceCommandRunner
{
    private async Task ApplyAsync(
        InstanceRecord instance,
        ProcessModel model,
        RuntimeEffect effect,
        string? user,
        DateTimeOffset now,
        int depth,
        CancellationToken ct)
    {
        switch (effect)
        {
            case TaskCreated created:
                _created.Add(db.Tasks.Add(NewTaskRecord(instance, model, created.Task)).Entity);
                _measureAfterSave.Add(() => metrics.TaskCreated(instance.OfficeId, instance.DefinitionKey));
                logger.LogInformation(
                    "Task {TaskId} created at step {StepId} for roles {Roles}, due {DueAt}",
                    created.Task.Id,
                    created.Task.NodeId,
                    created.Task.Roles,
                    created.Task.DueAt);
                break;

            case TaskAssigned assigned:
                {
                    var task = await TrackedTaskAsync(assigned.Task.Id, ct);
                    task.Assignee = assigned.Task.Assignee;
                    task.Status = assigned.Task.Assignee is null ? TaskStatusText.Open : TaskStatusText.Claimed;
                    logger.LogInformation(
                        "Task {TaskId} at step {StepId} assigned to {Assignee} by {User}",
                        task.Id,
                        task.StepId,
                        task.Assignee,
                        user);
                    break;
                }

            case TaskCompleted completed:
                {
                    var task = await TrackedTaskAsync(completed.Task.Id, ct);
                    task.Status = TaskStatusText.Completed;
                    task.CompletedAt = now;
                    task.CompletedBy = user;
                    task.Assignee ??= user;
                    task.Outcome = completed.Outcome;
                    task.Comment = completed.Comment;
                    _measureAfterSave.Add(() => metrics.TaskCompleted(instance.OfficeId, instance.DefinitionKey));
                    logger.LogInformation(
                        "Task {TaskId} at step {StepId} completed by {User} with outcome {Outcome}",
                        task.Id,
                        task.StepId,
                        user,
                        completed.Outcome);
                    break;
                }

            case TaskCancelled cancelled:
                {
                    var task = await TrackedTaskAsync(cancelled.Task.Id, ct);
                    task.Status = TaskStatusText.Cancelled;
                    task.CompletedAt = now;
                    task.Comment = cancelled.Reason;
                    break;
                }

            case TimerScheduled scheduled:
                db.Timers.Add(new TimerRecord
                {
                    Id = scheduled.Timer.Id,
                    InstanceId = instance.Id,
                    OfficeId = instance.OfficeId,
                    StepId = scheduled.Timer.NodeId,
                    Purpose = scheduled.Timer.Purpose.ToString(),
                    DueAt = scheduled.Timer.DueAt,
                    Status = TimerStatusText.Pending,
                });
                break;

            case TimerCancelled cancelledTimer:
                {
                    var timer = await db.Timers.FindAsync([cancelledTimer.Timer.Id], ct);
                    if (timer is not null)
                    {
                        timer.Status = TimerStatusText.Cancelled;
                    }
                    break;
                }

            case JobRequested requested:
                db.Jobs.Add(new JobRecord
                {
                    Id = requested.Job.Id,
                    InstanceId = instance.Id,
                    OfficeId = instance.OfficeId,
                    StepId = requested.Job.NodeId,
                    Kind = requested.Job.Kind.ToString(),
                    PayloadJson = JsonSerializer.Serialize(requested.Job, StateJson),
                    Status = JobStatusText.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                });
                break;

            case IncidentRaised raised:
                logger.LogWarning(
                    "Incident {IncidentId} on instance {InstanceId} at step {StepId}: {Error}",
                    raised.Incident.Id,
                    instance.Id,
                    raised.Incident.NodeId,
                    raised.Incident.Error);
                break;

            case CalledInstanceRequested called:
                await StartCalledAsync(instance, called, user, depth, ct);
                break;

            case CalledInstanceCancelled cancelledChild:
                {
                    var child = await db.Instances.FirstOrDefaultAsync(i => i.Id == cancelledChild.ChildInstanceId, ct);
                    if (child is not null && child.Status == StatusText(InstanceStatus.Active))
                    {
                        // The called instance is cancelled by its parent's engine, not by whoever acted on the parent.
                        await ExecuteCoreAsync(child, new CancelInstance(cancelledChild.Reason), null, depth + 1, ct);
                    }

                    break;
                }

            case InstanceEnded ended when instance.ParentInstanceId is { } parentId && ended.Status == InstanceStatus.Completed:
                {
                    var parent = await db.Instances.FirstAsync(i => i.Id == parentId, ct);
                    await ExecuteCoreAsync(parent, new CompleteCalledInstance(instance.Id, ended.Variables), user, depth + 1, ct);
                    break;
                }

            case Audited audited:
                await auditTrail.AddAsync(instance, audited, now, ct);
                break;
        }
    }

    private TaskRecord NewTaskRecord(InstanceRecord instance, ProcessModel model, HumanTaskState task)
    {
        var node = model.Node(task.NodeId) as HumanTask;
        return new TaskRecord
        {
            Id = task.Id,
            InstanceId = instance.Id,
            OfficeId = instance.OfficeId,
            DefinitionKey = instance.DefinitionKey,
            DefinitionVersion = instance.DefinitionVersion,
            BusinessKey = instance.BusinessKey,
            StepId = task.NodeId,
            StepName = model.Node(task.NodeId).DisplayName,
            StepNumber = node?.Step?.Number,
            Roles = TaskRoles.Encode(task.Roles),
            Assignee = task.Assignee,
            Status = task.Assignee is null ? TaskStatusText.Open : TaskStatusText.Claimed,
            CreatedAt = task.CreatedAt,
            ExpectedAt = task.ExpectedAt,
            DueAt = task.DueAt,
            LoopIndex = task.LoopIndex,
            LoopItem = task.LoopItem?.GetRawText(),
        };
    }

    private async Task<TaskRecord> TrackedTaskAsync(Guid id, CancellationToken ct) =>
        db.Tasks.Local.FirstOrDefault(t => t.Id == id)
        ?? await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, ct)
        ?? throw new InvalidOperationException($"Task {id} is in the instance state but not in the inbox.");
}
