using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>A statement EF Core ran in this process, with the names of its parameters.</summary>
public sealed record CapturedSql(string Text, IReadOnlyList<string> ParameterNames);

/// <summary>Keeps the SQL of every command EF Core runs in this process while it is not disposed.</summary>
public sealed class SqlCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable _allListeners;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _gate = new();
    private readonly List<CapturedSql> _captured = [];

    public SqlCapture() => _allListeners = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>Takes what was captured so far and starts afresh.</summary>
    public IReadOnlyList<CapturedSql> Take()
    {
        lock (_gate)
        {
            var taken = _captured.ToList();
            _captured.Clear();
            return taken;
        }
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (_gate)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData executed)
        {
            var names = executed.Command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => p.ParameterName).ToList();
            lock (_gate)
            {
                _captured.Add(new CapturedSql(executed.Command.CommandText, names));
            }
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
