using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// A hand-written statement on one table whose names and parameters come from the EF model: each parameter is typed
/// as the column it is written to or compared with, so values go in as EF's own statements write them (instants as
/// Unix milliseconds, SQLite's text GUIDs), and the statement runs in the context's connection and transaction with
/// EF's logging. For a set-based statement on the command path that LINQ would translate again at every call
/// (ExecuteUpdate with a list cannot be compiled in EF 10).
/// </summary>
public sealed class ColumnTypedSql<TRecord>(DbContext db)
    where TRecord : class
{
    private readonly IEntityType _table = db.Model.FindEntityType(typeof(TRecord))
        ?? throw new InvalidOperationException($"{typeof(TRecord).Name} is not in the model.");

    private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();
    private readonly StringBuilder _text = new();
    private readonly IRelationalCommandBuilder _builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
    private readonly Dictionary<string, object?> _values = [];

    public string Table => _sql.DelimitIdentifier(_table.GetTableName()!);

    public string Column(string property) => _sql.DelimitIdentifier(Property(property).GetColumnName());

    /// <summary>A parameter typed as the column of <paramref name="property"/>; returns its placeholder.</summary>
    public string Value(string property, object? value)
    {
        var column = Property(property);
        var name = "p" + _values.Count;
        _builder.AddParameter(name, _sql.GenerateParameterName(name), column.GetRelationalTypeMapping(), column.IsNullable);
        _values[name] = value;
        return _sql.GenerateParameterNamePlaceholder(name);
    }

    public ColumnTypedSql<TRecord> Append(string text)
    {
        _text.Append(text);
        return this;
    }

    public Task<int> ExecuteAsync(CancellationToken ct)
    {
        _builder.Append(_text.ToString());
        return _builder.Build().ExecuteNonQueryAsync(
            new RelationalCommandParameterObject(
                db.GetService<IRelationalConnection>(),
                _values,
                null,
                db,
                db.GetService<IRelationalCommandDiagnosticsLogger>(),
                CommandSource.ExecuteUpdate),
            ct);
    }

    private IProperty Property(string name) => _table.FindProperty(name)
        ?? throw new InvalidOperationException($"{typeof(TRecord).Name} has no property {name}.");
}
