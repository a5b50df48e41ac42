using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using KinerjaWorkflow.Server.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on a connection of its own, beside the commands
/// instead of inside one of them. Left to SQLite, the commit that takes the log past 1,000 pages copies them itself:
/// that command waits for the copy and its two syncs, and the rest of the work waits behind it. Here every
/// <see cref="CommitsPerCheckpoint"/>th commit only wakes this, and a passive checkpoint (one that waits for nobody)
/// copies what is committed while the commands go on.
/// </summary>
/// <remarks>
/// The service's connections still checkpoint themselves once the log holds <see cref="BackstopPages"/> pages
/// (<see cref="SqliteConnectionSetup"/>): should this stop or fall behind, the log stays bounded as SQLite bounds it.
/// Nothing is timed: an idle service commits nothing and has nothing to copy.
/// </remarks>
public sealed class WalCheckpointer : BackgroundService
{
    /// <summary>Commits between two checkpoints: a command's commit writes a few dozen pages.</summary>
    public const int CommitsPerCheckpoint = 32;

    /// <summary>
    /// The log's size, in pages, at which a committing connection checkpoints by itself: four times SQLite's own
    /// default, left for when this is not running.
    /// </summary>
    public const int BackstopPages = 4000;

    private readonly DatabaseSettings _settings;
    private readonly ILogger<WalCheckpointer> _logger;
    private readonly Counter<long> _pagesCopied;
    private readonly Channel<bool> _due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _commits;

    /// <summary>The log's pages, and how many of them were copied, after the last checkpoint.</summary>
    private (long InLog, long Copied) _last;

    public WalCheckpointer(DatabaseSettings settings, IMeterFactory meters, ILogger<WalCheckpointer> logger)
    {
        _settings = settings;
        _logger = logger;
        Meter = meters.Create(KinerjaMetrics.MeterName);
        _pagesCopied = Meter.CreateCounter<long>(
            "kinerja.database.checkpointed_pages", "{page}", "Pages of SQLite's write-ahead log copied into the database file by the background checkpoint.");
    }

    /// <summary>The service's meter, which operators already collect, with <c>kinerja.database.checkpointed_pages</c>.</summary>
    public Meter Meter { get; }

    /// <summary>Counts a commit of the service's and wakes the checkpoint at every <see cref="CommitsPerCheckpoint"/>th.</summary>
    public void Committed()
    {
        if (Interlocked.Increment(ref _commits) % CommitsPerCheckpoint == 0)
        {
            _due.Writer.TryWrite(true);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_settings.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        SqliteConnection? connection = null;
        try
        {
            await foreach (var _ in _due.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    connection ??= await OpenAsync(stoppingToken);
                    await CheckpointAsync(connection, stoppingToken);
                }
                catch (SqliteException e)
                {
                    _logger.LogWarning(e, "The background checkpoint of {Database} failed; the next commits' checkpoint tries again", connection?.DataSource);
                    await (connection?.DisposeAsync() ?? ValueTask.CompletedTask);
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await (connection?.DisposeAsync() ?? ValueTask.CompletedTask);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var setup = connection.CreateCommand();
        setup.CommandText = SqliteConnectionSetup.Pragmas(_settings.BusyTimeoutMilliseconds, _settings.Durability, BackstopPages);
        await setup.ExecuteNonQueryAsync(ct);
        return connection;
    }

    private async Task CheckpointAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct))
        {
            // SQLite answers busy, the pages in the log and the pages of it now copied (-1, -1 outside WAL mode).
            // The count of copied pages is of the whole log: a log that a writer restarted since counts from zero.
            var (inLog, copied) = (reader.GetInt64(1), reader.GetInt64(2));
            var now = inLog < _last.InLog || copied < _last.Copied ? copied : copied - _last.Copied;
            _last = (inLog, copied);
            if (now > 0)
            {
                _pagesCopied.Add(now);
            }

            _logger.LogDebug("Checkpointed {Copied} pages; the write-ahead log holds {InLog}", now, inLog);
        }
    }

    /// <summary>Tells the checkpointer of every transaction the service's contexts commit.</summary>
    internal sealed class Commits(WalCheckpointer checkpointer) : DbTransactionInterceptor
    {
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => checkpointer.Committed();

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            checkpointer.Committed();
            return Task.CompletedTask;
        }
    }
}
