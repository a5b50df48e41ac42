using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>A statement EF Core ran in this process, with the names of its parameters.</summary>
public sealed record CapturedSql(string Text, IReadOnlyList<string> ParameterNames);

/// <summary>
/// Keeps the SQL of the commands EF Core runs on one context, or on one SQLite file, while it is not disposed: EF
/// reports every command of the process, and tests run side by side.
/// </summary>
public sealed class SqlCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Func<CommandExecutedEventData, bool> _ours;
    private readonly IDisposable _allListeners;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _gate = new();
    private readonly List<CapturedSql> _captured = [];

    /// <summary>The commands of <paramref name="of"/>.</summary>
    public SqlCapture(DbContext of)
        : this(executed => executed.Context == of)
    {
    }

    /// <summary>The commands run on the SQLite file <paramref name="databaseFile"/>, by any context of any host.</summary>
    public SqlCapture(string databaseFile)
        : this(executed => executed.Connection.DataSource is { Length: > 0 } source && Path.GetFullPath(source) == Path.GetFullPath(databaseFile))
    {
    }

    private SqlCapture(Func<CommandExecutedEventData, bool> ours)
    {
        _ours = ours;
        _allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    /// <summary>
    /// Returns once EF Core reports to this capture: EF looks for new listeners at most once a second, so a statement
    /// run just after the capture was made may go unseen. Runs <paramref name="probe"/> until one of its statements is
    /// captured, then forgets what was captured.
    /// </summary>
    public async Task CapturingAsync(Func<Task> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await probe();
            if (Take().Count > 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("EF Core reported no statement to the capture in 10 s.");
            }

            await Task.Delay(100);
        }
    }

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
        if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData executed && _ours(executed))
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
