using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// The model's tables in layers, parents before children: a table's foreign keys point only to tables of earlier
/// layers (or to itself), so rows written layer by layer always find the rows they refer to. Within a layer, tables
/// go by name. Used by the database copy and by <see cref="TrackedRows"/>.
/// </summary>
public static class ParentsFirst
{
    private static readonly ConditionalWeakTable<IModel, IReadOnlyList<IReadOnlyList<IEntityType>>?> ByModel = [];

    /// <summary>The layers, or null when the foreign keys form a cycle and no such order exists.</summary>
    public static IReadOnlyList<IReadOnlyList<IEntityType>>? Layers(IModel model) => ByModel.GetValue(model, Order);

    private static IReadOnlyList<IReadOnlyList<IEntityType>>? Order(IModel model)
    {
        var tables = model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()).ToList();
        var layers = new List<IReadOnlyList<IEntityType>>();
        var placed = new HashSet<IEntityType>();
        while (placed.Count < tables.Count)
        {
            var ready = tables
                .Where(e => !placed.Contains(e))
                .Where(e => e.GetForeignKeys().All(fk => fk.PrincipalEntityType == e || placed.Contains(fk.PrincipalEntityType)))
                .OrderBy(e => e.GetTableName(), StringComparer.Ordinal)
                .ToList();
            if (ready.Count == 0)
            {
                return null;
            }

            layers.Add(ready);
            placed.UnionWith(ready);
        }

        return layers;
    }
}
