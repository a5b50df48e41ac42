using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KinerjaWorkflow.Bench;

/// <summary>A parameter as EF bound it: on SQLite the type decides how a value is stored (a Guid as text, say).</summary>
internal sealed record CapturedParameter(string Name, object? Value, SqliteType? Type);

internal sealed record CapturedCommand(string Sql, IReadOnlyList<CapturedParameter> Parameters, string? Query = null)
{
    /// <summary>Stands for a transaction EF committed, when the capture counts them.</summary>
    public const string Commit = "COMMIT";

    /// <summary>Stands for a transaction EF began, when the capture counts them.</summary>
    public const string Begin = "BEGIN";

    /// <summary>Stands for a savepoint EF set inside a transaction (before a save), when the capture counts them.</summary>
    public const string Savepoint = "SAVEPOINT";

    /// <summary>Stands for a savepoint EF released, when the capture counts them.</summary>
    public const string ReleaseSavepoint = "RELEASE";

    /// <summary>Stands for a LINQ query EF compiled (a query cache miss), when the capture counts them.</summary>
    public const string Compilation = "COMPILE";

    public bool IsCommit => ReferenceEquals(Sql, Commit);

    public bool IsCompilation => ReferenceEquals(Sql, Compilation);

    /// <summary>A statement sent to the database, not a marker.</summary>
    public bool IsStatement => !IsCommit && !IsCompilation && !ReferenceEquals(Sql, Begin) && !ReferenceEquals(Sql, Savepoint) && !ReferenceEquals(Sql, ReleaseSavepoint);
}

/// <summary>
/// Listens to EF Core's diagnostic events in this process and keeps the SQL (with its parameters) of the
/// commands run while capturing, so the bench can ask SQLite how it plans exactly those queries, or count the
/// round trips and commits of one service operation.
/// </summary>
internal sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly Dictionary<string, string> TransactionMarkers = new()
    {
        [RelationalEventId.TransactionStarted.Name!] = CapturedCommand.Begin,
        [RelationalEventId.TransactionCommitted.Name!] = CapturedCommand.Commit,
        [RelationalEventId.CreatedTransactionSavepoint.Name!] = CapturedCommand.Savepoint,
        [RelationalEventId.ReleasedTransactionSavepoint.Name!] = CapturedCommand.ReleaseSavepoint,
    };

    private readonly IDisposable _allListeners;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _gate = new();
    private readonly bool _commits;
    private readonly AsyncLocal<bool> _capturingFlow = new();
    private readonly bool _ownFlowOnly;
    private List<CapturedCommand>? _captured;

    /// <param name="commits">
    /// Also keep a <see cref="CapturedCommand.Commit"/> line for each transaction EF commits, a
    /// <see cref="CapturedCommand.Compilation"/> line for each LINQ query it compiles, and a line where it begins a
    /// transaction, sets a savepoint or releases one, so the statements can be replayed in the same transactions.
    /// </param>
    /// <param name="ownFlowOnly">
    /// Keep only what the code that called <see cref="Start"/> sends (its async flow), not the statements of the
    /// service's background loops (the Testing clock's refresh, say) that happen to run at the same time.
    /// </param>
    public CommandCapture(bool commits = false, bool ownFlowOnly = false)
    {
        _commits = commits;
        _ownFlowOnly = ownFlowOnly;
        _allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public void Start()
    {
        _capturingFlow.Value = true;
        lock (_gate)
        {
            _captured = [];
        }
    }

    public IReadOnlyList<CapturedCommand> Stop()
    {
        lock (_gate)
        {
            var captured = _captured ?? [];
            _captured = null;
            return captured;
        }
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_gate)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (_ownFlowOnly && !_capturingFlow.Value)
        {
            return;
        }

        if (_commits && TransactionMarkers.TryGetValue(value.Key, out var marker))
        {
            lock (_gate)
            {
                _captured?.Add(new CapturedCommand(marker, []));
            }

            return;
        }

        if (_commits && value.Key == CoreEventId.QueryCompilationStarting.Name)
        {
            lock (_gate)
            {
                _captured?.Add(new CapturedCommand(CapturedCommand.Compilation, [], value.Value is QueryExpressionEventData query ? query.Expression.ToString() : null));
            }

            return;
        }

        if (value.Key != RelationalEventId.CommandExecuting.Name || value.Value is not CommandEventData data)
        {
            return;
        }

        lock (_gate)
        {
            _captured?.Add(new CapturedCommand(
                data.Command.CommandText,
                data.Command.Parameters.Cast<DbParameter>()
                    .Select(p => new CapturedParameter(p.ParameterName, p.Value, (p as SqliteParameter)?.SqliteType))
                    .ToList()));
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _allListeners.Dispose();
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }
        }
    }
}
