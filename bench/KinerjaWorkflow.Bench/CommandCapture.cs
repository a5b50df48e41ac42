using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KinerjaWorkflow.Bench;

internal sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters, string? Query = null)
{
    /// <summary>Stands for a transaction EF committed, when the capture counts them.</summary>
    public const string Commit = "COMMIT";

    /// <summary>Stands for a LINQ query EF compiled (a query cache miss), when the capture counts them.</summary>
    public const string Compilation = "COMPILE";

    public bool IsCommit => ReferenceEquals(Sql, Commit);

    public bool IsCompilation => ReferenceEquals(Sql, Compilation);

    /// <summary>A statement sent to the database, not a marker.</summary>
    public bool IsStatement => !IsCommit && !IsCompilation;
}

/// <summary>
/// Listens to EF Core's diagnostic events in this process and keeps the SQL (with its parameters) of the
/// commands run while capturing, so the bench can ask SQLite how it plans exactly those queries, or count the
/// round trips and commits of one service operation.
/// </summary>
internal sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable _allListeners;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _gate = new();
    private readonly bool _commits;
    private List<CapturedCommand>? _captured;

    /// <param name="commits">
    /// Also keep a <see cref="CapturedCommand.Commit"/> line for each transaction EF commits, and a
    /// <see cref="CapturedCommand.Compilation"/> line for each LINQ query it compiles.
    /// </param>
    public CommandCapture(bool commits = false)
    {
        _commits = commits;
        _allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public void Start()
    {
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
        if (_commits && value.Key == RelationalEventId.TransactionCommitted.Name)
        {
            lock (_gate)
            {
                _captured?.Add(new CapturedCommand(CapturedCommand.Commit, []));
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
                data.Command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList()));
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
