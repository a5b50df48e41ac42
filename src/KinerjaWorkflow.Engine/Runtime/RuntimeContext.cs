using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>What a command runs with: the time, who acts, how deadlines are computed, how ids are made.</summary>
public sealed class RuntimeContext
{
    public required DateTimeOffset Now { get; init; }

    /// <summary>The user issuing the command, or null for the system (timers, jobs).</summary>
    public string? User { get; init; }

    public IDeadlineCalculator Deadlines { get; init; } = NoDeadlines.Instance;

    public Func<Guid> NewId { get; init; } = Guid.NewGuid;
}

/// <summary>Turns a step's Waktu and a timer's expression into instants, in the office's business time.</summary>
public interface IDeadlineCalculator
{
    /// <summary>The expected and due instants of a human task created at <paramref name="start"/>.</summary>
    StepDeadline ForStep(HumanTask task, DateTimeOffset start);

    /// <summary>When a timer (intermediate or boundary) reached at <paramref name="start"/> fires.</summary>
    DateTimeOffset TimerDue(TimerDefinition timer, DateTimeOffset start);
}

public readonly record struct StepDeadline(DateTimeOffset? ExpectedAt, DateTimeOffset? DueAt);

/// <summary>No business calendar: steps have no deadline and timers accept only ISO 8601 durations and dates.</summary>
public sealed class NoDeadlines : IDeadlineCalculator
{
    public static readonly NoDeadlines Instance = new();

    public StepDeadline ForStep(HumanTask task, DateTimeOffset start) => default;

    public DateTimeOffset TimerDue(TimerDefinition timer, DateTimeOffset start) => timer.Kind switch
    {
        TimerKind.Date => DateTimeOffset.Parse(timer.Expression, System.Globalization.CultureInfo.InvariantCulture),
        TimerKind.Duration => start + System.Xml.XmlConvert.ToTimeSpan(timer.Expression),
        _ => throw new NotSupportedException($"A {timer.Kind} timer needs a business calendar."),
    };
}

public enum RuntimeErrorKind
{
    /// <summary>The task, timer, job or incident is not part of this instance.</summary>
    NotFound,

    /// <summary>The instance or task is no longer in a state that accepts the command (e.g. completed twice).</summary>
    Conflict,

    /// <summary>The command's data is not acceptable (an outcome the step does not offer, a bad variable).</summary>
    Invalid,
}

/// <summary>A command refused by the runtime; the state is unchanged.</summary>
public sealed class RuntimeCommandException(RuntimeErrorKind kind, string message) : Exception(message)
{
    public RuntimeErrorKind Kind { get; } = kind;
}

/// <summary>The new state and what happened.</summary>
public sealed record RuntimeResult(InstanceState State, IReadOnlyList<RuntimeEffect> Effects);
