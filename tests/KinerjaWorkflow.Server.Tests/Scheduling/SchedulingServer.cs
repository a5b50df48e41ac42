using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>
/// The service on <see cref="KinerjaServer"/>'s data, with a <see cref="RecordingSender"/> in place of the real
/// notification channels when one is given. A second one on the same <see cref="ServerData"/> is a restart.
/// </summary>
internal sealed class SchedulingServer : IDisposable
{
    private readonly KinerjaServer _server;
    private readonly WebApplicationFactory<Program> _host;
    private readonly RecordingSender? _sender;

    /// <param name="startAt">Where the clock stands when the host starts, so what the scheduler does at start-up is deterministic.</param>
    public SchedulingServer(ServerData data, RecordingSender? sender, DateTimeOffset? startAt = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _sender = sender;
        _server = new KinerjaServer(data, settings);
        _host = _server.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            if (sender is not null)
            {
                s.AddSingleton<INotificationSender>(sender);
            }

            // Seeding hashes every demo user's password; at the production work factor that is most of a host's start-up.
            s.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
            if (startAt is { } instant)
            {
                var clock = new ManualClock(TimeProvider.System);
                clock.SetTo(instant);
                s.AddSingleton(clock);
            }
        }));

        // Started now rather than on first use: a restarted host has work to do before anyone asks it anything.
        _ = _host.Services;
    }

    public RecordingSender Sender => _sender ?? throw new InvalidOperationException("This server delivers through the real channels.");

    public IServiceProvider Services => _host.Services;

    public ManualClock Clock => Services.GetRequiredService<ManualClock>();

    public async Task<HttpClient> SignInAsync(string userName)
    {
        var client = _host.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password = KinerjaServer.DemoPassword });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenAnswer>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.Token);
        return client;
    }

    /// <summary>Reads the database through a fresh context, as the service would.</summary>
    public async Task<T> QueryAsync<T>(Func<KinerjaDbContext, Task<T>> query)
    {
        using var scope = Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<KinerjaDbContext>());
    }

    /// <summary>When the task's next reminder or escalation step falls due; null when no step waits to be scheduled.</summary>
    public Task<DateTimeOffset?> NextSlaStepAtAsync(Guid taskId) =>
        QueryAsync(db => db.Tasks.Where(t => t.Id == taskId).Select(t => t.NextSlaStepAt).SingleAsync());

    /// <summary>Runs the Hangfire job of a scheduled item once more, as a retry or a second server would.</summary>
    public async Task RunAgainAsync(Guid itemId)
    {
        using var scope = Services.CreateScope();
        var kind = await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().ScheduledItems
            .Where(i => i.Id == itemId).Select(i => i.Kind).SingleAsync();
        await new ScheduleJobs(scope.ServiceProvider).RunAsync(kind, itemId, null, CancellationToken.None);
    }

    /// <summary>Polls the database until <paramref name="condition"/> holds, for at most 20 seconds.</summary>
    public async Task<T> WaitForAsync<T>(Func<KinerjaDbContext, Task<T>> query, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await QueryAsync(query);
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 20 s for {what}; last seen: {value}");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _host.Dispose();
        _server.Dispose();
    }

    private sealed record TokenAnswer(string Token);
}

/// <summary>Records every message it is given; told to, it refuses the next ones as a broken SMTP server would.</summary>
internal sealed class RecordingSender : INotificationSender
{
    private readonly ConcurrentQueue<NotificationMessage> _delivered = new();
    private int _failuresToCome;
    private int _calls;
    private volatile bool _holding;

    public IReadOnlyList<NotificationMessage> Delivered => _delivered.ToList();

    public int Calls => Volatile.Read(ref _calls);

    public void FailNext(int calls) => Volatile.Write(ref _failuresToCome, calls);

    /// <summary>From now on a send hangs until it is cancelled, as one cut off by a dying process.</summary>
    public void Hold() => _holding = true;

    public async Task SendAsync(NotificationMessage message, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        if (_holding)
        {
            await Task.Delay(Timeout.Infinite, ct);
        }

        if (Interlocked.Decrement(ref _failuresToCome) >= 0)
        {
            throw new HttpRequestException("Server SMTP menolak sambungan.");
        }

        _delivered.Enqueue(message);
    }

    /// <summary>Waits (at most 20 seconds) until a delivered message matches.</summary>
    public async Task<NotificationMessage> WaitForAsync(Func<NotificationMessage, bool> match, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_delivered.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {what} was delivered in 20 s; delivered: {string.Join(" | ", _delivered.Select(m => m.DeduplicationKey))}");
    }
}
