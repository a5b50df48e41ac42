using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>What the validator checks against outside the file; a null property skips that check.</summary>
public sealed record ValidationOptions
{
    /// <summary>The roles the office defines (organization.yaml); every lane and candidate group must be one.</summary>
    public IReadOnlySet<string>? KnownRoles { get; init; }

    /// <summary>Whether a definition with this key is deployed, for call activities.</summary>
    public Func<string, bool>? DefinitionExists { get; init; }

    /// <summary>
    /// The least time between two firings of a timer start cycle: a shorter cycle would start instances
    /// faster than anyone can work them (R/PT1S starts one a second). A loop that no person holds up must
    /// wait as long on each turn.
    /// </summary>
    public TimeSpan? MinimumStartCycle { get; init; } = DefaultMinimumStartCycle;

    public static readonly TimeSpan DefaultMinimumStartCycle = TimeSpan.FromHours(1);
}

/// <summary>
/// Checks a process model before it is deployed, so nothing the runtime cannot do is ever a surprise at run
/// time. Reports every problem it finds, not the first, each naming the element and saying why in Bahasa
/// Indonesia. Condition syntax is the reader's to report, as only it sees the text that failed.
/// </summary>
public static class BpmnValidator
{
    public static IReadOnlyList<DefinitionProblem> Validate(ProcessModel model, ValidationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return new ValidationRun(model, options, cancellationToken).Run();
    }
}
