using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>A definition read and validated: deployable when it has a model and no errors.</summary>
public sealed record CompiledDefinition(ProcessModel? Model, IReadOnlyList<DefinitionProblem> Problems)
{
    public bool IsValid => Model is not null && !Errors.Any();

    public IEnumerable<DefinitionProblem> Errors => Problems.Where(p => p.Severity == ProblemSeverity.Error);

    public IEnumerable<DefinitionProblem> Warnings => Problems.Where(p => p.Severity == ProblemSeverity.Warning);
}

/// <summary>Reads and validates a BPMN file, giving every problem once, in the order they appear in the file.</summary>
public static class DefinitionCompiler
{
    public static CompiledDefinition Compile(string xml, ValidationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var reading = BpmnReader.ReadWithLocations(xml, cancellationToken);
        if (reading.Model is null)
        {
            return new CompiledDefinition(null, reading.Problems);
        }

        var located = BpmnValidator.Validate(reading.Model, options, cancellationToken).Select(p => Locate(p, reading.Locations));
        var problems = reading.Problems
            .Concat(located)
            .DistinctBy(p => (p.Severity, p.ElementId, p.ElementType, p.Message))
            .OrderBy(p => p.Line ?? 0)
            .ThenBy(p => p.Column ?? 0)
            .ThenBy(p => p.ElementId, StringComparer.Ordinal)
            .ToList();
        return new CompiledDefinition(reading.Model, problems);
    }

    /// <summary>The validator sees only the model; the file position comes from where the reader found the element.</summary>
    private static DefinitionProblem Locate(DefinitionProblem problem, IReadOnlyDictionary<string, SourceLocation> locations) =>
        problem.Line is null && problem.ElementId is not null && locations.TryGetValue(problem.ElementId, out var location)
            ? problem with { Line = location.Line, Column = location.Column }
            : problem;
}
