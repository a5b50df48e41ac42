using System.Collections.Concurrent;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>
/// Delivers the notification outbox (emails, webhooks). One attempt is a few quick retries with exponential
/// backoff (a Polly pipeline, each try bounded by the channel's timeout); a failed attempt is recorded in the
/// row with its error and tried again later, the pause doubling each time, so a restart loses nothing.
/// After the last attempt the row stays as a dead letter (status dead, last error) an admin can retry.
/// A row is claimed before it is sent (its next attempt moved past the longest an attempt can take), so two
/// nodes never send it at once and a node that dies mid-send leaves it to be tried again.
/// </summary>
public sealed class NotificationDeliveryWorker : BackgroundService
{
    private static readonly ResiliencePropertyKey<Guid> DeliveryKey = new("kinerja.delivery");

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly NotificationOptions _options;
    private readonly ILogger<NotificationDeliveryWorker> _logger;
    private readonly JobSignal _wake = new();
    private readonly ConcurrentDictionary<TimeSpan, ResiliencePipeline> _pipelines = new();
    private readonly ManualClock? _manualClock;

    public NotificationDeliveryWorker(
        IServiceScopeFactory scopes,
        TimeProvider clock,
        IOptions<NotificationOptions> options,
        ILogger<NotificationDeliveryWorker> logger,
        ManualClock? manualClock = null)
    {
        _scopes = scopes;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        _manualClock = manualClock;
        if (_manualClock is not null)
        {
            _manualClock.Moved += OnClockMoved;
        }
    }

    /// <summary>Looks for due deliveries now rather than at the next poll.</summary>
    public void Wake() => _wake.Wake();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Notification delivery pass failed; retrying after {PollInterval}", _options.PollInterval);
            }

            try
            {
                await _wake.WaitAsync(_options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Attempts every delivery that is due now; returns how many were claimed.</summary>
    internal async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        List<(Guid Id, string Channel)> due;
        using (var scope = _scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            var now = _clock.GetUtcNow();
            due = (await db.Set<NotificationDeliveryRecord>()
                    .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
                    .OrderBy(d => d.NextAttemptAt)
                    .Select(d => new { d.Id, d.Channel })
                    .Take(20)
                    .ToListAsync(ct))
                .Select(d => (d.Id, d.Channel))
                .ToList();
        }

        var claimed = 0;
        foreach (var (id, channel) in due)
        {
            if (await AttemptAsync(id, channel, ct))
            {
                claimed++;
            }
        }

        return claimed;
    }

    private async Task<bool> AttemptAsync(Guid deliveryId, string channelName, CancellationToken ct)
    {
        using var scope = _scopes.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<KinerjaDbContext>();
        var now = _clock.GetUtcNow();
        var channel = services.GetServices<IDeliveryChannel>().FirstOrDefault(c => c.Name == channelName);
        var lease = now + LongestAttempt(channel?.Timeout ?? TimeSpan.Zero);
        var claimed = await db.Set<NotificationDeliveryRecord>()
            .Where(d => d.Id == deliveryId && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, lease).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
        if (claimed == 0)
        {
            return false;
        }

        var delivery = await db.Set<NotificationDeliveryRecord>().FirstAsync(d => d.Id == deliveryId, ct);
        try
        {
            await SendWithQuickRetriesAsync(
                channel ?? throw new InvalidOperationException($"Unknown delivery channel '{delivery.Channel}'."),
                delivery,
                ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RecordFailureAsync(db, delivery, Describe(ex, channel), ct);
            return true;
        }

        delivery.Status = DeliveryStatus.Delivered;
        delivery.DeliveredAt = _clock.GetUtcNow();
        delivery.LastError = null;
        await db.SaveChangesAsync(ct);
        _logger.LogInformation(
            "Delivery {DeliveryId} of notification {DeduplicationKey} by {Channel} to {Target} done after {Attempts} attempt(s)",
            delivery.Id,
            delivery.DeduplicationKey,
            delivery.Channel,
            delivery.Target,
            delivery.Attempts);
        return true;
    }

    private async Task SendWithQuickRetriesAsync(IDeliveryChannel channel, NotificationDeliveryRecord delivery, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(DeliveryKey, delivery.Id);
        try
        {
            await Pipeline(channel.Timeout).ExecuteAsync(
                static async (context, state) => await state.Channel.SendAsync(state.Delivery, context.CancellationToken),
                context,
                (Channel: channel, Delivery: delivery));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline Pipeline(TimeSpan timeout) => _pipelines.GetOrAdd(timeout, BuildPipeline);

    private ResiliencePipeline BuildPipeline(TimeSpan timeout)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _clock };
        if (_options.QuickRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.QuickRetries,
                Delay = _options.QuickRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    _logger.LogWarning(
                        "Delivery {DeliveryId}: try {Try} failed, trying again in {RetryDelay}: {Error}",
                        args.Context.Properties.GetValue(DeliveryKey, Guid.Empty),
                        args.AttemptNumber + 1,
                        args.RetryDelay,
                        args.Outcome.Exception?.Message);
                    return default;
                },
            });
        }

        return builder.AddTimeout(timeout).Build();
    }

    /// <summary>Every try timing out and every pause at its longest, plus a margin: the lease of a claimed row.</summary>
    private TimeSpan LongestAttempt(TimeSpan timeout)
    {
        var pauses = TimeSpan.Zero;
        for (var retry = 0; retry < _options.QuickRetries; retry++)
        {
            pauses += _options.QuickRetryDelay * Math.Pow(2, retry) * 1.5;
        }

        return (timeout * (_options.QuickRetries + 1)) + pauses + TimeSpan.FromMinutes(1);
    }

    private async Task RecordFailureAsync(KinerjaDbContext db, NotificationDeliveryRecord delivery, string error, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        delivery.LastError = error;
        if (delivery.Attempts < _options.MaxAttempts)
        {
            var pause = _options.RetryDelay * Math.Pow(2, delivery.Attempts - 1);
            delivery.NextAttemptAt = now + (pause < _options.MaxRetryDelay ? pause : _options.MaxRetryDelay);
            await db.SaveChangesAsync(ct);
            _logger.LogWarning(
                "Delivery {DeliveryId} of notification {DeduplicationKey} by {Channel} to {Target} failed (attempt {Attempts} of {MaxAttempts}), next at {NextAttemptAt}: {Error}",
                delivery.Id,
                delivery.DeduplicationKey,
                delivery.Channel,
                delivery.Target,
                delivery.Attempts,
                _options.MaxAttempts,
                delivery.NextAttemptAt,
                error);
            return;
        }

        delivery.Status = DeliveryStatus.Dead;
        delivery.NextAttemptAt = now;
        await db.SaveChangesAsync(ct);
        _logger.LogError(
            "Delivery {DeliveryId} of notification {DeduplicationKey} by {Channel} to {Target} failed for good after {Attempts} attempts and is kept as a dead letter: {Error}",
            delivery.Id,
            delivery.DeduplicationKey,
            delivery.Channel,
            delivery.Target,
            delivery.Attempts,
            error);
    }

    private static string Describe(Exception ex, IDeliveryChannel? channel)
    {
        var text = ex switch
        {
            TimeoutRejectedException => $"No answer within {channel?.Timeout} (timed out).",
            MailKit.Net.Smtp.SmtpCommandException smtp => $"SMTP {(int)smtp.StatusCode} {smtp.StatusCode}: {WithInner(smtp)}",
            _ => WithInner(ex),
        };
        return text.Length <= 1000 ? text : text[..1000];
    }

    private static string WithInner(Exception ex) =>
        ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})";

    private void OnClockMoved(DateTimeOffset now) => Wake();

    public override void Dispose()
    {
        if (_manualClock is not null)
        {
            _manualClock.Moved -= OnClockMoved;
        }

        _wake.Dispose();
        base.Dispose();
    }
}
