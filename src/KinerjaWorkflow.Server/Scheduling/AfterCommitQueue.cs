using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Things to do only once a command's transaction has committed: waking the job worker, putting timers
/// into the scheduler. Done after commit so nothing outside the database acts on a change that was
/// rolled back; the database rows written in the transaction are the truth if the process dies between.
/// </summary>
public interface IAfterCommitQueue
{
    void JobRequested(Guid jobId);
    void TimerScheduled(Guid timerId, Guid instanceId, DateTimeOffset dueAt);
    void TimerCancelled(Guid timerId);

    /// <summary>A task was written; the live streams of the people who may work on it hear of it.</summary>
    void TaskCreated(TaskRecord task);

    /// <summary>Anything else to do once the transaction has committed (scheduling SLA steps, for one).</summary>
    void Enqueue(Func<CancellationToken, Task> action);

    /// <summary>Forgets what was queued (the transaction failed).</summary>
    void Discard();

    Task FlushAsync(CancellationToken ct);
}

/// <summary>Puts a timer into (or takes it out of) the scheduler that fires it.</summary>
public interface ITimerScheduler
{
    Task ScheduleAsync(Guid timerId, Guid instanceId, DateTimeOffset dueAt, CancellationToken ct);
    Task CancelAsync(Guid timerId, CancellationToken ct);
}

internal sealed class AfterCommitQueue(JobSignal jobs, ITimerScheduler timers, LiveNotifications live) : IAfterCommitQueue
{
    private readonly List<Func<CancellationToken, Task>> _actions = [];
    private bool _wakeJobs;

    public void JobRequested(Guid jobId) => _wakeJobs = true;

    public void TimerScheduled(Guid timerId, Guid instanceId, DateTimeOffset dueAt) =>
        _actions.Add(ct => timers.ScheduleAsync(timerId, instanceId, dueAt, ct));

    public void TimerCancelled(Guid timerId) => _actions.Add(ct => timers.CancelAsync(timerId, ct));

    public void TaskCreated(TaskRecord task) => _actions.Add(_ =>
    {
        live.Publish(task);
        return Task.CompletedTask;
    });

    public void Enqueue(Func<CancellationToken, Task> action) => _actions.Add(action);

    public void Discard()
    {
        _actions.Clear();
        _wakeJobs = false;
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var actions = _actions.ToList();
        _actions.Clear();
        foreach (var action in actions)
        {
            await action(ct);
        }

        if (_wakeJobs)
        {
            _wakeJobs = false;
            jobs.Wake();
        }
    }
}

/// <summary>Wakes the job worker early when a command has just written a job.</summary>
public sealed class JobSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it between the check and the release: already awake, which is all we want.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
