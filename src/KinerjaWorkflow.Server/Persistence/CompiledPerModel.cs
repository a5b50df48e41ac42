using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// A query compiled once for each model it runs against (EF.CompileAsyncQuery). A compiled query refuses a model other
/// than the one it first ran with, and each provider's context has a model of its own, as can two hosts in one
/// process; the LINQ is translated once per model instead of turned into parameters and looked up at every call.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
