using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>Told when a new version of a definition has been stored.</summary>
public interface IDefinitionDeployedListener
{
    Task DefinitionDeployedAsync(DefinitionRecord definition, CancellationToken ct);
}
