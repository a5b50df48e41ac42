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
    private Task ApplyAsync(
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
                AddTask(instance, model, created);
                break;
            case TaskAssigned assigned:
                AssignTask(instance, assigned, user);
                break;
            case TaskCompleted completed:
                CompleteTask(instance, completed, user, now);
                break;
            case TaskCancelled cancelled:
                CancelTask(instance, cancelled, now);
                break;
            case TimerScheduled scheduled:
                AddTimer(instance, scheduled);
                break;
            case TimerCancelled cancelledTimer:
                return CancelTimerAsync(cancelledTimer, ct);
            case JobRequested requested:
                AddJob(instance, requested, now);
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
                return StartCalledAsync(instance, called, user, depth, ct);
            case CalledInstanceCancelled cancelledChild:
                return CancelCalledAsync(cancelledChild, depth, ct);
            case InstanceEnded ended when instance.ParentInstanceId is { } parentId && ended.Status == InstanceStatus.Completed:
                return CompleteParentAsync(instance, parentId, ended, user, depth, ct);
            case Audited audited:
                return auditTrail.AddAsync(instance, audited, now, ct);
        }

        return Task.CompletedTask;
    }

    private void AddTask(InstanceRecord instance, ProcessModel model, TaskCreated created)
    {
        var task = NewTaskRecord(instance, model, created.Task);
        rows.Add(task);
        _created.Add(task);
        _measureAfterSave.Add(() => metrics.TaskCreated(instance.OfficeId, instance.DefinitionKey));
        logger.LogInformation(
            "Task {TaskId} created at step {StepId} for roles {Roles}, due {DueAt}",
            created.Task.Id,
            created.Task.NodeId,
            created.Task.Roles,
            created.Task.DueAt);
    }

    private void AssignTask(InstanceRecord instance, TaskAssigned assigned, string? user)
    {
        ChangeTask(instance, assigned.Task, task =>
        {
            task.Assignee = assigned.Task.Assignee;
            task.Status = assigned.Task.Assignee is null ? TaskStatusText.Open : TaskStatusText.Claimed;
        }, nameof(TaskRecord.Assignee), nameof(TaskRecord.Status));
        logger.LogInformation(
            "Task {TaskId} at step {StepId} assigned to {Assignee} by {User}",
            assigned.Task.Id,
            assigned.Task.NodeId,
            assigned.Task.Assignee,
            user);
    }

    private void CompleteTask(InstanceRecord instance, TaskCompleted completed, string? user, DateTimeOffset now)
    {
        // The engine's task already names whoever completed it when nobody held it.
        ChangeTask(instance, completed.Task, task =>
        {
            task.Status = TaskStatusText.Completed;
            task.CompletedAt = now;
            task.CompletedBy = user;
            task.Assignee = completed.Task.Assignee;
            task.Outcome = completed.Outcome;
            task.Comment = completed.Comment;
        }, nameof(TaskRecord.Status), nameof(TaskRecord.CompletedAt), nameof(TaskRecord.CompletedBy), nameof(TaskRecord.Assignee), nameof(TaskRecord.Outcome), nameof(TaskRecord.Comment));
        _measureAfterSave.Add(() => metrics.TaskCompleted(instance.OfficeId, instance.DefinitionKey));
        logger.LogInformation(
            "Task {TaskId} at step {StepId} completed by {User} with outcome {Outcome}",
            completed.Task.Id,
            completed.Task.NodeId,
            user,
            completed.Outcome);
    }

    private void CancelTask(InstanceRecord instance, TaskCancelled cancelled, DateTimeOffset now) =>
        ChangeTask(instance, cancelled.Task, task =>
        {
            task.Status = TaskStatusText.Cancelled;
            task.CompletedAt = now;
            task.Comment = cancelled.Reason;
        }, nameof(TaskRecord.Status), nameof(TaskRecord.CompletedAt), nameof(TaskRecord.Comment));

    private void AddTimer(InstanceRecord instance, TimerScheduled scheduled) =>
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

    private async Task CancelTimerAsync(TimerCancelled cancelled, CancellationToken ct)
    {
        var timer = await db.Timers.FindAsync([cancelled.Timer.Id], ct);
        if (timer is not null)
        {
            timer.Status = TimerStatusText.Cancelled;
        }
    }

    private void AddJob(InstanceRecord instance, JobRequested requested, DateTimeOffset now) =>
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

    private async Task CancelCalledAsync(CalledInstanceCancelled cancelled, int depth, CancellationToken ct)
    {
        var child = await RelatedAsync(cancelled.ChildInstanceId, ct);
        if (child is not null && child.Status == StatusText(InstanceStatus.Active))
        {
            // The called instance is cancelled by its parent's engine, not by whoever acted on the parent.
            await ExecuteCoreAsync(child, new CancelInstance(cancelled.Reason), null, depth + 1, ct);
        }
    }

    private async Task CompleteParentAsync(InstanceRecord instance, Guid parentId, InstanceEnded ended, string? user, int depth, CancellationToken ct)
    {
        var parent = await RelatedAsync(parentId, ct) ?? throw new InvalidOperationException($"The calling instance {parentId} of {instance.Id} is not stored.");
        await ExecuteCoreAsync(parent, new CompleteCalledInstance(instance.Id, ended.Variables), user, depth + 1, ct);
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

    /// <summary>
    /// Changes a task's row without reading it: the engine's state already says what the row holds, so a row neither
    /// the command nor the context holds is changed by its key, and only the named columns are written. One the command
    /// holds (read or added by it), or the context tracks (read earlier in the request), is changed in place.
    /// </summary>
    private void ChangeTask(InstanceRecord instance, HumanTaskState state, Action<TaskRecord> change, params ReadOnlySpan<string> columns)
    {
        if (rows.TryChange(state.Id, change, columns))
        {
            return;
        }

        if (db.Tasks.LocalWithoutDetecting(db).FindEntry(state.Id) is { State: not EntityState.Deleted } tracked)
        {
            change(tracked.Entity);
            return;
        }

        var stub = new TaskRecord
        {
            Id = state.Id,
            InstanceId = instance.Id,
            OfficeId = instance.OfficeId,
            DefinitionKey = instance.DefinitionKey,
            DefinitionVersion = instance.DefinitionVersion,
            StepId = state.NodeId,
            StepName = state.NodeId,
            Roles = TaskRoles.Encode(state.Roles),
            Status = TaskStatusText.Open,
            CreatedAt = state.CreatedAt,
        };
        rows.AddByKey(stub);
        rows.TryChange(state.Id, change, columns);
    }
}
