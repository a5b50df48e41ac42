using System.Collections.Concurrent;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>
/// The clock of the Testing environment: real time shifted by an offset that tests move forward (or set),
/// so deadlines and timers can be passed without waiting. Never registered outside Testing.
/// </summary>
/// <remarks>
/// Its timers fire when real time has run their due time out, as any timer does, and also as soon as the clock
/// is moved past the instant they are due: anything that waits on this clock's timers then acts on a move at
/// once instead of sleeping out the real time it asked for.
/// Unit tests use FakeTimeProvider instead, but a whole host cannot: its timers fire only when someone advances it,
/// so the schedule's sweep and every other wait of a running service would stall until a test (or a person at
/// POST /api/testing/clock) moved the clock.
/// </remarks>
public sealed class ManualClock(TimeProvider inner) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<ManualClockTimer, byte> _timers = new();
    private TimeSpan _offset;
    private DateTimeOffset? _frozenAt;

    public event Action<DateTimeOffset>? Moved;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _frozenAt ?? inner.GetUtcNow() + _offset;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualClockTimer(this, inner, callback, state);
        _timers[timer] = 0;
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Stops the clock at <paramref name="instant"/>; later moves are relative to it.</summary>
    public DateTimeOffset SetTo(DateTimeOffset instant)
    {
        lock (_gate)
        {
            _frozenAt = instant.ToUniversalTime();
        }

        return Notify();
    }

    /// <summary>Where the clock stands: its offset from real time, or the instant it is stopped at.</summary>
    public (TimeSpan Offset, DateTimeOffset? FrozenAt) Setting()
    {
        lock (_gate)
        {
            return (_offset, _frozenAt);
        }
    }

    /// <summary>Puts the clock back where <see cref="Setting"/> said it stood (after a restart).</summary>
    public DateTimeOffset Restore(TimeSpan offset, DateTimeOffset? frozenAt)
    {
        lock (_gate)
        {
            _offset = offset;
            _frozenAt = frozenAt;
        }

        return Notify();
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "Jam hanya dapat dimajukan.");
        }

        lock (_gate)
        {
            if (_frozenAt is { } frozen)
            {
                _frozenAt = frozen + by;
            }
            else
            {
                _offset += by;
            }
        }

        return Notify();
    }

    private DateTimeOffset Notify()
    {
        var now = GetUtcNow();
        foreach (var timer in _timers.Keys)
        {
            timer.ClockMoved(now);
        }

        Moved?.Invoke(now);
        return now;
    }

    private sealed class ManualClockTimer : ITimer
    {
        private readonly ManualClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _realTimer;
        private readonly Lock _gate = new();
        private DateTimeOffset? _dueAt;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ManualClockTimer(ManualClock clock, TimeProvider realTime, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _realTimer = realTime.CreateTimer(static t => ((ManualClockTimer)t!).RealTimeElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                _period = period;
                _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime;
                return _realTimer.Change(dueTime, period);
            }
        }

        /// <summary>
        /// Due on the moved clock: the real timer is told to fire now, so a move and real time hand the callback
        /// to the same place (over a fake real time, as in the clock's own tests, that is before the move returns).
        /// </summary>
        public void ClockMoved(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_dueAt is not { } due || now < due)
                {
                    return;
                }

                // Not due again until it has fired: a second move before then must not fire it twice.
                _dueAt = null;
                _realTimer.Change(TimeSpan.Zero, _period);
            }
        }

        public void Dispose()
        {
            _clock._timers.TryRemove(this, out _);
            _realTimer.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private bool IsPeriodic => _period != Timeout.InfiniteTimeSpan && _period != TimeSpan.Zero;

        private void RealTimeElapsed()
        {
            lock (_gate)
            {
                Rearm(_clock.GetUtcNow());
            }

            Fire();
        }

        private void Rearm(DateTimeOffset now) => _dueAt = IsPeriodic ? now + _period : null;

        private void Fire() => _callback(_state);
    }
}
