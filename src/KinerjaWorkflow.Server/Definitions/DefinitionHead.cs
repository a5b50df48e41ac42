using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>
/// A stored definition version without its BPMN text: what starting an instance of it needs besides the compiled
/// model, which <see cref="DefinitionCatalog"/> keeps by the version's id. A start read the whole row, the 20 KB of
/// XML included, for a model compiled long before.
/// </summary>
public sealed record DefinitionHead(Guid Id, string Key, int Version, string OfficeId, string Name)
{
    public static DefinitionHead Of(DefinitionRecord definition) =>
        new(definition.Id, definition.Key, definition.Version, definition.OfficeId, definition.Name);
}
