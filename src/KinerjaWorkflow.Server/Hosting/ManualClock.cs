namespace KinerjaWorkflow.Server.Hosting;

/// <summary>
/// The clock of the Testing environment: real time shifted by an offset that tests move forward (or set),
/// so deadlines and timers can be passed without waiting. Never registered outside Testing.
/// </summary>
public sealed class ManualClock(TimeProvider inner) : TimeProvider
{
    private readonly Lock _gate = new();
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

    /// <summary>Stops the clock at <paramref name="instant"/>; later moves are relative to it.</summary>
    public DateTimeOffset SetTo(DateTimeOffset instant)
    {
        lock (_gate)
        {
            _frozenAt = instant.ToUniversalTime();
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
        Moved?.Invoke(now);
        return now;
    }
}
