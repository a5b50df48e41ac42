using System.Collections.Concurrent;
using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>
/// Compiled process models by definition version. A version's XML never changes, so each is compiled
/// once per process and shared by every command on its instances.
/// </summary>
public sealed class DefinitionCatalog
{
    private readonly ConcurrentDictionary<Guid, ProcessModel> _models = new();

    public ProcessModel ModelOf(DefinitionRecord definition) =>
        _models.GetOrAdd(definition.Id, static (_, xml) => Compile(xml), definition.Xml);

    internal void Remember(Guid definitionId, ProcessModel model) => _models.TryAdd(definitionId, model);

    private static ProcessModel Compile(string xml)
    {
        var read = BpmnReader.Read(xml);
        return read.Model
            ?? throw new InvalidOperationException(
                "A stored definition no longer reads: " + string.Join("; ", read.Problems.Select(p => p.Message)));
    }
}
