using Microsoft.Extensions.Caching.Memory;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>
/// The audit trails already read, so the next read of an instance's trail asks the database only for the lines after
/// the last one kept: a completion's answer carries the whole trail, and reading it whole again each time was a fifth of
/// what a completion allocated. Sound on any node and at any time: a line never changes once written (the database
/// refuses it), and an instance's lines commit in sequence order, each command behind the instance's version, so once a
/// line is visible every line before it is too. Bounded by lines kept; the least recently used trails go first.
/// </summary>
public sealed class KnownTrails : IDisposable
{
    /// <summary>About 15 MB: some 600 whole instances of the Bina Marga SOP's 32 lines.</summary>
    public const int MaxLines = 20_000;

    private readonly MemoryCache _trails = new(new MemoryCacheOptions { SizeLimit = MaxLines });

    /// <summary>The lines kept of the instance's trail, in sequence order; none when it has not been read lately.</summary>
    public HistoryEntry[] Of(Guid instanceId) => _trails.TryGetValue(instanceId, out HistoryEntry[]? lines) ? lines! : [];

    public void Remember(Guid instanceId, HistoryEntry[] lines)
    {
        using var entry = _trails.CreateEntry(instanceId);
        entry.Value = lines;
        entry.Size = lines.Length;
    }

    public void Dispose() => _trails.Dispose();
}
