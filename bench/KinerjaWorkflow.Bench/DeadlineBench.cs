using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// 100,000 pending deadlines on SQLite, on the service's own Quartz store and trigger shape: how long storing
/// them takes, what it costs in memory, and how late they fire once the clock passes them. The clock is the
/// Testing environment's manual clock, so weeks of deadlines pass in minutes; lateness is the real time from the
/// moment the clock passed a deadline to the moment its job ran.
/// </summary>
/// <remarks>
/// Two phases. Trickle: the clock moves a simulated minute at a time over the first hours, a few deadlines per
/// move, with the whole pending set still in the store (the everyday case). Burst: the clock jumps past every
/// remaining deadline at once (the service coming back after days down, or thousands of steps due at the same
/// close of office), which measures how fast the backlog drains.
/// Usage: <c>deadlines [--count 100000] [--days 20] [--trickle-moves 240] [--data &lt;folder&gt;]</c>.
/// </remarks>
public static class DeadlineBench
{
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Each firing's scheduled instant and the real time its job ran.</summary>
    private static readonly ConcurrentQueue<(DateTimeOffset Due, long Wall)> Fired = new();

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--count", 100_000);
        var days = Option(args, "--days", 20);
        var trickleMoves = Option(args, "--trickle-moves", 240);
        var folder = OptionText(args, "--data") ?? Path.Combine(Path.GetTempPath(), "kinerja-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "deadlines.db");

        await UseWriteAheadLogAsync(database);
        var clock = new ManualClock(TimeProvider.System);
        clock.SetTo(Start);
        using var host = BuildHost(database, clock);
        await host.StartAsync();
        var triggers = host.Services.GetRequiredService<SchedulerTriggers>();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await WaitUntilRunningAsync(scheduler);

        Console.WriteLine($"Deadlines: {count:N0} pending over {days} simulated days, SQLite at {database}");
        Console.WriteLine($"Runtime: .NET {Environment.Version}, {Environment.ProcessorCount} core(s), server GC {System.Runtime.GCSettings.IsServerGC}");

        var window = TimeSpan.FromDays(days);
        var deadlines = Enumerable.Range(0, count)
            .Select(i => Start + TimeSpan.FromTicks(window.Ticks / count * (i + 1)))
            .ToList();

        var memoryBefore = Memory();
        var stopwatch = Stopwatch.StartNew();
        await triggers.ScheduleAsync(
            deadlines.Select((due, i) => SlaTriggers.PlanStep(StepId(i), due)).ToList(),
            CancellationToken.None);
        stopwatch.Stop();
        var memoryAfter = Memory();
        var stored = (await triggers.NamesAsync(SchedulerJobs.SlaStepGroup, CancellationToken.None)).Count;
        Console.WriteLine();
        Console.WriteLine($"Scheduling: {stored:N0} triggers stored in {stopwatch.Elapsed.TotalSeconds:F1} s ({stored / stopwatch.Elapsed.TotalSeconds:N0}/s)");
        Console.WriteLine($"Memory: managed heap {memoryBefore.Heap:N1} -> {memoryAfter.Heap:N1} MB, working set {memoryBefore.WorkingSet:N1} -> {memoryAfter.WorkingSet:N1} MB");
        Console.WriteLine($"Database file: {new FileInfo(database).Length / 1024.0 / 1024.0:N1} MB (WAL {WalSize(database):N1} MB)");

        var moves = new List<(DateTimeOffset Instant, long Wall)>();
        var step = TimeSpan.FromMinutes(1);
        var trickleEnd = Start + step * trickleMoves;
        var trickleCount = deadlines.Count(d => d <= trickleEnd);
        stopwatch.Restart();
        for (var i = 1; i <= trickleMoves; i++)
        {
            var to = Start + step * i;
            moves.Add((to, Stopwatch.GetTimestamp()));
            clock.SetTo(to);
            var due = deadlines.Count(d => d <= to);
            await WaitForFiredAsync(due, TimeSpan.FromSeconds(60));
        }

        Report("Trickle", trickleCount, stopwatch.Elapsed, RecordedLateness(moves, fromDue: Start));

        var end = Start + window;
        var burstMove = (end, Stopwatch.GetTimestamp());
        moves.Add(burstMove);
        stopwatch.Restart();
        clock.SetTo(end);
        await WaitForFiredAsync(count, TimeSpan.FromHours(2));
        Report("Burst", count - trickleCount, stopwatch.Elapsed, RecordedLateness(moves, fromDue: trickleEnd));
        var memoryEnd = Memory();
        using (var process = Process.GetCurrentProcess())
        {
            Console.WriteLine($"Memory after firing: managed heap {memoryEnd.Heap:N1} MB, working set {memoryEnd.WorkingSet:N1} MB, peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:N1} MB");
        }

        await host.StopAsync();
        SqliteConnection.ClearAllPools();
        if (OptionText(args, "--data") is null)
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    /// <summary>As the service's schema migrator leaves its database.</summary>
    private static async Task UseWriteAheadLogAsync(string database)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync();
    }

    private static IHost BuildHost(string database, ManualClock clock)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(new DatabaseSettings(
            DatabaseProvider.Sqlite,
            new SqliteConnectionStringBuilder { DataSource = database }.ToString(),
            Path.GetDirectoryName(database)!));
        builder.Services.AddQuartz(q =>
        {
            SchedulingServiceCollectionExtensions.UseDatabaseStore(q, postgres: false, clustered: false);
            q.AddJob<DeadlineJob>(j => j.WithIdentity(SchedulerJobs.SlaStep).StoreDurably());
        });
        builder.Services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = false;
        });
        builder.Services.AddSingleton<SchedulerTriggers>();
        return builder.Build();
    }

    private static async Task WaitForFiredAsync(int total, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (Fired.Count < total)
        {
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Only {Fired.Count:N0} of {total:N0} deadlines fired within {limit}.");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>Lateness of every firing due after <paramref name="fromDue"/>: from the clock move that passed it to its job.</summary>
    private static List<double> RecordedLateness(List<(DateTimeOffset Instant, long Wall)> moves, DateTimeOffset fromDue) =>
        Fired.Where(f => f.Due > fromDue)
            .Select(f =>
            {
                var move = moves.First(m => m.Instant >= f.Due);
                return Stopwatch.GetElapsedTime(move.Wall, f.Wall).TotalMilliseconds;
            })
            .Order()
            .ToList();

    private static void Report(string phase, int fired, TimeSpan elapsed, List<double> lateness)
    {
        Console.WriteLine();
        Console.WriteLine($"{phase}: {fired:N0} deadlines fired in {elapsed.TotalSeconds:F1} s ({fired / elapsed.TotalSeconds:N0}/s)");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  late by (ms): p50 {Percentile(lateness, 0.50):F0}, p90 {Percentile(lateness, 0.90):F0}, p99 {Percentile(lateness, 0.99):F0}, max {lateness[^1]:F0}"));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    private static (double Heap, double WorkingSet) Memory()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0;
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64 / 1024.0 / 1024.0);
    }

    private static double WalSize(string database) =>
        File.Exists(database + "-wal") ? new FileInfo(database + "-wal").Length / 1024.0 / 1024.0 : 0;

    private static Guid StepId(int i) => new(i, 0, 0, new byte[8]);

    private static async Task WaitUntilRunningAsync(IScheduler scheduler)
    {
        while (scheduler.Status != SchedulerStatus.Running)
        {
            await Task.Delay(10);
        }
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>Stands in for the SLA step job: records when it ran, so the bench measures the scheduler alone.</summary>
    private sealed class DeadlineJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            Fired.Enqueue((context.ScheduledFireTimeUtc ?? context.FireTimeUtc, Stopwatch.GetTimestamp()));
            return ValueTask.CompletedTask;
        }
    }
}
