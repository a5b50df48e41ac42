using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// 100,000 pending deadlines in the service's own schedule table, run by the service's own Hangfire set-up (its
/// SQLite storage beside the database, its sweep, its job per item): how long storing them takes, what it costs
/// in memory, how late they run, and how fast a backlog drains. The clock is the Testing environment's manual
/// clock, so weeks of deadlines pass in minutes.
/// </summary>
/// <remarks>
/// Two phases. Trickle: the clock moves one simulated minute at a time and the sweep runs after each move, as the
/// recurring sweep does once a minute, with the whole pending set still stored. A deadline's lateness is the
/// simulated time from its instant to the sweep that found it (up to a minute) plus the real time from that sweep
/// to its job running. Burst: the clock jumps past every remaining deadline at once (the service coming back
/// after three days down) and one sweep hands the backlog to Hangfire; the drain is measured until the last runs.
/// The job is a stand-in that records when it ran, so the figures are the schedule's and Hangfire's, not a
/// notification's. Usage: <c>deadlines [--count 100000] [--days 20] [--trickle-moves 240] [--keep]</c>.
/// </remarks>
public static class DeadlineBench
{
    public const string Kind = "bench-deadline";

    private static readonly DateTimeOffset Start = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Each run's item id and the real time its job ran.</summary>
    internal static readonly ConcurrentDictionary<Guid, long> Ran = new();

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--count", 100_000);
        var days = Option(args, "--days", 20);
        var trickleMoves = Option(args, "--trickle-moves", 240);
        var keep = args.Contains("--keep");
        var folder = Path.Combine(Path.GetTempPath(), "kinerja-deadline-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var app = BenchService.Build(
            folder,
            folder,
            Path.Combine(RepositoryRoot.Find(), "workflows"),
            "bench-deadlines",
            configure: s => s.AddScoped<IScheduledItemPerformer, StandInDeadline>());
        try
        {
            await app.PrepareKinerjaAsync();
            await app.StartAsync();
            return await MeasureAsync(app, folder, count, days, trickleMoves);
        }
        finally
        {
            await BenchService.StopAsync(app, folder, keep);
        }
    }

    private static async Task<int> MeasureAsync(WebApplication app, string folder, int count, int days, int trickleMoves)
    {
        var clock = app.Services.GetRequiredService<ManualClock>();
        var sweep = app.Services.GetRequiredService<ScheduleSweep>();
        clock.SetTo(Start);
        Console.WriteLine($"Deadlines: {count:N0} pending over {days} simulated days, SQLite in {folder}");
        Console.WriteLine($"Runtime: .NET {Environment.Version}, {Environment.ProcessorCount} core(s), server GC {System.Runtime.GCSettings.IsServerGC}");

        var window = TimeSpan.FromDays(days);
        var deadlines = Enumerable.Range(0, count)
            .Select(i => (Id: new Guid(i + 1, 0, 0, new byte[8]), Due: Start + TimeSpan.FromTicks(window.Ticks / count * (i + 1))))
            .ToList();
        var memoryBefore = Memory();
        var stopwatch = Stopwatch.StartNew();
        foreach (var batch in deadlines.Chunk(1000))
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            db.ScheduledItems.AddRange(batch.Select(d =>
            {
                var item = ScheduledItemRecord.Pending(Kind, $"{Kind}:{d.Id}", d.Due, Start);
                item.Id = d.Id;
                return item;
            }));
            await db.SaveChangesAsync();
        }

        stopwatch.Stop();
        var memoryAfter = Memory();
        Console.WriteLine();
        Console.WriteLine($"Storing: {count:N0} rows in {stopwatch.Elapsed.TotalSeconds:F1} s ({count / stopwatch.Elapsed.TotalSeconds:N0}/s), batches of 1,000 per transaction");
        Console.WriteLine($"Memory: managed heap {memoryBefore.Heap:N1} -> {memoryAfter.Heap:N1} MB, working set {memoryBefore.WorkingSet:N1} -> {memoryAfter.WorkingSet:N1} MB");
        Console.WriteLine($"Database file: {FileMb(Path.Combine(folder, "kinerja.db")):N1} MB (WAL {FileMb(Path.Combine(folder, "kinerja.db-wal")):N1} MB)");

        var lateness = new List<double>();
        var step = TimeSpan.FromMinutes(1);
        var trickleEnd = Start + step * trickleMoves;
        stopwatch.Restart();
        for (var i = 1; i <= trickleMoves; i++)
        {
            var to = Start + step * i;
            clock.SetTo(to);
            var swept = Stopwatch.GetTimestamp();
            await sweep.SweepAsync(CancellationToken.None);
            var due = deadlines.Where(d => d.Due <= to && d.Due > to - step).ToList();
            await WaitForRunAsync(due.Select(d => d.Id), TimeSpan.FromSeconds(60));
            lateness.AddRange(due.Select(d => (to - d.Due).TotalMilliseconds + Stopwatch.GetElapsedTime(swept, Ran[d.Id]).TotalMilliseconds));
        }

        var trickleCount = deadlines.Count(d => d.Due <= trickleEnd);
        Report("Trickle (sweep each simulated minute)", trickleCount, stopwatch.Elapsed, lateness);

        clock.SetTo(trickleEnd + TimeSpan.FromDays(3));
        var burst = deadlines.Where(d => d.Due > trickleEnd && d.Due <= clock.GetUtcNow()).ToList();
        stopwatch.Restart();
        var handed = await sweep.SweepAsync(CancellationToken.None);
        var sweptIn = stopwatch.Elapsed;
        await WaitForRunAsync(burst.Select(d => d.Id), TimeSpan.FromHours(2));
        Console.WriteLine();
        Console.WriteLine($"Burst (three days down): {burst.Count:N0} due at once, {handed.Count:N0} handed to Hangfire by one sweep in {sweptIn.TotalSeconds:F1} s, all run in {stopwatch.Elapsed.TotalSeconds:F1} s ({burst.Count / stopwatch.Elapsed.TotalSeconds:N0}/s)");
        var memoryEnd = Memory();
        using (var process = Process.GetCurrentProcess())
        {
            Console.WriteLine($"Memory after running: managed heap {memoryEnd.Heap:N1} MB, working set {memoryEnd.WorkingSet:N1} MB, peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:N1} MB");
        }

        Console.WriteLine($"Hangfire storage file: {FileMb(Path.Combine(folder, "kinerja.hangfire.db")):N1} MB");
        return 0;
    }

    private static async Task WaitForRunAsync(IEnumerable<Guid> ids, TimeSpan limit)
    {
        var waiting = ids.ToList();
        var watch = Stopwatch.StartNew();
        while (waiting.Count > 0)
        {
            waiting.RemoveAll(Ran.ContainsKey);
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"{waiting.Count:N0} deadline(s) did not run within {limit}.");
            }

            await Task.Delay(2);
        }
    }

    private static void Report(string phase, int ran, TimeSpan elapsed, List<double> lateness)
    {
        lateness.Sort();
        Console.WriteLine();
        Console.WriteLine($"{phase}: {ran:N0} deadlines run in {elapsed.TotalSeconds:F1} s");
        if (lateness.Count > 0)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  late by (s): p50 {Percentile(lateness, 0.50) / 1000:F1}, p90 {Percentile(lateness, 0.90) / 1000:F1}, p99 {Percentile(lateness, 0.99) / 1000:F1}, max {lateness[^1] / 1000:F1}"));
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    private static (double Heap, double WorkingSet) Memory()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0;
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64 / 1024.0 / 1024.0);
    }

    private static double FileMb(string path) => File.Exists(path) ? new FileInfo(path).Length / 1024.0 / 1024.0 : 0;

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Stands in for a reminder: records when its job ran, and finishes the item as every performer does.</summary>
    private sealed class StandInDeadline(TimeProvider clock) : IScheduledItemPerformer
    {
        public IReadOnlyList<string> Kinds { get; } = [Kind];

        public Task PerformAsync(ScheduledItemRecord item, CancellationToken ct)
        {
            Ran.TryAdd(item.Id, Stopwatch.GetTimestamp());
            item.Finish(ScheduledStatus.Done, clock.GetUtcNow());
            return Task.CompletedTask;
        }

        public Task AttemptFailedAsync(ScheduledItemRecord item, string error, bool final, CancellationToken ct) => Task.CompletedTask;
    }
}
