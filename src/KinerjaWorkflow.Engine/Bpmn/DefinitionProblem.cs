namespace KinerjaWorkflow.Engine.Bpmn;

public enum ProblemSeverity
{
    /// <summary>The definition cannot be deployed.</summary>
    Error,

    /// <summary>The definition can be deployed, but something is probably not what the author meant.</summary>
    Warning,
}

/// <summary>
/// One thing wrong with a definition, in words an SOP author understands (Bahasa Indonesia), pointing at the
/// element and, when known, the line and column in the BPMN file.
/// </summary>
public sealed record DefinitionProblem(
    ProblemSeverity Severity,
    string? ElementId,
    string? ElementType,
    string Message,
    int? Line = null,
    int? Column = null);
