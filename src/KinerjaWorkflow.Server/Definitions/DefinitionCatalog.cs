using System.Collections.Concurrent;
using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>
/// Compiled process models by definition version. A version's XML never changes, so each is compiled
/// once per process and shared by every command on its instances.
/// </summary>
public sealed class DefinitionCatalog
{
    private readonly ConcurrentDictionary<Guid, ProcessModel> _models = new();
    private readonly ConcurrentDictionary<(string OfficeId, string Key, int Version), Guid> _ids = new();

    public ProcessModel ModelOf(DefinitionRecord definition) =>
        _models.GetOrAdd(definition.Id, static (_, xml) => Compile(xml), definition.Xml);

    /// <summary>
    /// The compiled model of a stored version by its id: the XML is read from the database only the first time,
    /// so a command or a read on an instance costs no definition row at all once its version is compiled.
    /// </summary>
    public async ValueTask<ProcessModel> ModelOfAsync(KinerjaDbContext db, Guid definitionId, CancellationToken ct)
    {
        if (_models.TryGetValue(definitionId, out var model))
        {
            return model;
        }

        var xml = await db.Definitions.AsNoTracking().Where(d => d.Id == definitionId).Select(d => d.Xml).FirstAsync(ct);
        return _models.GetOrAdd(definitionId, static (_, text) => Compile(text), xml);
    }

    /// <summary>
    /// The id of an office's definition version. A stored version is never removed nor given another id, so the answer
    /// is kept: a task names its version by key and number, and its detail and the inbox's send-backs need the model.
    /// </summary>
    public async ValueTask<Guid> IdOfAsync(KinerjaDbContext db, string officeId, string key, int version, CancellationToken ct)
    {
        if (_ids.TryGetValue((officeId, key, version), out var id))
        {
            return id;
        }

        id = await db.Definitions.AsNoTracking()
            .Where(d => d.OfficeId == officeId && d.Key == key && d.Version == version)
            .Select(d => d.Id)
            .FirstAsync(ct);
        _ids.TryAdd((officeId, key, version), id);
        return id;
    }

    internal void Remember(Guid definitionId, ProcessModel model) => _models.TryAdd(definitionId, model);

    private static ProcessModel Compile(string xml)
    {
        var read = BpmnReader.Read(xml);
        return read.Model
            ?? throw new InvalidOperationException(
                "A stored definition no longer reads: " + string.Join("; ", read.Problems.Select(p => p.Message)));
    }
}
