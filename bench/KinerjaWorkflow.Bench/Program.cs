namespace KinerjaWorkflow.Bench;

/// <summary>Picks a benchmark suite by its first argument; the rest of the arguments belong to the suite.</summary>
internal static class Program
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench/KinerjaWorkflow.Bench -- [suite] [options]

        Suites:
          engine     instances started, tasks completed and whole Bina Marga instances walked per second
                     on SQLite through the real service, and the same walk in the pure engine (default)
          deadlines  100,000 pending deadlines in the schedule table, run by Hangfire: time to store
                     them, memory, how late they run with the one-minute sweep, and the drain after an outage
          inbox      inbox list latency with 1,000,000 tasks stored and task completions per second
                     over HTTP under concurrent clients
          providers  SQLite against a throwaway PostgreSQL cluster in one run: whole instances/s,
                     completions/s and p99 of the engine and inbox suites with 1, 4 and 16 clients
          peer       bpmn-engine (Node.js, in memory) on the same SOP shape beside the service
                     (persisted) and the engine alone, in one run, as ratios

        Run a suite with --help for its options.
        """;

    public static async Task<int> Main(string[] args)
    {
        var suiteGiven = args.Length > 0 && !args[0].StartsWith('-');
        var suite = suiteGiven ? args[0] : "engine";
        var rest = suiteGiven ? args[1..] : args;
        switch (suite)
        {
            case "engine":
                return await EngineBench.RunAsync(rest);
            case "deadlines":
                return await DeadlineBench.RunAsync(rest);
            case "inbox":
                return await InboxBench.RunAsync(rest);
            case "providers":
                return await ProviderBench.RunAsync(rest);
            case "peer":
                return await PeerBench.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync($"Unknown suite '{suite}'.");
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }
}
