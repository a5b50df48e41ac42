using System.Diagnostics;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The time and the managed allocations of each operation of one phase. A phase's rate is its operations
/// over the time spent inside them, so untimed bookkeeping between operations never counts. Concurrent clients
/// may share one log; their allocations then mix, and only the counts and times mean anything.
/// The process's CPU time inside the operations is kept too: on a machine shared with other work, a wall time
/// grows with the queue for the cores, while the CPU an operation costs stays about what the code spends on it.
/// </summary>
internal sealed class OperationLog(string name, string unit)
{
    private readonly List<long> _ticks = [];
    private long _allocatedBytes;
    private TimeSpan _cpu;

    public string Name { get; } = name;
    public string Unit { get; } = unit;

    public async Task<T> TimeAsync<T>(Func<Task<T>> operation)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var result = await operation();
        Add(Stopwatch.GetTimestamp() - started, GC.GetTotalAllocatedBytes() - allocated, Environment.CpuUsage.TotalTime - cpu);
        return result;
    }

    public T Time<T>(Func<T> operation)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var result = operation();
        Add(Stopwatch.GetTimestamp() - started, GC.GetTotalAllocatedBytes() - allocated, Environment.CpuUsage.TotalTime - cpu);
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
            _allocatedBytes / sorted.Length)
        {
            CpuMsPerOperation = _cpu.TotalMilliseconds / sorted.Length,
        };
    }

    private void Add(long ticks, long allocatedBytes, TimeSpan cpu)
    {
        lock (_ticks)
        {
            _ticks.Add(ticks);
            _allocatedBytes += allocatedBytes;
            _cpu += cpu;
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
    long AllocatedBytesPerOperation)
{
    /// <summary>The whole process's CPU time (every thread, the GC's too) spent inside the operations, per operation.</summary>
    public double CpuMsPerOperation { get; init; }
}
