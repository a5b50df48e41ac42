using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>The commands: each checks it may run, changes the working copy and moves tokens on.</summary>
internal sealed partial class InstanceRun
{
    public static RuntimeResult Start(ProcessModel model, StartInstance command, RuntimeContext context)
    {
        var state = new InstanceState
        {
            Id = command.InstanceId,
            DefinitionKey = model.Key,
            BusinessKey = command.BusinessKey,
            StartedAt = context.Now,
            ParentInstanceId = command.ParentInstanceId,
            ParentExecutionId = command.ParentExecutionId,
        };
        var run = new InstanceRun(model, state, context);
        run.MergeVariables(command.Variables);
        var start = run.StartEventFor(command.StartEventId);
        run._issuer = StarterOf(command, start, context);
        run.Moving(run.ByIssuer(AuditActions.InstanceStarted, start.Id, null), () =>
        {
            var token = run.Add(new Execution { Id = run.NewExecutionId(), NodeId = start.Id });
            run.Leave(token, start);
        });
        return run.Result();
    }

    /// <summary>
    /// A called instance is started by its parent's engine, a timer start event by the scheduler, anything
    /// else by the person who asked.
    /// </summary>
    private static AuditActor StarterOf(StartInstance command, StartEvent start, RuntimeContext context) =>
        command.ParentInstanceId is not null ? AuditActor.Engine
        : start.Timer is not null && context.User is null ? AuditActor.Scheduler
        : context.User is { } user ? AuditActor.Person(user)
        : AuditActor.Engine;

    public RuntimeResult Claim(ClaimTask command)
    {
        if (string.IsNullOrWhiteSpace(command.User))
        {
            throw new RuntimeCommandException(RuntimeErrorKind.Invalid, "Pengguna yang mengambil tugas harus disebutkan.");
        }

        var task = OpenTask(command.TaskId);
        if (string.Equals(task.Assignee, command.User, StringComparison.Ordinal))
        {
            return Result();
        }

        if (task.Assignee is not null)
        {
            // The engine knows usernames only; the server names the person when it answers.
            throw new RuntimeCommandException(RuntimeErrorKind.Conflict, "Tugas ini sudah diambil oleh orang lain.");
        }

        Reassign(task, command.User, AuditActions.TaskClaimed, command.User);
        return Result();
    }

    public RuntimeResult Unclaim(UnclaimTask command)
    {
        var task = OpenTask(command.TaskId);
        if (task.Assignee is not null)
        {
            Reassign(task, null, AuditActions.TaskUnclaimed, task.Assignee);
        }

        return Result();
    }

    public RuntimeResult Assign(AssignTask command)
    {
        if (string.IsNullOrWhiteSpace(command.ToUser))
        {
            throw new RuntimeCommandException(RuntimeErrorKind.Invalid, "Penerima tugas harus disebutkan.");
        }

        var task = OpenTask(command.TaskId);
        if (!string.Equals(task.Assignee, command.ToUser, StringComparison.Ordinal))
        {
            var recipient = command.ToName ?? command.ToUser;
            var detail = string.IsNullOrWhiteSpace(command.Reason) ? recipient : $"{recipient}: {command.Reason}";
            Reassign(task, command.ToUser, AuditActions.TaskAssigned, detail);
        }

        return Result();
    }

    public RuntimeResult Complete(CompleteTask command)
    {
        var task = OpenTask(command.TaskId);
        var node = (HumanTask)_model.Node(task.NodeId);
        var outcome = OfferedOutcome(node, command.Outcome);
        if (node.SendsBack(outcome) && string.IsNullOrWhiteSpace(command.Comment))
        {
            throw new RuntimeCommandException(
                RuntimeErrorKind.Invalid,
                $"Hasil \"{outcome}\" mengembalikan pekerjaan ke langkah sebelumnya; tuliskan alasannya agar penerimanya tahu apa yang harus diperbaiki.");
        }

        MergeVariables(command.Variables);
        SetVariable(OutcomeVariable, JsonValues.String(outcome));
        _tasks.Remove(task);
        _endedTasks.Add(new EndedTask(task.Id, task.NodeId, TaskEnding.Completed, _context.Now));
        _effects.Add(new TaskCompleted(task with { Assignee = task.Assignee ?? _context.User }, outcome, command.Comment));

        var execution = Find(task.ExecutionId)!;
        var line = ByIssuer(AuditActions.TaskCompleted, node.Id, outcome).About(task) with { Comment = command.Comment };
        Moving(line, () => ActivityDone(execution, outcome));
        return Result();
    }

    public RuntimeResult Fire(FireTimer command)
    {
        var timer = _timers.Find(t => t.Id == command.TimerId)
            ?? throw new RuntimeCommandException(RuntimeErrorKind.NotFound, "Pengatur waktu ini tidak sedang menunggu pada proses ini.");
        EnsureActive();
        _issuer = AuditActor.Scheduler;
        _timers.Remove(timer);
        var execution = Find(timer.ExecutionId)!;
        var node = _model.Node(timer.NodeId);

        if (node is not BoundaryTimerEvent boundary)
        {
            Moving(ByIssuer(AuditActions.TimerFired, node.Id, null), () => Leave(execution, node));
        }
        else
        {
            Moving(ByIssuer(AuditActions.TimerFired, boundary.AttachedToId, boundary.Id), () =>
            {
                if (boundary.CancelActivity)
                {
                    CancelTree(execution, TimeoutReason);
                }

                var token = Add(new Execution { Id = NewExecutionId(), NodeId = boundary.Id, ParentId = execution.ParentId });
                Leave(token, boundary);
            });
        }

        return Result();
    }

    public RuntimeResult CompleteJob(CompleteJob command)
    {
        var job = WaitingJob(command.JobId);
        _issuer = AuditActor.JobWorker;
        _jobs.Remove(job);
        if (!string.IsNullOrEmpty(job.ResultVariable))
        {
            SetVariable(job.ResultVariable, command.Result?.Clone() ?? JsonValues.Null);
        }

        var execution = Find(job.ExecutionId)!;
        Moving(ByIssuer(AuditActions.JobCompleted, job.NodeId, null), () => ActivityDone(execution, null));
        return Result();
    }

    public RuntimeResult FailJob(FailJob command)
    {
        var job = WaitingJob(command.JobId);
        _issuer = AuditActor.JobWorker;
        var incident = new Incident(_context.NewId(), job.Id, job.NodeId, command.Error, _context.Now);
        _incidents.Add(incident);
        _effects.Add(new IncidentRaised(incident));
        Audit(ByIssuer(AuditActions.IncidentRaised, job.NodeId, command.Error));
        return Result();
    }

    public RuntimeResult ReportScheduledFailure(ReportScheduledFailure command)
    {
        EnsureActive();
        if (_incidents.Exists(i => i.ScheduledItemId == command.ScheduledItemId))
        {
            return Result();
        }

        _issuer = AuditActor.JobWorker;
        var incident = new Incident(_context.NewId(), command.ScheduledItemId, command.NodeId, command.Error, _context.Now)
        {
            ScheduledItemId = command.ScheduledItemId,
        };
        _incidents.Add(incident);
        _effects.Add(new IncidentRaised(incident));
        Audit(ByIssuer(AuditActions.IncidentRaised, command.NodeId, command.Error));
        return Result();
    }

    public RuntimeResult Retry(RetryIncident command)
    {
        var incident = _incidents.Find(i => i.Id == command.IncidentId)
            ?? throw new RuntimeCommandException(RuntimeErrorKind.NotFound, "Insiden ini tidak ditemukan pada proses ini.");
        EnsureActive();
        _incidents.Remove(incident);
        _effects.Add(new IncidentResolved(incident));
        Audit(ByIssuer(AuditActions.IncidentResolved, incident.NodeId, null));
        if (incident.ScheduledItemId is not null)
        {
            return Result();
        }

        var index = _jobs.FindIndex(j => j.Id == incident.JobId);
        var renewed = _jobs[index] with { Id = _context.NewId() };
        _jobs[index] = renewed;
        _effects.Add(new JobRequested(renewed));
        Audit(ByEngine(AuditActions.JobRequested, null, renewed.NodeId, $"{renewed.Method} {renewed.Url}"));
        return Result();
    }

    public RuntimeResult CompleteCalled(CompleteCalledInstance command)
    {
        var execution = _executions.Find(e => e.CalledInstanceId == command.ChildInstanceId)
            ?? throw new RuntimeCommandException(RuntimeErrorKind.NotFound, "Proses yang dipanggil ini tidak sedang ditunggu oleh proses ini.");
        EnsureActive();
        _issuer = AuditActor.Engine;
        MergeVariables(command.Variables);
        Moving(
            ByIssuer(AuditActions.CalledInstanceCompleted, execution.NodeId, command.ChildInstanceId.ToString()),
            () => ActivityDone(execution, null));
        return Result();
    }

    public RuntimeResult Cancel(CancelInstance command)
    {
        EnsureActive();
        var reason = string.IsNullOrWhiteSpace(command.Reason) ? "proses dibatalkan" : $"proses dibatalkan: {command.Reason}";
        Audit(ByIssuer(AuditActions.InstanceCancelled, null, command.Reason));
        foreach (var execution in _executions.Where(e => e.ParentId is null).ToList())
        {
            CancelTree(execution, reason);
        }

        _status = InstanceStatus.Cancelled;
        _endedAt = _context.Now;
        _effects.Add(new InstanceEnded(InstanceStatus.Cancelled, _variables.ToImmutable()));
        return Result();
    }

    private StartEvent StartEventFor(string? startEventId)
    {
        if (startEventId is null)
        {
            return SingleNoneStart(_model.Root, $"Proses '{_model.Key}'");
        }

        return _model.Root.Nodes.TryGetValue(startEventId, out var node) && node is StartEvent start
            ? start
            : throw new RuntimeCommandException(
                RuntimeErrorKind.Invalid, $"Proses '{_model.Key}' tidak memiliki kejadian mulai '{startEventId}'.");
    }

    private HumanTaskState OpenTask(Guid taskId)
    {
        var task = _tasks.Find(t => t.Id == taskId);
        if (task is null)
        {
            var ended = _endedTasks.Find(t => t.Id == taskId);
            throw ended is null
                ? new RuntimeCommandException(RuntimeErrorKind.NotFound, "Tugas ini tidak ditemukan pada proses ini.")
                : new RuntimeCommandException(
                    RuntimeErrorKind.Conflict,
                    ended.Ending == TaskEnding.Completed ? "Tugas ini sudah diselesaikan." : "Tugas ini sudah dibatalkan.");
        }

        EnsureActive();
        return task;
    }

    private PendingJob WaitingJob(Guid jobId)
    {
        var job = _jobs.Find(j => j.Id == jobId)
            ?? throw new RuntimeCommandException(RuntimeErrorKind.NotFound, "Pekerjaan ini tidak sedang ditunggu oleh proses ini.");
        EnsureActive();
        return _incidents.Exists(i => i.JobId == job.Id)
            ? throw new RuntimeCommandException(
                RuntimeErrorKind.Conflict, "Pekerjaan ini sudah gagal dan tercatat sebagai insiden; coba ulang insidennya.")
            : job;
    }

    private void EnsureActive()
    {
        if (_status != InstanceStatus.Active)
        {
            throw new RuntimeCommandException(RuntimeErrorKind.Conflict, _status switch
            {
                InstanceStatus.Completed => "Proses ini sudah selesai.",
                InstanceStatus.Cancelled => "Proses ini sudah dibatalkan.",
                _ => "Proses ini sudah dihentikan.",
            });
        }
    }

    /// <summary>
    /// The outcome as the step declares it. A step with outcomes accepts only those (in any letter case); a
    /// step without accepts none, since nothing routes on it and the history would record a choice that was
    /// never offered.
    /// </summary>
    private static string? OfferedOutcome(HumanTask node, string? outcome)
    {
        var given = string.IsNullOrWhiteSpace(outcome) ? null : outcome.Trim();
        if (node.Outcomes.Count == 0)
        {
            return given is null
                ? null
                : throw new RuntimeCommandException(
                    RuntimeErrorKind.Invalid,
                    $"Langkah '{node.DisplayName}' tidak menawarkan pilihan hasil; selesaikan tanpa hasil '{given}'.");
        }

        var offered = given is null
            ? null
            : node.Outcomes.FirstOrDefault(o => string.Equals(o, given, StringComparison.Ordinal))
                ?? node.Outcomes.FirstOrDefault(o => string.Equals(o, given, StringComparison.OrdinalIgnoreCase));
        if (offered is not null)
        {
            return offered;
        }

        var choices = string.Join(", ", node.Outcomes);
        throw new RuntimeCommandException(
            RuntimeErrorKind.Invalid,
            given is null
                ? $"Langkah '{node.DisplayName}' harus diselesaikan dengan salah satu hasil: {choices}."
                : $"Hasil '{given}' tidak tersedia untuk langkah '{node.DisplayName}'. Pilihan yang tersedia: {choices}.");
    }

    private void Reassign(HumanTaskState task, string? assignee, string action, string? detail)
    {
        var changed = task with { Assignee = assignee };
        _tasks[_tasks.IndexOf(task)] = changed;
        _effects.Add(new TaskAssigned(changed, task.Assignee));
        Audit(ByIssuer(action, task.NodeId, detail).About(task));
    }
}
