using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

/// <summary>
/// Drives one instance through the runtime the way the server does: keeps the state between commands,
/// a clock, deterministic ids, and the effects of the last command.
/// </summary>
internal sealed class TestInstance
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, TimeSpan.FromHours(7));

    private readonly JsonSerializerOptions? _roundTrip;
    private int _lastId;

    public TestInstance(ProcessModel model, JsonSerializerOptions? roundTripThrough = null, IDeadlineCalculator? deadlines = null)
    {
        Model = model;
        _roundTrip = roundTripThrough;
        Deadlines = deadlines ?? NoDeadlines.Instance;
    }

    public ProcessModel Model { get; }
    public IDeadlineCalculator Deadlines { get; }
    public InstanceState? Current { get; private set; }
    public InstanceState State => Current ?? throw new InvalidOperationException("Not started.");
    public IReadOnlyList<RuntimeEffect> Effects { get; private set; } = [];
    public DateTimeOffset Now { get; set; } = T0;
    public string? User { get; set; } = "budi";

    public IEnumerable<Audited> Audits => Effects.OfType<Audited>();

    /// <summary>The audit lines as action, from, where to (joined by commas) and detail.</summary>
    public IEnumerable<AuditLine> AuditLines => Audits.Select(a =>
        new AuditLine(a.Action, a.FromStepId, a.ToStepIds.Count == 0 ? null : string.Join(",", a.ToStepIds), a.Detail));

    public IReadOnlyList<string> OpenSteps => [.. State.Tasks.Select(t => t.NodeId)];

    public static Guid IdOf(int n) => new(n, 0, 0, new byte[8]);

    public RuntimeResult Run(RuntimeCommand command)
    {
        var result = WorkflowRuntime.Execute(Model, Current, command, Context());
        Current = _roundTrip is null
            ? result.State
            : JsonSerializer.Deserialize<InstanceState>(JsonSerializer.Serialize(result.State, _roundTrip), _roundTrip);
        Effects = result.Effects;
        return result;
    }

    public TestInstance Start(object? variables = null, string? businessKey = "SPT-001", string? startEventId = null)
    {
        Run(new StartInstance(IdOf(1000), businessKey, Vars.Of(variables), startEventId));
        return this;
    }

    public HumanTaskState Task(string nodeId) => State.Tasks.Single(t => t.NodeId == nodeId);

    public TestInstance Complete(string nodeId, string? outcome = null, object? variables = null, string? comment = null) =>
        Complete(Task(nodeId), outcome, variables, comment);

    public TestInstance Complete(HumanTaskState task, string? outcome = null, object? variables = null, string? comment = null)
    {
        Run(new CompleteTask(task.Id, outcome, comment, Vars.Of(variables)));
        return this;
    }

    public TestInstance Fire(string nodeId)
    {
        Run(new FireTimer(State.Timers.Single(t => t.NodeId == nodeId).Id));
        return this;
    }

    public PendingJob Job(string nodeId) => State.Jobs.Single(j => j.NodeId == nodeId);

    public JsonElement Variable(string name) => State.Variables[name];

    /// <summary>Runs a command that must be refused, and checks the refusal left the state as it was.</summary>
    public RuntimeCommandException Refuses(RuntimeCommand command, RuntimeErrorKind kind)
    {
        var before = JsonSerializer.Serialize(Current);
        var refusal = FluentActions.Invoking(() => WorkflowRuntime.Execute(Model, Current, command, Context()))
            .Should().Throw<RuntimeCommandException>().Which;
        refusal.Kind.Should().Be(kind, refusal.Message);
        JsonSerializer.Serialize(Current).Should().Be(before);
        return refusal;
    }

    private RuntimeContext Context() => new()
    {
        Now = Now,
        User = User,
        Deadlines = Deadlines,
        NewId = () => IdOf(++_lastId),
    };
}

internal sealed record AuditLine(string Action, string? FromStepId, string? To, string? Detail);

internal static class Vars
{
    public static IReadOnlyDictionary<string, JsonElement> Of(object? values) =>
        values is null
            ? new Dictionary<string, JsonElement>()
            : JsonSerializer.SerializeToElement(values).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    public static JsonElement Json(object? value) => JsonSerializer.SerializeToElement(value);
}
