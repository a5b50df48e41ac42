using System.Globalization;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// Throughput of the Dinas Bina Marga SOP on SQLite through the real service, and of the same walk in the pure
/// engine, so the share of persistence in each operation is visible.
/// </summary>
internal static class EngineBench
{
    public const string DefinitionKey = "bina-marga-pengumpulan-data-kinerja";

    /// <summary>The Kepala Dinas, who orders the data collection (step 1).</summary>
    internal const string Starter = "erasukma";

    /// <summary>Step 9's approving outcome: the walk goes straight to the end.</summary>
    internal const string Approval = "setuju";

    /// <summary>
    /// A Tuesday morning in WIB, not a holiday: the clock stands still here so every run computes the same
    /// deadlines and no reminder or timer comes due while the benchmark runs.
    /// </summary>
    internal static readonly DateTimeOffset FrozenAt = new(2025, 6, 3, 9, 0, 0, TimeSpan.FromHours(7));

    /// <summary>The engine is cheap enough that it needs many more walks than the service to warm up.</summary>
    private const int EngineWarmupFactor = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(EngineBenchOptions.Usage);
            return 0;
        }

        var (options, error) = EngineBenchOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error);
            await Console.Error.WriteLineAsync(EngineBenchOptions.Usage);
            return 2;
        }

        var loadAtStart = MachineInfo.LoadAverage();
        var root = RepositoryRoot.Find();
        Console.WriteLine("Starting the service (Testing environment) on a fresh SQLite file...");
        await using var host = await BenchHost.StartAsync(
            root, options.Keep, settings: new Dictionary<string, string?> { [DatabaseSettings.DurabilityKey] = options.Durability });
        host.Clock.SetTo(FrozenAt);
        Console.WriteLine($"Measuring the disk: {options.CeilingCommits} plain SQLite commits with the service's settings (durability {host.Database.Durability})...");
        var ceiling = DiskCeiling.Measure(host.Folder, host.Database, host.DatabasePath, options.CeilingCommits);
        Console.WriteLine($"  {ceiling.CommitsPerSecond:F0} commits/s (p50 {ceiling.P50Ms:F3} ms, p99 {ceiling.P99Ms:F3} ms)");
        var (definition, model, office) = await LoadSopAsync(host);
        var users = await host.SignInOfficeUsersAsync(definition.OfficeId);
        var plan = WalkPlan.For(model, users, Starter, Approval);
        var service = new ServiceWalker(host.Services, plan, DefinitionKey, host.Stopping);
        var engine = new EngineWalker(model, plan, office, FrozenAt);
        Console.WriteLine($"SQLite file: {host.DatabasePath}");
        Console.WriteLine($"{DefinitionKey} v{definition.Version} of {definition.OfficeId}; demo users signed in: {string.Join(", ", users.Select(u => u.UserName))}");

        var tasksPerWalk = engine.Walk(null, null);
        Console.WriteLine($"Warm-up: {options.Warmup} walks through the service, {options.Warmup * EngineWarmupFactor} in the engine...");
        for (var i = 0; i < options.Warmup; i++)
        {
            ExpectTasks(await service.WalkAsync(await service.StartAsync($"warmup-{i}"), null), tasksPerWalk);
        }

        for (var i = 0; i < options.Warmup * EngineWarmupFactor; i++)
        {
            engine.Walk(null, null);
        }

        var profiled = await RoundTrips.CaptureAsync(service, "round-trips", "round-trips-twin");
        var commitsPerInstance = RoundTrips.Print(profiled[0], options.Sql, Console.Out);
        var floor = StatementFloor.Of(profiled[0], profiled[1]);
        Console.WriteLine($"Statement floor: {floor.Statements} statements, {floor.Commits} commits per whole instance; texts of its own: {string.Join(", ", floor.OwnTexts)}");
        var phases = new List<PhaseResult>();

        Settle();
        Console.WriteLine($"Starting {options.Instances} instances...");
        var starts = new OperationLog("service: start instance", "instances");
        var started = new List<StartedInstance>(options.Instances);
        for (var i = 0; i < options.Instances; i++)
        {
            var businessKey = $"start-{i}";
            started.Add(await starts.TimeAsync(() => service.StartAsync(businessKey)));
        }

        phases.Add(starts.Result());

        Settle();
        Console.WriteLine($"Walking {options.TaskWalks} of them to the end, timing each completion...");
        var completions = new OperationLog("service: complete task", "tasks");
        foreach (var instance in started.Take(options.TaskWalks))
        {
            ExpectTasks(await service.WalkAsync(instance, completions), tasksPerWalk);
        }

        await ExpectEndedAsync(service, started.Take(options.TaskWalks).Select(i => i.Id));

        phases.Add(completions.Result());

        Settle();
        Console.WriteLine($"Walking {options.TaskWalks} more through the command runner alone, timing each completion...");
        var commands = new OperationLog("runner: complete task", "tasks");
        foreach (var instance in started.Skip(options.TaskWalks).Take(options.TaskWalks))
        {
            ExpectTasks(await service.WalkAsync(instance, commands, commandOnly: true), tasksPerWalk);
        }

        await ExpectEndedAsync(service, started.Skip(options.TaskWalks).Take(options.TaskWalks).Select(i => i.Id));

        phases.Add(commands.Result());

        Settle();
        Console.WriteLine($"Walking {options.Walks} whole instances end to end...");
        var walks = new OperationLog("service: whole instance", "instances");
        var walked = new List<Guid>(options.Walks);
        for (var i = 0; i < options.Walks; i++)
        {
            var businessKey = $"walk-{i}";
            walked.Add(await walks.TimeAsync(async () =>
            {
                var instance = await service.StartAsync(businessKey);
                ExpectTasks(await service.WalkAsync(instance, null), tasksPerWalk);
                return instance.Id;
            }));
        }

        await ExpectEndedAsync(service, walked);

        phases.Add(walks.Result());

        Settle();
        Console.WriteLine($"Replaying the {floor.Statements} statements of one whole instance {options.Walks} times as plain ADO.NET, created afresh and prepared once in turn...");
        phases.AddRange(floor.Measure(host.Folder, host.DatabasePath, host.Database, options.Walks));
        Console.WriteLine($"  each replay left the profiled walk's rows: {floor.Checked}");
        Console.WriteLine("  where its time goes, per whole instance (statements; ms created afresh; ms prepared once):");
        foreach (var (kind, count, freshMs, preparedMs) in floor.Breakdown)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {kind,-32} {count,4} {freshMs,8:F2} {preparedMs,8:F2}"));
        }


        Settle();
        Console.WriteLine($"Walking {options.EngineWalks} instances in the engine alone, twice...");
        var engineWalks = new OperationLog("engine: whole instance", "instances");
        for (var i = 0; i < options.EngineWalks; i++)
        {
            ExpectTasks(engineWalks.Time(() => engine.Walk(null, null)), tasksPerWalk);
        }

        Settle();
        var engineStarts = new OperationLog("engine: start instance", "instances");
        var engineCompletions = new OperationLog("engine: complete task", "tasks");
        for (var i = 0; i < options.EngineWalks; i++)
        {
            ExpectTasks(engine.Walk(engineStarts, engineCompletions), tasksPerWalk);
        }

        phases.Add(engineStarts.Result());
        phases.Add(engineCompletions.Result());
        phases.Add(engineWalks.Result());

        var clientRuns = new List<ClientsRun>();
        foreach (var clients in options.Clients)
        {
            Settle();
            Console.WriteLine($"{clients} client(s) walking whole instances for {options.Seconds} s...");
            clientRuns.Add(await service.WalkConcurrentlyAsync(clients, TimeSpan.FromSeconds(options.Seconds)));
        }

        var report = EngineBenchReport.Create(
            loadAtStart, options, definition, tasksPerWalk, phases, host.DatabaseBytes(), ceiling, commitsPerInstance, clientRuns);
        report.Print(Console.Out);
        if (options.WriteJson)
        {
            var path = await report.WriteJsonAsync(Path.Combine(root, "bench", "results"));
            Console.WriteLine($"Results written to {Path.GetRelativePath(root, path)}");
        }

        return 0;
    }

    internal static async Task<(DefinitionRecord Definition, ProcessModel Model, OfficeProfile Office)> LoadSopAsync(BenchHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var definition = await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().Definitions
            .Where(d => d.Key == DefinitionKey)
            .OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(host.Stopping)
            ?? throw new InvalidOperationException($"{DefinitionKey} was not deployed from workflows/.");
        var model = scope.ServiceProvider.GetRequiredService<DefinitionCatalog>().ModelOf(definition);
        var office = await scope.ServiceProvider.GetRequiredService<OfficeDirectory>().GetAsync(definition.OfficeId, host.Stopping);
        return (definition, model, office);
    }

    /// <summary>Every walk, in the service or the engine, completes as many tasks as the first engine walk did.</summary>
    private static void ExpectTasks(int completed, int expected)
    {
        if (completed != expected)
        {
            throw new InvalidOperationException($"A walk completed {completed} tasks; the first engine walk completed {expected}.");
        }
    }

    /// <summary>Each walk went by the completions' answers alone; after the phase, outside its timing, each instance must have ended.</summary>
    private static async Task ExpectEndedAsync(ServiceWalker service, IEnumerable<Guid> instances)
    {
        foreach (var instance in instances)
        {
            await service.ExpectEndedAsync(instance);
        }
    }

    /// <summary>Collects the garbage of the phase before, outside every timed operation.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
