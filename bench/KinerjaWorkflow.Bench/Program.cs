namespace KinerjaWorkflow.Bench;

/// <summary>Picks a benchmark suite by its first argument; the rest of the arguments belong to the suite.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "inbox":
                return await InboxBench.RunAsync(args[1..]);
            default:
                await Console.Error.WriteLineAsync("Usage: dotnet run -c Release --project bench/KinerjaWorkflow.Bench -- inbox [--help]");
                return 2;
        }
    }
}
