using System.Collections.Immutable;
using System.Text.Json;
using KinerjaWorkflow.Engine.Conditions;
using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>
/// One command's working copy of an instance: tokens move here until each waits again, then the result is
/// frozen into a new <see cref="InstanceState"/>. The state it started from is never touched, so a refused
/// command (an exception) leaves nothing changed.
/// </summary>
internal sealed partial class InstanceRun
{
    private const string OutcomeVariable = "outcome";
    private const string LoopCounterVariable = "loopCounter";
    private const string BusinessKeyVariable = "businessKey";
    private const string TimeoutReason = "batas waktu";

    private readonly ProcessModel _model;
    private readonly RuntimeContext _context;
    private readonly InstanceState _original;

    private readonly ImmutableDictionary<string, JsonElement>.Builder _variables;
    private readonly List<Execution> _executions;
    private readonly List<HumanTaskState> _tasks;
    private readonly List<PendingTimer> _timers;
    private readonly List<PendingJob> _jobs;
    private readonly List<Incident> _incidents;
    private readonly List<EndedTask> _endedTasks;
    private readonly List<RuntimeEffect> _effects = [];

    /// <summary>Work waiting to be done in this command: tokens arriving at nodes.</summary>
    private readonly Queue<Action> _agenda = new();

    /// <summary>Where tokens came to rest (or ended) during the current move, for the audit trail.</summary>
    private readonly List<(string? ExecutionId, string NodeId)> _reached = [];

    private InstanceStatus _status;
    private DateTimeOffset? _endedAt;
    private int _steps;

    /// <summary>Who the command's own audit line credits; what the engine does in consequence is the engine's.</summary>
    private AuditActor _issuer;

    public InstanceRun(ProcessModel model, InstanceState state, RuntimeContext context)
    {
        _model = model;
        _context = context;
        _original = state;
        _issuer = context.User is { } user ? AuditActor.Person(user) : AuditActor.Engine;
        _status = state.Status;
        _endedAt = state.EndedAt;
        _variables = state.Variables.ToBuilder();
        _executions = [.. state.Executions];
        _tasks = [.. state.Tasks];
        _timers = [.. state.Timers];
        _jobs = [.. state.Jobs];
        _incidents = [.. state.Incidents];
        _endedTasks = [.. state.EndedTasks];
    }

    private RuntimeResult Result()
    {
        var state = _original with
        {
            Status = _status,
            EndedAt = _endedAt,
            Variables = _variables.ToImmutable(),
            Executions = [.. _executions],
            Tasks = [.. _tasks],
            Timers = [.. _timers],
            Jobs = [.. _jobs],
            Incidents = [.. _incidents],
            EndedTasks = [.. _endedTasks],
        };
        return new RuntimeResult(state, [.. _effects]);
    }

    /// <summary>
    /// Does <paramref name="move"/>, runs every token it set going until all wait again, and writes the
    /// command's one audit line before the lines of what followed, with where the work went on and the
    /// variables the command changed. Where the work went on is every node a token came to rest in; when none
    /// rests (the last step, or one team's sub-process ending while others work), the end events reached.
    /// </summary>
    private void Moving(Audited line, Action move)
    {
        var auditAt = _effects.Count;
        _reached.Clear();
        move();
        Drain();

        var resting = _reached
            .Where(r => r.ExecutionId is not null && Find(r.ExecutionId) is { IsWaiting: true } e && e.NodeId == r.NodeId)
            .Select(r => r.NodeId)
            .ToList();
        var targets = (resting.Count > 0 ? resting : _reached.Where(r => r.ExecutionId is null).Select(r => r.NodeId))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        _effects.Insert(auditAt, line with { ToStepIds = targets, Variables = ChangedVariables() });
    }

    /// <summary>
    /// The variables that differ from the state the command started from, in name order. A variable that did
    /// not exist reads as null, as conditions read it, so one newly set to null is no change.
    /// </summary>
    private List<VariableChange> ChangedVariables() =>
        _variables
            .Where(v => !JsonElement.DeepEquals(_original.Variables.GetValueOrDefault(v.Key, JsonValues.Null), v.Value))
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new VariableChange(
                v.Key,
                _original.Variables.TryGetValue(v.Key, out var before) ? before : null,
                v.Value))
            .ToList();

    private void Drain()
    {
        do
        {
            while (_agenda.TryDequeue(out var work))
            {
                CountStep();
                work();
            }
        }
        while (TryFireInclusiveJoin());
    }

    private void CountStep()
    {
        if (++_steps > WorkflowRuntime.MaxStepsPerCommand)
        {
            throw new RuntimeCommandException(
                RuntimeErrorKind.Invalid,
                $"Proses berputar tanpa henti: lebih dari {WorkflowRuntime.MaxStepsPerCommand} langkah tanpa " +
                "menunggu tugas, pengatur waktu, atau pekerjaan. Periksa perulangan pada definisi proses.");
        }
    }

    private void Arrive(string executionId)
    {
        if (Find(executionId) is not { } token)
        {
            // Cancelled meanwhile, e.g. by a terminate end event reached by another token.
            return;
        }

        switch (_model.Node(token.NodeId))
        {
            case EndEvent end:
                End(token, end);
                break;
            case Gateway { Kind: GatewayKind.Exclusive } gateway:
                MoveAlong(token, gateway, [ChooseExclusive(gateway, token)]);
                break;
            case Gateway { Kind: GatewayKind.Parallel } gateway:
                ArriveAtParallel(token, gateway);
                break;
            case Gateway { Kind: GatewayKind.Inclusive } gateway when gateway.Incoming.Count > 1:
                Update(token with { State = ExecutionState.WaitingAtJoin });
                MoveToEnd(token.Id);
                Rest(token.Id, gateway.Id);
                break;
            case Gateway gateway:
                MoveAlong(token, gateway, ChooseInclusive(gateway, token));
                break;
            case IntermediateTimerEvent timer:
                Schedule(token, timer, timer.Timer, TimerPurpose.Intermediate);
                Rest(token.Id, timer.Id);
                break;
            case Activity { MultiInstance: not null } activity:
                EnterMultiInstance(token, activity);
                break;
            case Activity activity:
                foreach (var boundary in activity.BoundaryEvents)
                {
                    Schedule(token, boundary, boundary.Timer, TimerPurpose.Boundary);
                }

                EnterActivity(token, activity);
                break;
            case var node:
                Leave(token, node);
                break;
        }
    }

    private void EnterActivity(Execution execution, Activity activity)
    {
        switch (activity)
        {
            case HumanTask task:
                CreateTask(execution, task);
                break;
            case ServiceTask { Http: { } http } service:
                RequestHttp(execution, service, http);
                break;
            case ServiceTask { Notification: { } notification } send:
                RequestNotification(execution, send, notification);
                ActivityDone(execution, null);
                break;
            case SubProcess sub:
                EnterSubProcess(execution, sub);
                break;
            case CallActivity call:
                RequestCall(execution, call);
                break;
            default:
                ActivityDone(execution, null);
                break;
        }
    }

    private void CreateTask(Execution execution, HumanTask node)
    {
        var deadline = ComputeDeadline(node);
        var loop = NearestLoop(execution);
        var task = new HumanTaskState
        {
            Id = _context.NewId(),
            NodeId = node.Id,
            ExecutionId = execution.Id,
            Roles = [.. node.Roles],
            CreatedAt = _context.Now,
            ExpectedAt = deadline.ExpectedAt,
            DueAt = deadline.DueAt,
            LoopIndex = loop?.LoopIndex,
            LoopItem = loop?.LoopItem,
        };
        _tasks.Add(task);
        Rest(execution.Id, node.Id);
        _effects.Add(new TaskCreated(task));
        Audit(ByEngine(AuditActions.TaskCreated, null, node.Id, null).About(task));
    }

    private StepDeadline ComputeDeadline(HumanTask node)
    {
        try
        {
            return _context.Deadlines.ForStep(node, _context.Now);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException)
        {
            throw new RuntimeCommandException(
                RuntimeErrorKind.Invalid, $"Batas waktu langkah '{node.DisplayName}' tidak dapat dihitung: {e.Message}");
        }
    }

    private void RequestHttp(Execution execution, ServiceTask node, HttpCall http)
    {
        var variables = VariablesFor(execution, withBusinessKey: true);
        var job = new PendingJob
        {
            Id = _context.NewId(),
            NodeId = node.Id,
            ExecutionId = execution.Id,
            Kind = JobKind.Http,
            Method = http.Method,
            Url = Templates.Substitute(http.Url, variables, TemplateTarget.Text),
            Headers = [.. http.Headers.Select(h => KeyValuePair.Create(h.Key, Templates.Substitute(h.Value, variables, TemplateTarget.Text)))],
            Body = http.BodyTemplate is null ? null : Templates.Substitute(http.BodyTemplate, variables, TemplateTarget.Json),
            ResultVariable = http.ResultVariable,
        };
        _jobs.Add(job);
        Rest(execution.Id, node.Id);
        _effects.Add(new JobRequested(job));
        Audit(ByEngine(AuditActions.JobRequested, null, node.Id, $"{job.Method} {job.Url}"));
    }

    /// <summary>Fire and forget: the server delivers it, so the job is not kept and no token waits for it.</summary>
    private void RequestNotification(Execution execution, ServiceTask node, NotificationSpec notification)
    {
        var job = new PendingJob
        {
            Id = _context.NewId(),
            NodeId = node.Id,
            ExecutionId = execution.Id,
            Kind = JobKind.Notification,
            Role = notification.Role,
            Body = Templates.Substitute(notification.Message, VariablesFor(execution, withBusinessKey: true), TemplateTarget.Text),
        };
        _effects.Add(new JobRequested(job));
        Audit(ByEngine(AuditActions.JobRequested, null, node.Id, notification.Role));
    }

    private void EnterSubProcess(Execution execution, SubProcess sub)
    {
        var start = SingleNoneStart(sub.Inner, $"Sub-proses '{sub.DisplayName}'");
        Update(execution with { State = ExecutionState.Scope });
        var token = Add(new Execution { Id = NewExecutionId(), NodeId = start.Id, ParentId = execution.Id });
        Leave(token, start);
    }

    private void RequestCall(Execution execution, CallActivity call)
    {
        var childId = _context.NewId();
        Update(execution with { CalledInstanceId = childId });
        Rest(execution.Id, call.Id);
        _effects.Add(new CalledInstanceRequested(childId, call.CalledElement, execution.Id, VariablesFor(execution, withBusinessKey: false)));
        Audit(ByEngine(AuditActions.CalledInstanceRequested, null, call.Id, call.CalledElement));
    }

    private void EnterMultiInstance(Execution token, Activity activity)
    {
        var loop = activity.MultiInstance!;
        ImmutableList<JsonElement>? items = null;
        int count;
        if (loop.CollectionVariable is { } name)
        {
            if (!JsonValues.TryResolve(VariablesFor(token, withBusinessKey: false), name, out var collection))
            {
                throw new RuntimeCommandException(
                    RuntimeErrorKind.Invalid,
                    $"Langkah '{activity.DisplayName}' diulang untuk setiap isi variabel '{name}', tetapi variabel itu belum ada.");
            }

            if (collection.ValueKind != JsonValueKind.Array)
            {
                throw new RuntimeCommandException(
                    RuntimeErrorKind.Invalid,
                    $"Variabel '{name}' untuk langkah berulang '{activity.DisplayName}' harus berupa larik JSON, bukan {collection.ValueKind}.");
            }

            items = [.. collection.EnumerateArray().Select(item => item.Clone())];
            count = items.Count;
        }
        else if (loop.Cardinality is >= 0 and var cardinality)
        {
            count = cardinality;
        }
        else
        {
            throw new RuntimeCommandException(
                RuntimeErrorKind.Invalid,
                $"Langkah berulang '{activity.DisplayName}' tidak menyebut variabel koleksi maupun jumlah pengulangan.");
        }

        var body = token with
        {
            State = ExecutionState.Scope,
            LoopCount = count,
            LoopCompleted = 0,
            LoopItems = items,
            LoopOutcomes = [.. Enumerable.Repeat<string?>(null, count)],
        };
        Update(body);
        foreach (var boundary in activity.BoundaryEvents)
        {
            Schedule(body, boundary, boundary.Timer, TimerPurpose.Boundary);
        }

        if (count == 0)
        {
            SetVariable(OutcomeVariable, JsonValues.Null);
            LoopDone(body, activity);
        }
        else if (loop.IsSequential)
        {
            StartLoopChild(body, activity, 0);
        }
        else
        {
            for (var index = 0; index < count; index++)
            {
                StartLoopChild(body, activity, index);
            }
        }
    }

    private void StartLoopChild(Execution body, Activity activity, int index)
    {
        var item = body.LoopItems?[index];
        var locals = ImmutableDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal)
            .SetItem(LoopCounterVariable, JsonValues.Number(index));
        if (activity.MultiInstance!.ElementVariable is { Length: > 0 } element && item is { } value)
        {
            locals = locals.SetItem(element, value);
        }

        var child = Add(new Execution
        {
            Id = NewExecutionId(),
            NodeId = activity.Id,
            ParentId = body.Id,
            LoopIndex = index,
            LoopItem = item,
            Locals = locals,
        });
        EnterActivity(child, activity);
    }

    /// <summary>An activity's work is done: a loop child reports to its body, anything else moves on.</summary>
    private void ActivityDone(Execution execution, string? outcome)
    {
        if (execution.LoopIndex is { } index)
        {
            LoopChildDone(execution, index, outcome);
        }
        else
        {
            Leave(execution, _model.Node(execution.NodeId));
        }
    }

    private void LoopChildDone(Execution child, int index, string? outcome)
    {
        Remove(child);
        var body = Find(child.ParentId!)!;
        var activity = (Activity)_model.Node(body.NodeId);
        body = body with
        {
            LoopCompleted = body.LoopCompleted + 1,
            LoopOutcomes = body.LoopOutcomes!.SetItem(index, outcome),
        };
        Update(body);
        SetVariable(OutcomeVariable, JsonValues.String(outcome));

        if (body.LoopCompleted == body.LoopCount)
        {
            LoopDone(body, activity);
        }
        else if (activity.MultiInstance!.IsSequential)
        {
            StartLoopChild(body, activity, body.LoopCompleted!.Value);
        }
    }

    private void LoopDone(Execution body, Activity activity)
    {
        SetVariable($"{activity.Id}_outcomes", JsonValues.Strings(body.LoopOutcomes!));
        Leave(body, activity);
    }

    /// <summary>Takes every outgoing flow whose condition holds (BPMN's rule for activities and events).</summary>
    private void Leave(Execution token, FlowNode node)
    {
        CancelTimers(token, TimerPurpose.Boundary);
        var flows = node.Outgoing.Where(f => Holds(f, token)).ToList();
        if (node.Outgoing.Count > 0 && flows.Count == 0)
        {
            throw NoPath(node);
        }

        MoveAlong(token, node, flows);
    }

    /// <summary>Sends the token along the flows (one token per flow); with none, the token ends here.</summary>
    private void MoveAlong(Execution token, FlowNode from, IReadOnlyList<SequenceFlow> flows)
    {
        if (flows.Count == 0)
        {
            End(token, from);
            return;
        }

        for (var i = 0; i < flows.Count; i++)
        {
            var moved = new Execution
            {
                Id = i == 0 ? token.Id : NewExecutionId(),
                NodeId = flows[i].TargetId,
                ParentId = token.ParentId,
                ArrivedVia = flows[i].Id,
            };
            if (i == 0)
            {
                Update(moved);
            }
            else
            {
                Add(moved);
            }

            _agenda.Enqueue(() => Arrive(moved.Id));
        }
    }

    private SequenceFlow ChooseExclusive(Gateway gateway, Execution token)
    {
        var chosen = gateway.Outgoing.FirstOrDefault(f => !IsDefault(gateway, f) && Holds(f, token))
            ?? gateway.Outgoing.FirstOrDefault(f => IsDefault(gateway, f));
        return chosen ?? throw NoPath(gateway);
    }

    private List<SequenceFlow> ChooseInclusive(Gateway gateway, Execution token)
    {
        var chosen = gateway.Outgoing.Where(f => !IsDefault(gateway, f) && Holds(f, token)).ToList();
        if (chosen.Count == 0 && gateway.Outgoing.FirstOrDefault(f => IsDefault(gateway, f)) is { } fallback)
        {
            chosen.Add(fallback);
        }

        return gateway.Outgoing.Count > 0 && chosen.Count == 0 ? throw NoPath(gateway) : chosen;
    }

    private static bool IsDefault(Gateway gateway, SequenceFlow flow) =>
        string.Equals(gateway.DefaultFlowId, flow.Id, StringComparison.Ordinal);

    private bool Holds(SequenceFlow flow, Execution token)
    {
        if (flow.Condition is null)
        {
            return flow.ConditionText is null
                ? true
                : throw new RuntimeCommandException(
                    RuntimeErrorKind.Invalid,
                    $"Syarat pada jalur '{flow.Name ?? flow.Id}' tidak dapat dibaca: {flow.ConditionText}");
        }

        try
        {
            return flow.Condition.Evaluate(VariablesFor(token, withBusinessKey: true));
        }
        catch (ConditionEvaluationException e)
        {
            throw new RuntimeCommandException(
                RuntimeErrorKind.Invalid, $"Syarat pada jalur '{flow.Name ?? flow.Id}' ({flow.ConditionText}) tidak dapat dinilai: {e.Message}");
        }
    }

    private static RuntimeCommandException NoPath(FlowNode node) => new(
        RuntimeErrorKind.Invalid,
        $"Proses tidak dapat melanjutkan dari '{node.DisplayName}': tidak ada jalur yang memenuhi syarat dan tidak ada jalur bawaan.");

    private void ArriveAtParallel(Execution token, Gateway gateway)
    {
        if (gateway.Incoming.Count <= 1)
        {
            MoveAlong(token, gateway, gateway.Outgoing);
            return;
        }

        Update(token with { State = ExecutionState.WaitingAtJoin });
        MoveToEnd(token.Id);
        var arrivals = FirstArrivals(gateway, token.ParentId);
        if (arrivals.Count < gateway.Incoming.Count)
        {
            Rest(token.Id, gateway.Id);
            return;
        }

        MoveAlong(Join(arrivals), gateway, gateway.Outgoing);
    }

    /// <summary>The earliest token waiting at the join on each incoming flow that has one.</summary>
    private List<Execution> FirstArrivals(Gateway gateway, string? scopeId) =>
        gateway.Incoming
            .Select(f => _executions.FirstOrDefault(e =>
                e.State == ExecutionState.WaitingAtJoin && e.NodeId == gateway.Id && e.ParentId == scopeId && e.ArrivedVia == f.Id))
            .OfType<Execution>()
            .ToList();

    /// <summary>Merges the arrivals into one token, which goes on.</summary>
    private Execution Join(List<Execution> arrivals)
    {
        foreach (var consumed in arrivals.Skip(1))
        {
            Remove(consumed);
        }

        var survivor = arrivals[0] with { State = ExecutionState.Waiting };
        Update(survivor);
        return survivor;
    }

    /// <summary>
    /// Fires one inclusive join whose missing branches can no longer deliver: no other token of its scope
    /// can still reach the source of an incoming flow that has not delivered yet. Only done when no token is
    /// in flight, so every token sits where it will stay.
    /// </summary>
    private bool TryFireInclusiveJoin()
    {
        var reachability = Reachability.Of(_model);
        var waiting = _executions
            .Where(e => e.State == ExecutionState.WaitingAtJoin && _model.Node(e.NodeId) is Gateway { Kind: GatewayKind.Inclusive })
            .Select(e => (e.NodeId, e.ParentId))
            .Distinct()
            .ToList();
        foreach (var (nodeId, scopeId) in waiting)
        {
            var gateway = (Gateway)_model.Node(nodeId);
            var arrivals = FirstArrivals(gateway, scopeId);
            var others = _executions
                .Where(e => e.ParentId == scopeId && !(e.NodeId == nodeId && e.State == ExecutionState.WaitingAtJoin))
                .ToList();
            var blocked = gateway.Incoming
                .Where(f => arrivals.All(a => a.ArrivedVia != f.Id))
                .Any(f => others.Any(o => reachability.CanReach(o.NodeId, f.SourceId)));
            if (blocked)
            {
                continue;
            }

            CountStep();
            var survivor = Join(arrivals);
            MoveAlong(survivor, gateway, ChooseInclusive(gateway, survivor));
            return true;
        }

        return false;
    }

    private void End(Execution token, FlowNode node)
    {
        Remove(token);
        _reached.Add((null, node.Id));
        if (node is EndEvent { Terminate: true })
        {
            var reason = $"proses diakhiri oleh '{node.DisplayName}'";
            foreach (var other in _executions.Where(e => e.ParentId == token.ParentId).ToList())
            {
                CancelTree(other, reason);
            }

            CompleteScope(token.ParentId, node, terminated: true);
        }
        else if (!_executions.Any(e => e.ParentId == token.ParentId))
        {
            CompleteScope(token.ParentId, node, terminated: false);
        }
    }

    private void CompleteScope(string? scopeId, FlowNode endNode, bool terminated)
    {
        if (scopeId is not null)
        {
            var scope = Find(scopeId)!;
            ActivityDone(scope with { State = ExecutionState.Waiting }, null);
            return;
        }

        _status = InstanceStatus.Completed;
        _endedAt = _context.Now;
        _effects.Add(new InstanceEnded(InstanceStatus.Completed, _variables.ToImmutable()));
        Audit(ByEngine(terminated ? AuditActions.InstanceTerminatedByEndEvent : AuditActions.InstanceCompleted, endNode.Id, null, null));
    }

    /// <summary>Ends an execution and everything under it without completing: tasks, timers, jobs, called instances.</summary>
    private void CancelTree(Execution execution, string reason)
    {
        foreach (var child in _executions.Where(e => e.ParentId == execution.Id).ToList())
        {
            CancelTree(child, reason);
        }

        foreach (var task in _tasks.Where(t => t.ExecutionId == execution.Id).ToList())
        {
            _tasks.Remove(task);
            _endedTasks.Add(new EndedTask(task.Id, task.NodeId, TaskEnding.Cancelled, _context.Now));
            _effects.Add(new TaskCancelled(task, reason));
            Audit(ByEngine(AuditActions.TaskCancelled, task.NodeId, null, reason).About(task));
        }

        CancelTimers(execution, purpose: null);

        foreach (var job in _jobs.Where(j => j.ExecutionId == execution.Id).ToList())
        {
            _jobs.Remove(job);
            foreach (var incident in _incidents.Where(i => i.JobId == job.Id).ToList())
            {
                _incidents.Remove(incident);
                _effects.Add(new IncidentResolved(incident));
                Audit(ByEngine(AuditActions.IncidentResolved, incident.NodeId, null, reason));
            }
        }

        if (execution.CalledInstanceId is { } childInstanceId)
        {
            _effects.Add(new CalledInstanceCancelled(childInstanceId, reason));
            Audit(ByEngine(AuditActions.CalledInstanceCancelled, execution.NodeId, null, reason));
        }

        Remove(execution);
    }

    private void Schedule(Execution execution, FlowNode node, TimerDefinition definition, TimerPurpose purpose)
    {
        DateTimeOffset due;
        try
        {
            due = _context.Deadlines.TimerDue(definition, _context.Now);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            throw new RuntimeCommandException(
                RuntimeErrorKind.Invalid, $"Pengatur waktu '{node.DisplayName}' ({definition.Expression}) tidak dapat dijadwalkan: {e.Message}");
        }

        var timer = new PendingTimer(_context.NewId(), node.Id, execution.Id, purpose, due);
        _timers.Add(timer);
        _effects.Add(new TimerScheduled(timer));
    }

    private void CancelTimers(Execution execution, TimerPurpose? purpose)
    {
        foreach (var timer in _timers.Where(t => t.ExecutionId == execution.Id && (purpose is null || t.Purpose == purpose)).ToList())
        {
            _timers.Remove(timer);
            _effects.Add(new TimerCancelled(timer));
        }
    }

    private static StartEvent SingleNoneStart(Scope scope, string owner)
    {
        var starts = scope.StartEvents.Where(s => s.Timer is null).ToList();
        return starts.Count == 1
            ? starts[0]
            : throw new RuntimeCommandException(
                RuntimeErrorKind.Invalid, $"{owner} harus memiliki tepat satu kejadian mulai biasa, bukan {starts.Count}.");
    }

    /// <summary>
    /// The variables as seen from an execution: the instance's, overlaid by the locals of every enclosing loop
    /// child (innermost wins), with the business key readable as <c>businessKey</c> when asked for.
    /// </summary>
    private Dictionary<string, JsonElement> VariablesFor(Execution? execution, bool withBusinessKey)
    {
        var view = new Dictionary<string, JsonElement>(_variables, StringComparer.Ordinal);
        if (withBusinessKey && !view.ContainsKey(BusinessKeyVariable))
        {
            view[BusinessKeyVariable] = JsonValues.String(_original.BusinessKey);
        }

        var chain = new Stack<Execution>();
        for (var e = execution; e is not null; e = e.ParentId is null ? null : Find(e.ParentId))
        {
            chain.Push(e);
        }

        foreach (var (name, value) in chain.SelectMany(e => e.Locals))
        {
            view[name] = value;
        }

        return view;
    }

    private void SetVariable(string name, JsonElement value) => _variables[name] = value;

    private void MergeVariables(IReadOnlyDictionary<string, JsonElement>? variables)
    {
        foreach (var (name, value) in variables ?? ImmutableDictionary<string, JsonElement>.Empty)
        {
            _variables[name] = value.Clone();
        }
    }

    private void Rest(string executionId, string nodeId) => _reached.Add((executionId, nodeId));

    private void Audit(Audited line) => _effects.Add(line);

    /// <summary>A line of the command's own act, credited to whoever issued it.</summary>
    private Audited ByIssuer(string action, string? fromStepId, string? detail) =>
        new(action, fromStepId, [], detail, _issuer);

    /// <summary>A line of what the engine did in consequence of the command.</summary>
    private static Audited ByEngine(string action, string? fromStepId, string? toStepId, string? detail) =>
        new(action, fromStepId, toStepId is null ? [] : [toStepId], detail, AuditActor.Engine);

    private string NewExecutionId() => _context.NewId().ToString();

    private Execution? Find(string executionId) => _executions.Find(e => e.Id == executionId);

    /// <summary>
    /// The multi-instance child a task runs in: its own execution, or an enclosing one (a task inside a
    /// per-team sub-process belongs to that team), so the inbox can say which item a task is for.
    /// </summary>
    private Execution? NearestLoop(Execution execution)
    {
        for (Execution? current = execution; current is not null; current = current.ParentId is null ? null : Find(current.ParentId))
        {
            if (current.LoopIndex is not null)
            {
                return current;
            }
        }

        return null;
    }

    private Execution Add(Execution execution)
    {
        _executions.Add(execution);
        return execution;
    }

    private void Update(Execution execution) =>
        _executions[_executions.FindIndex(e => e.Id == execution.Id)] = execution;

    /// <summary>Keeps tokens waiting at joins in arrival order, so the earliest on a flow is consumed first.</summary>
    private void MoveToEnd(string executionId)
    {
        var index = _executions.FindIndex(e => e.Id == executionId);
        var execution = _executions[index];
        _executions.RemoveAt(index);
        _executions.Add(execution);
    }

    private void Remove(Execution execution) => _executions.RemoveAll(e => e.Id == execution.Id);
}

internal static class AuditedExtensions
{
    /// <summary>The line is about this task: its id and the multi-instance item (team, unit) it runs for.</summary>
    public static Audited About(this Audited line, HumanTaskState task) =>
        line with { TaskId = task.Id, Item = task.LoopItem };
}
