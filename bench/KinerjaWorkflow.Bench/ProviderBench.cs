using System.Diagnostics;
using System.Globalization;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// SQLite against PostgreSQL in one run: the engine suite's whole Bina Marga instances through the service layer
/// and the inbox suite's completions over HTTP, each from 1, 4 and 16 concurrent clients, on the same machine
/// in the same minutes, so the two providers compare as ratios even when other work shares the cores.
/// </summary>
internal static class ProviderBench
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench/KinerjaWorkflow.Bench -- providers [options]

          --providers a,b   providers to run, in this order (default sqlite,postgres)
          --clients a,b,c   concurrent clients of each configuration (default 1,4,16)
          --seconds N       engine: how long each configuration starts new walks (default 20)
          --completions N   inbox: tasks completed per configuration (default 1000)

        PostgreSQL is a throwaway cluster the bench starts itself (initdb and pg_ctl from
        /usr/lib/postgresql/<version>/bin or KINERJA_PG_BIN, as the postgres user when run as root).
        """;

    private const int EngineWarmupWalks = 20;
    private const int InboxWarmupCompletions = 200;
    private const int InboxStaffPerRole = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var providers = List(args, "--providers") ?? ["sqlite", "postgres"];
        if (providers.FirstOrDefault(p => p is not ("sqlite" or "postgres")) is { } unknown)
        {
            await Console.Error.WriteLineAsync($"Unknown provider '{unknown}'; use sqlite and/or postgres.");
            return 2;
        }

        var clientCounts = (List(args, "--clients") ?? ["1", "4", "16"]).Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var seconds = Option(args, "--seconds", 20);
        var completions = Option(args, "--completions", 1000);
        var loadAtStart = MachineInfo.LoadAverage();
        var started = DateTimeOffset.UtcNow;

        await using var postgres = providers.Contains("postgres") ? await BenchPostgres.StartAsync() : null;
        if (postgres is not null)
        {
            Console.WriteLine($"Throwaway cluster on 127.0.0.1:{postgres.Port}: {postgres.Version}");
        }

        var rows = new List<ProviderRow>();
        foreach (var provider in providers)
        {
            var engineDatabase = postgres is null || provider == "sqlite" ? null : BenchDatabase.Postgres(await postgres.CreateDatabaseAsync("bench_engine"));
            rows.AddRange(await EngineAsync(provider, engineDatabase, clientCounts, TimeSpan.FromSeconds(seconds)));
            var inboxDatabase = postgres is null || provider == "sqlite" ? null : BenchDatabase.Postgres(await postgres.CreateDatabaseAsync("bench_inbox"));
            rows.AddRange(await InboxAsync(provider, inboxDatabase, clientCounts, completions));
        }

        Print(rows, providers, loadAtStart, started, seconds, completions);
        return 0;
    }

    /// <summary>Clients walk whole Bina Marga instances (start, 15 completions, the reads between) until the time is up.</summary>
    private static async Task<IEnumerable<ProviderRow>> EngineAsync(string provider, BenchDatabase? database, int[] clientCounts, TimeSpan duration)
    {
        Console.WriteLine($"[{provider}] engine suite: starting the service...");
        await using var host = await BenchHost.StartAsync(RepositoryRoot.Find(), keep: false, database);
        host.Clock.SetTo(EngineBench.FrozenAt);
        var (definition, model, _) = await EngineBench.LoadSopAsync(host);
        var users = await host.SignInOfficeUsersAsync(definition.OfficeId);
        var service = new ServiceWalker(host.Services, WalkPlan.For(model, users, EngineBench.Starter, EngineBench.Approval), EngineBench.DefinitionKey, host.Stopping);
        for (var i = 0; i < EngineWarmupWalks; i++)
        {
            await service.WalkAsync(await service.StartAsync($"warmup-{i}"), null);
        }

        var rows = new List<ProviderRow>();
        foreach (var clients in clientCounts)
        {
            var walks = new OperationLog("whole instance", "instances");
            var completed = new OperationLog("complete task", "tasks");
            var errors = 0;
            string? firstError = null;
            var walkNumber = 0;
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var clock = Stopwatch.StartNew();
            // Task.Run: SQLite's async calls complete synchronously, so without it the first client would run alone
            // until the time is up.
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < until)
                {
                    var businessKey = $"walk-{clients}-{Interlocked.Increment(ref walkNumber)}";
                    try
                    {
                        await walks.TimeAsync(async () => await service.WalkAsync(await service.StartAsync(businessKey), completed));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, ex.GetBaseException().Message, null);
                    }
                }
            })));
            var elapsed = clock.Elapsed.TotalSeconds;
            var whole = walks.Result();
            var tasks = completed.Result();
            var row = new ProviderRow(provider, "engine", clients, whole.Count / elapsed, tasks.Count / elapsed, tasks.P99Ms, whole.P99Ms, errors);
            Console.WriteLine($"[{provider}] engine, {clients,2} client(s): {row.InstancesPerSecond:F1} instances/s, {row.CompletionsPerSecond:F1} completions/s, " +
                $"p99 completion {row.P99Ms:F1} ms, p99 instance {row.InstanceP99Ms:F1} ms, {errors} error(s){(firstError is null ? "" : ": " + firstError)}");
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The inbox suite's completion runs over HTTP: each completion commits the instance and creates the next step's task.</summary>
    private static async Task<IEnumerable<ProviderRow>> InboxAsync(string provider, BenchDatabase? database, int[] clientCounts, int completions)
    {
        Console.WriteLine($"[{provider}] inbox suite: starting the service on Kestrel...");
        await using var host = await InboxBenchHost.StartAsync(1, InboxStaffPerRole, keep: false, _ => Task.CompletedTask, database);
        using var sessions = new InboxSessions(host.BaseAddress);
        var users = await InboxBench.StaffClientsAsync(sessions.AsAsync, InboxStaffPerRole);
        await InboxBench.CompleteTasksAsync(users, 4, InboxWarmupCompletions, "WARMUP");

        var rows = new List<ProviderRow>();
        foreach (var clients in clientCounts)
        {
            var run = await InboxBench.CompleteTasksAsync(users, clients, completions, $"LOAD-{clients}");
            var row = new ProviderRow(provider, "inbox", clients, run.StartsPerSecond, run.CompletionsPerSecond, run.P99Ms, null, run.Errors);
            Console.WriteLine($"[{provider}] inbox, {clients,2} client(s): {row.CompletionsPerSecond:F1} completions/s (p50 {run.P50Ms:F1} ms, p99 {run.P99Ms:F1} ms), " +
                $"{run.StartsPerSecond:F1} starts/s, {run.Errors} error(s)");
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The figures as Markdown tables, ready for bench/README.md, with PostgreSQL over SQLite as ratios.</summary>
    private static void Print(List<ProviderRow> rows, IReadOnlyList<string> providers, double? loadAtStart, DateTimeOffset started, int seconds, int completions)
    {
        var machine = MachineInfo.Current(loadAtStart);
        Console.WriteLine();
        Console.WriteLine($"{started:yyyy-MM-dd HH:mm} UTC, {machine.ProcessorCount} cores ({machine.Processor}), {machine.OperatingSystem}, {machine.Runtime}; " +
            $"load average {loadAtStart:F2} at start, {machine.LoadAverageAtEnd:F2} at end; engine {seconds} s per configuration, inbox {completions} completions per configuration.");
        Console.WriteLine();
        Console.WriteLine("| suite | provider | clients | instances/s | completions/s | p99 completion ms | p99 whole instance ms | errors |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows.OrderBy(r => r.Suite, StringComparer.Ordinal).ThenBy(r => r.Clients).ThenBy(r => providers.ToList().IndexOf(r.Provider)))
        {
            Console.WriteLine($"| {row.Suite} | {row.Provider} | {row.Clients} | {row.InstancesPerSecond:F1} | {row.CompletionsPerSecond:F1} | {row.P99Ms:F1} | " +
                $"{(row.InstanceP99Ms is { } p99 ? p99.ToString("F1", CultureInfo.InvariantCulture) : "–")} | {row.Errors} |");
        }

        if (!providers.Contains("sqlite") || !providers.Contains("postgres"))
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| suite | clients | PostgreSQL ÷ SQLite, instances/s | completions/s | p99 completion |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var sqlite in rows.Where(r => r.Provider == "sqlite").OrderBy(r => r.Suite, StringComparer.Ordinal).ThenBy(r => r.Clients))
        {
            var postgres = rows.Single(r => r.Provider == "postgres" && r.Suite == sqlite.Suite && r.Clients == sqlite.Clients);
            Console.WriteLine($"| {sqlite.Suite} | {sqlite.Clients} | {postgres.InstancesPerSecond / sqlite.InstancesPerSecond:F2} | " +
                $"{postgres.CompletionsPerSecond / sqlite.CompletionsPerSecond:F2} | {postgres.P99Ms / sqlite.P99Ms:F2} |");
        }
    }

    private static string[]? List(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
    }

    private static int Option(string[] args, string name, int fallback) =>
        List(args, name) is [var text] ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}

/// <param name="InstancesPerSecond">Engine: whole instances walked; inbox: instances started (untimed set-up of the run).</param>
/// <param name="P99Ms">p99 of one task completion.</param>
/// <param name="InstanceP99Ms">Engine only: p99 of one whole instance.</param>
internal sealed record ProviderRow(
    string Provider, string Suite, int Clients, double InstancesPerSecond, double CompletionsPerSecond, double P99Ms, double? InstanceP99Ms, int Errors);
