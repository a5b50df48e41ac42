using KinerjaWorkflow.Server.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>
/// The Testing clock's timers: what lets anything that waits on the service's clock (a PeriodicTimer, a Task.Delay
/// on the TimeProvider) act as soon as a test moves the clock past it.
/// </summary>
public sealed class ManualClockTimerTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_timer_fires_as_soon_as_the_clock_is_moved_past_its_due_time()
    {
        var clock = Frozen();
        var fired = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = clock.CreateTimer(_ => fired.TrySetResult(clock.GetUtcNow()), null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromHours(2));

        (await fired.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(Start.AddHours(2));
    }

    [Fact]
    public void A_move_short_of_the_due_time_leaves_the_timer_waiting()
    {
        var clock = Frozen();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMinutes(59));
        Volatile.Read(ref fired).Should().Be(0);

        clock.Advance(TimeSpan.FromMinutes(1));
        Volatile.Read(ref fired).Should().Be(1);
    }

    [Fact]
    public void A_periodic_timer_is_due_again_one_period_after_it_fired()
    {
        var clock = Frozen();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));

        clock.Advance(TimeSpan.FromMinutes(10));
        Volatile.Read(ref fired).Should().Be(1);
        clock.Advance(TimeSpan.FromMinutes(9));
        Volatile.Read(ref fired).Should().Be(1);
        clock.Advance(TimeSpan.FromMinutes(1));
        Volatile.Read(ref fired).Should().Be(2);
    }

    [Fact]
    public void A_timer_still_fires_when_real_time_runs_its_due_time_out()
    {
        var clock = Frozen();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);

        _realTime.Advance(TimeSpan.FromMilliseconds(19));
        Volatile.Read(ref fired).Should().Be(0);
        _realTime.Advance(TimeSpan.FromMilliseconds(1));
        Volatile.Read(ref fired).Should().Be(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_disposed_or_disarmed_timer_does_not_fire_on_a_move(bool dispose)
    {
        var clock = Frozen();
        var fired = 0;
        var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        if (dispose)
        {
            timer.Dispose();
        }
        else
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        clock.Advance(TimeSpan.FromDays(1));
        _realTime.Advance(TimeSpan.FromDays(1));

        Volatile.Read(ref fired).Should().Be(0);
        timer.Dispose();
    }

    /// <summary>
    /// Real time is fake too: its timers fire on the thread that advances it, so what a move fires has fired
    /// when the move returns, and "nothing fired" is a plain assertion rather than a wait.
    /// </summary>
    private readonly FakeTimeProvider _realTime = new(Start);

    private ManualClock Frozen()
    {
        var clock = new ManualClock(_realTime);
        clock.SetTo(Start);
        return clock;
    }
}
