namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// On SQLite, the instance commands of this process take their write transactions in turn. SQLite lets one writer in
/// at a time and makes the others wait in its busy handler, which sleeps 1, 2, 5, 10 ms and longer between looks,
/// while a command holds the lock for a fraction of a millisecond; with several clients at once the writers slept
/// more than they wrote. Here they wait in line instead, and each goes in as the one before it commits. One process
/// serves a SQLite database (<c>RunningServiceLock</c>), so a turn in it is enough; SQLite's own lock still guards
/// the file, and its busy handler still serves the writers that take no turn (sweeps, deliveries). On PostgreSQL,
/// where writers of different rows go in together, nobody waits for a turn.
/// </summary>
public sealed class WriteTurn(DatabaseSettings settings) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>
    /// Waits for the turn, to dispose once the transaction has ended. Take it only outside a transaction: one that
    /// already holds SQLite's lock, waiting here for a turn whose holder waits for that lock, would stall both.
    /// </summary>
    public async ValueTask<Turn> TakeAsync(CancellationToken ct)
    {
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            return default;
        }

        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    public void Dispose() => _turn.Dispose();

    /// <summary>A turn taken, or none (PostgreSQL); disposing it lets the next writer in.</summary>
    public readonly struct Turn(SemaphoreSlim? held) : IDisposable
    {
        public void Dispose() => held?.Release();
    }
}
