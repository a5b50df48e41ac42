using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The service and a peer side by side on the same SOP shape in one run: bpmn-engine (Node.js, in memory, nothing
/// persisted; ../shared/peer-bench) walking 11 steps with 15 user tasks, the service walking the Bina Marga SOP (11
/// steps, 15 completions) through SQLite, and the engine alone walking it in memory. The machine is shared, so the
/// figures are read as ratios of runs made minutes apart.
/// </summary>
internal static class PeerBench
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/KinerjaWorkflow.Bench -- peer [options]

          --peer PATH        the peer benchmark's folder (default: shared/peer-bench found upwards from the
                             repository, or KINERJA_PEER_BENCH); it is copied to a temporary folder and
                             installed there with npm ci
          --peer-instances N instances the peer walks (default 1000)
          --walks N          whole instances through the service (default 300)
          --engine-walks N   whole instances in the engine alone (default 20000)
          --durability D     Database:Durability of the service: Full (default) or Normal
        """;

    private const int Steps = 11;
    private const int ServiceWarmup = 30;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var peerFolder = Text(args, "--peer") ?? Environment.GetEnvironmentVariable("KINERJA_PEER_BENCH") ?? FindPeer();
        if (peerFolder is null || !File.Exists(Path.Combine(peerFolder, "run.js")))
        {
            await Console.Error.WriteLineAsync($"No peer benchmark (run.js) in {peerFolder ?? "shared/peer-bench above the repository"}; give its folder with --peer.");
            return 2;
        }

        var peerInstances = Number(args, "--peer-instances", 1000);
        var walks = Number(args, "--walks", 300);
        var engineWalks = Number(args, "--engine-walks", 20000);
        var durability = Text(args, "--durability") ?? "Full";
        var loadAtStart = MachineInfo.LoadAverage();

        var copy = Path.Combine(Path.GetTempPath(), "kinerja-peer-bench", Guid.NewGuid().ToString("N"));
        try
        {
            CopyPeer(peerFolder, copy);
            Console.WriteLine($"Installing the peer in {copy} (npm ci)...");
            await RunProcessAsync("npm", "ci --no-audit --no-fund", copy);
            Console.WriteLine($"Peer: node run.js --steps {Steps} --instances {peerInstances} (load average {MachineInfo.LoadAverage():F2})...");
            var peerOutput = await RunProcessAsync("node", string.Create(CultureInfo.InvariantCulture, $"run.js --steps {Steps} --instances {peerInstances}"), copy);
            var peer = PeerFigures.Parse(peerOutput);
            var loadAfterPeer = MachineInfo.LoadAverage();

            Console.WriteLine("Starting the service (Testing environment) on a fresh SQLite file...");
            await using var host = await BenchHost.StartAsync(
                RepositoryRoot.Find(), keep: false, settings: new Dictionary<string, string?> { [DatabaseSettings.DurabilityKey] = durability });
            host.Clock.SetTo(EngineBench.FrozenAt);
            var ceiling = DiskCeiling.Measure(host.Folder, host.Database, host.DatabasePath, 1000);
            var (definition, model, office) = await EngineBench.LoadSopAsync(host);
            var users = await host.SignInOfficeUsersAsync(definition.OfficeId);
            var plan = WalkPlan.For(model, users, EngineBench.Starter, EngineBench.Approval);
            var service = new ServiceWalker(host.Services, plan, EngineBench.DefinitionKey, host.Stopping);
            var engine = new EngineWalker(model, plan, office, EngineBench.FrozenAt);
            var tasksPerWalk = engine.Walk(null, null);
            for (var i = 0; i < ServiceWarmup; i++)
            {
                await service.WalkAsync(await service.StartAsync($"warmup-{i}"), null);
            }

            Console.WriteLine($"Service: {walks} whole instances, one client (durability {host.Database.Durability}, load average {MachineInfo.LoadAverage():F2})...");
            var persisted = new OperationLog("service: whole instance", "instances");
            for (var i = 0; i < walks; i++)
            {
                var businessKey = $"peer-{i}";
                var completed = await persisted.TimeAsync(async () => await service.WalkAsync(await service.StartAsync(businessKey), null));
                if (completed != tasksPerWalk)
                {
                    throw new InvalidOperationException($"A walk through the service completed {completed} tasks; the engine's completed {tasksPerWalk}.");
                }
            }

            Console.WriteLine($"Engine alone: {engineWalks} whole instances...");
            for (var i = 0; i < engineWalks / 10; i++)
            {
                engine.Walk(null, null);
            }

            var inMemory = new OperationLog("engine: whole instance", "instances");
            for (var i = 0; i < engineWalks; i++)
            {
                inMemory.Time(() => engine.Walk(null, null));
            }

            Print(peer, persisted.Result(), inMemory.Result(), tasksPerWalk, ceiling, loadAtStart, loadAfterPeer, MachineInfo.LoadAverage());
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(copy, recursive: true);
            }
            catch (IOException)
            {
                // The temp cleaner takes what a lingering handle kept.
            }
        }
    }

    private static void Print(
        PeerFigures peer, PhaseResult service, PhaseResult engine, int tasksPerWalk, DiskCeiling ceiling, double? loadAtStart, double? loadAfterPeer, double? loadAtEnd)
    {
        var c = CultureInfo.InvariantCulture;
        var machine = MachineInfo.Current(loadAtStart);
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"{machine.ProcessorCount} cores ({machine.Processor}), {machine.Runtime}; load average {loadAtStart:F2} at start, {loadAfterPeer:F2} after the peer, {loadAtEnd:F2} at the end"));
        Console.WriteLine(string.Create(c, $"Disk ceiling (durability {ceiling.Durability}): {ceiling.CommitsPerSecond:F0} commits/s; a whole instance commits {1 + tasksPerWalk} times, so at most {ceiling.InstancesPerSecond(1 + tasksPerWalk):F1} instances/s"));
        Console.WriteLine();
        Console.WriteLine("| what | user tasks per instance | instances/s | user tasks/s | ratio to the peer |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(c, $"| peer: {peer.Engine}, in memory, nothing persisted | {peer.UserTasksPerInstance} | {peer.InstancesPerSecond:F1} | {peer.TasksPerSecond:F1} | 1.00 |"));
        Console.WriteLine(string.Create(c, $"| service, persisted in SQLite ({ceiling.Durability}), one client | {tasksPerWalk} | {service.PerSecond:F1} | {service.PerSecond * tasksPerWalk:F1} | {service.PerSecond / peer.InstancesPerSecond:F2} |"));
        Console.WriteLine(string.Create(c, $"| engine alone, in memory | {tasksPerWalk} | {engine.PerSecond:F1} | {engine.PerSecond * tasksPerWalk:F1} | {engine.PerSecond / peer.InstancesPerSecond:F1} |"));
    }

    /// <summary>shared/peer-bench in the repository's folder or one above it (the worktrees sit beside shared/).</summary>
    private static string? FindPeer()
    {
        for (var folder = new DirectoryInfo(RepositoryRoot.Find()); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "peer-bench");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The peer's own files only: node_modules is installed afresh by npm ci from its lock file.</summary>
    private static void CopyPeer(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetAttributes(target, FileAttributes.Normal);
        }
    }

    private static async Task<string> RunProcessAsync(string program, string arguments, string folder)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{program} {arguments} failed with exit code {process.ExitCode}: {await error}{await output}");
    }

    private static string? Text(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int Number(string[] args, string name, int fallback) =>
        Text(args, name) is { } text ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>The peer's one JSON line: {"engine", "instances", "userTasksPerInstance", "instancesPerSecond", "tasksPerSecond", ...}.</summary>
internal sealed record PeerFigures(string Engine, int UserTasksPerInstance, double InstancesPerSecond, double TasksPerSecond)
{
    public static PeerFigures Parse(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"The peer printed no JSON line: {output}");
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new PeerFigures(
            root.GetProperty("engine").GetString() ?? "peer",
            root.GetProperty("userTasksPerInstance").GetInt32(),
            root.GetProperty("instancesPerSecond").GetDouble(),
            root.GetProperty("tasksPerSecond").GetDouble());
    }
}
