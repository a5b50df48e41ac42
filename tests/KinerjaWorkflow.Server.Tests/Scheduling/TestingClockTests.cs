using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>POST /api/testing/clock: a move runs what it made due before it answers, and a restart keeps the date.</summary>
public sealed class TestingClockTests : IDisposable
{
    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Moving_the_clock_answers_after_the_jobs_it_made_due_have_run_and_a_restart_keeps_the_date()
    {
        var sender = new RecordingSender();
        Guid task;
        using (var server = new SchedulingServer(_data, sender))
        {
            var staf = await server.SignInAsync("staf.uji");
            (await staf.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T08:00") }).OkJsonAsync())
                .GetProperty("stillRunning").GetArrayLength().Should().Be(0);
            task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "jam-uji")).Id(), "Susun");

            var moved = await staf.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T09:30") }).OkJsonAsync();

            moved.GetProperty("stillRunning").GetArrayLength().Should().Be(0);
            sender.Delivered.Select(m => m.DeduplicationKey).Should().Contain($"reminder:{task}", "the answer waits for the reminder's job");
        }

        var after = new RecordingSender();
        using var restarted = new SchedulingServer(_data, after);
        var kepala = await restarted.SignInAsync("kepala.uji");
        var now = (await kepala.GetAsync("/api/testing/clock").OkJsonAsync()).GetProperty("now").GetDateTimeOffset();
        now.Should().Be(Wita("2025-03-03T09:30"));

        var escalated = await kepala.PostAsJsonAsync("/api/testing/clock", new { advanceBy = "00:30:00" }).OkJsonAsync();

        escalated.GetProperty("stillRunning").GetArrayLength().Should().Be(0);
        after.Delivered.Select(m => m.DeduplicationKey).Should().Equal($"escalation:{task}:1");
    }

    /// <summary>
    /// The refresh loop read the setting while a move was storing it, took the previous setting for another node's
    /// and put the clock back, so the move's settle found nothing due (ProvisionalDeadlineTests failed so on
    /// PostgreSQL once).
    /// </summary>
    [Fact]
    public async Task A_refresh_while_a_move_is_stored_leaves_the_clock_where_the_move_put_it()
    {
        // Seconds no other test moves to: the hold must catch this move's save only. It listens before the host
        // starts, because EF Core stops raising command events for a while once it has seen nobody listening.
        var to = Wita("2025-03-04T08:00:17");
        using var hold = new SettingSaveHold(to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        using var server = new SchedulingServer(_data, new RecordingSender());
        var staf = await server.SignInAsync("staf.uji");
        (await staf.PostAsJsonAsync("/api/testing/clock", new { setTo = Wita("2025-03-03T08:00") }).OkJsonAsync())
            .GetProperty("stillRunning").GetArrayLength().Should().Be(0);

        var moves = new ConcurrentQueue<DateTimeOffset>();
        server.Clock.Moved += moves.Enqueue;
        try
        {
            var answer = staf.PostAsJsonAsync("/api/testing/clock", new { setTo = to }).OkJsonAsync();
            await hold.Reached.WaitAsync(TimeSpan.FromSeconds(30));

            await server.Services.GetRequiredService<TestingClock>().RefreshAsync(CancellationToken.None);
            hold.Release();

            (await answer).GetProperty("now").GetDateTimeOffset().Should().Be(to);
        }
        finally
        {
            server.Clock.Moved -= moves.Enqueue;
        }

        moves.Should().Equal([to], "the clock never went back to the setting the move replaced");
        server.Clock.GetUtcNow().Should().Be(to);
    }

    /// <summary>Holds the command that stores the Testing clock's setting at the given instant until released.</summary>
    private sealed class SettingSaveHold : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _instant;
        private readonly IDisposable _allListeners;
        private readonly ConcurrentBag<IDisposable> _subscriptions = [];
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _released = new();

        public SettingSaveHold(string instant)
        {
            _instant = instant;
            _allListeners = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public Task Reached => _reached.Task;

        public void Release() => _released.Set();

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData executing
                && executing.Command.CommandText.Contains("service_settings", StringComparison.Ordinal)
                && executing.Command.Parameters.Cast<System.Data.Common.DbParameter>().Any(p => p.Value is string text && text.Contains(_instant, StringComparison.Ordinal))
                && _reached.TrySetResult())
            {
                // EF Core raises the event on the command's own thread, so waiting here keeps the command from running.
                _released.Wait(TimeSpan.FromSeconds(30));
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
            _released.Set();
            _allListeners.Dispose();
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            _released.Dispose();
        }
    }
}
