using System.Text.Json;
using System.Threading.Channels;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>
/// Carries the live streams' events between the nodes of a cluster on PostgreSQL: every event published on one
/// node goes out as a NOTIFY on <see cref="ChannelName"/>, and every node LISTENs on a connection of its own and
/// hands what another node published to its own streams, loading the record by id (a signal carries only ids
/// and whom it is for). On SQLite there is one node, and the streams are fed in process only.
/// </summary>
/// <remarks>
/// LISTEN/NOTIFY rather than a poll of the notifications table: a notice arrives as soon as the sender's
/// transaction commits, where a poll is either late by its interval or costs every node a query per interval
/// for the whole day, mostly finding nothing; and new tasks, which the streams show too, have no table of
/// "what happened since" to poll. NOTIFY is not stored: an event published while a node is reconnecting is not
/// seen live there, which the streams accept anyway (the pages read the stored notifications and inbox on load).
/// </remarks>
internal sealed class PostgresLiveRelay(
    DatabaseSettings database,
    LiveNotifications live,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<PostgresLiveRelay> logger) : BackgroundService
{
    public const string ChannelName = "kinerja_live";

    private const int BatchSize = 100;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    /// <summary>This process; a node skips its own signals, whose events its streams already have.</summary>
    private readonly Guid _node = Guid.NewGuid();

    private readonly Channel<string> _received = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private ChannelReader<LiveSignal>? _outgoing;

    /// <summary>Relays from the host's start, before the first request: ExecuteAsync runs in the background.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            _outgoing = live.StartRelaying();
        }

        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _outgoing is null
            ? Task.CompletedTask
            : Task.WhenAll(ListenAsync(stoppingToken), HandReceivedAsync(stoppingToken), SendAsync(_outgoing, stoppingToken));

    /// <summary>
    /// One dedicated connection, outside the pool (a pooled one would go back with its LISTEN when the relay
    /// reconnects). Lost, it is opened again after a backoff that doubles up to <see cref="LastRetry"/>.
    /// </summary>
    private async Task ListenAsync(CancellationToken stop)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "kinerja-live-relay",
        }.ToString();
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stop);
                connection.Notification += (_, e) => _received.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                if (failures > 0)
                {
                    logger.LogInformation("Live relay listening again on {Channel} after {Failures} failed attempt(s)", ChannelName, failures);
                }
                else
                {
                    logger.LogInformation("Live relay listening on {Channel}: live events reach streams on every node", ChannelName);
                }

                failures = 0;
                while (true)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var wait = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(failures - 1, 16)));
                logger.LogWarning(
                    ex,
                    "Live relay lost its PostgreSQL connection (attempt {Failures}); live events of other nodes are not seen until it listens again in {Wait}",
                    failures,
                    wait);
                try
                {
                    await Task.Delay(wait, clock, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Apart from the listening connection, whose thread must go straight back to waiting.</summary>
    private async Task HandReceivedAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var payload in _received.Reader.ReadAllAsync(stop))
            {
                RelayedSignal? relayed;
                try
                {
                    relayed = JsonSerializer.Deserialize<RelayedSignal>(payload);
                }
                catch (JsonException ex)
                {
                    logger.LogWarning(ex, "Live relay ignored a notice on {Channel} it cannot read: {Payload}", ChannelName, payload);
                    continue;
                }

                if (relayed is null || relayed.Node == _node || !live.IsWatched(relayed.Signal))
                {
                    continue;
                }

                try
                {
                    await HandAsync(relayed.Signal, stop);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Live relay could not hand {Kind} {Id} from another node to its streams", relayed.Signal.Kind, relayed.Signal.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task HandAsync(LiveSignal signal, CancellationToken ct)
    {
        if (signal.Kind == LiveNotifications.CloseSignal)
        {
            live.CloseHere(signal.UserName!);
            return;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        if (signal.Kind == LiveNotifications.NotificationEvent)
        {
            if (await db.Set<NotificationRecord>().AsNoTracking().FirstOrDefaultAsync(n => n.Id == signal.Id, ct) is { } notification)
            {
                live.Deliver(notification);
            }
        }
        else if (signal.Kind == LiveNotifications.TaskEvent
                 && await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == signal.Id, ct) is { } task)
        {
            live.Deliver(task);
        }
    }

    /// <summary>NOTIFY in batches on pooled connections; a batch that fails is logged and dropped, as live events may be.</summary>
    private async Task SendAsync(ChannelReader<LiveSignal> outgoing, CancellationToken stop)
    {
        var batch = new List<string>(BatchSize);
        try
        {
            while (await outgoing.WaitToReadAsync(stop))
            {
                batch.Clear();
                while (batch.Count < BatchSize && outgoing.TryRead(out var signal))
                {
                    batch.Add(JsonSerializer.Serialize(new RelayedSignal(_node, signal)));
                }

                try
                {
                    await using var connection = new NpgsqlConnection(database.ConnectionString);
                    await connection.OpenAsync(stop);
                    await using var notify = new NpgsqlBatch(connection);
                    foreach (var payload in batch)
                    {
                        notify.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
                        {
                            Parameters = { new NpgsqlParameter { Value = ChannelName }, new NpgsqlParameter { Value = payload } },
                        });
                    }

                    await notify.ExecuteNonQueryAsync(stop);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Live relay could not tell the other nodes {Count} live event(s); their streams miss them", batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private sealed record RelayedSignal(Guid Node, LiveSignal Signal);
}
