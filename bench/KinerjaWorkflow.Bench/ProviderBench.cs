using System.Diagnostics;
using System.Globalization;
using KinerjaWorkflow.Server.Tests.Infrastructure;

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

        using var postgres = providers.Contains("postgres") ? PostgresCluster.StartDurable() : null;
        if (postgres is not null)
        {
            Console.WriteLine($"Throwaway cluster on 127.0.0.1:{postgres.Port}: {postgres.Version()}");
        }

        // Both providers' services run side by side and take turns at each client count, so a change in the
        // machine's other load falls on both and the ratios stay fair.
        var rows = new List<ProviderRow>();
        await using (var engines = new SuiteHosts<EngineSuite>())
        {
            foreach (var provider in providers)
            {
                engines.Add(await EngineSuite.StartAsync(provider, DatabaseFor(postgres, provider)));
            }

            rows.AddRange(await engines.RunAsync(clientCounts, (suite, clients) => suite.RunAsync(clients, TimeSpan.FromSeconds(seconds))));
        }

        await using (var inboxes = new SuiteHosts<InboxSuite>())
        {
            foreach (var provider in providers)
            {
                inboxes.Add(await InboxSuite.StartAsync(provider, DatabaseFor(postgres, provider)));
            }

            rows.AddRange(await inboxes.RunAsync(clientCounts, (suite, clients) => suite.RunAsync(clients, completions)));
        }

        Print(rows, providers, loadAtStart, started, seconds, completions);
        return 0;
    }

    private static BenchDatabase? DatabaseFor(PostgresCluster? postgres, string provider) =>
        provider == "postgres" && postgres is not null ? BenchDatabase.Postgres(postgres.ConnectionString(postgres.CreateDatabase())) : null;

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
