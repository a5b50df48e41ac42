using System.Diagnostics;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The time and the managed allocations of each operation of one phase. A phase's rate is its operations
/// over the time spent inside them, so untimed bookkeeping between operations never counts. Concurrent clients
/// may share one log; their allocations then mix, and only the counts and times mean anything.
/// </summary>
internal sealed class OperationLog(string name, string unit)
{
    private readonly List<long> _ticks = [];
    private long _allocatedBytes;

    public string Name { get; } = name;
    public string Unit { get; } = unit;

    public async Task<T> TimeAsync<T>(Func<Task<T>> operation)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var result = await operation();
        Add(Stopwatch.GetTimestamp() - started, GC.GetTotalAllocatedBytes() - allocated);
        return result;
    }

    public T Time<T>(Func<T> operation)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var result = operation();
        Add(Stopwatch.GetTimestamp() - started, GC.GetTotalAllocatedBytes() - allocated);
        return result;
    }

    public PhaseResult Result()
    {
        if (_ticks.Count == 0)
        {
            throw new InvalidOperationException($"Phase '{Name}' timed nothing.");
        }

        var sorted = _ticks.Order().ToArray();
        var totalSeconds = (double)sorted.Sum() / Stopwatch.Frequency;
        return new PhaseResult(
            Name,
            Unit,
            sorted.Length,
            totalSeconds,
            sorted.Length / totalSeconds,
            Milliseconds(sorted.Average()),
            Milliseconds(Percentile(sorted, 0.50)),
            Milliseconds(Percentile(sorted, 0.99)),
            Milliseconds(sorted[^1]),
            _allocatedBytes / sorted.Length);
    }

    private void Add(long ticks, long allocatedBytes)
    {
        lock (_ticks)
        {
            _ticks.Add(ticks);
            _allocatedBytes += allocatedBytes;
        }
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="share"/> of the values at or below it.</summary>
    private static long Percentile(long[] sorted, double share) =>
        sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Milliseconds(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

internal sealed record PhaseResult(
    string Name,
    string Unit,
    int Count,
    double Seconds,
    double PerSecond,
    double MeanMs,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long AllocatedBytesPerOperation);
