namespace KinerjaWorkflow.Bench;

/// <summary>The suite's services of every provider; each client count runs on each of them in turn.</summary>
internal sealed class SuiteHosts<TSuite> : IAsyncDisposable
    where TSuite : IAsyncDisposable
{
    private readonly List<TSuite> _suites = [];

    public void Add(TSuite suite) => _suites.Add(suite);

    public async Task<IReadOnlyList<ProviderRow>> RunAsync(int[] clientCounts, Func<TSuite, int, Task<ProviderRow>> run)
    {
        var rows = new List<ProviderRow>();
        foreach (var clients in clientCounts)
        {
            foreach (var suite in _suites)
            {
                rows.Add(await run(suite, clients));
            }
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var suite in _suites)
        {
            await suite.DisposeAsync();
        }
    }
}

/// <summary>The engine suite's walk: clients walk whole Bina Marga instances (start, 15 completions, the reads between) until the time is up.</summary>
internal sealed class EngineSuite : IAsyncDisposable
{
    private const int WarmupWalks = 20;

    private readonly BenchHost _host;
    private readonly ServiceWalker _service;

    private EngineSuite(string provider, BenchHost host, ServiceWalker service)
    {
        Provider = provider;
        _host = host;
        _service = service;
    }

    public string Provider { get; }

    public static async Task<EngineSuite> StartAsync(string provider, BenchDatabase? database)
    {
        Console.WriteLine($"[{provider}] engine suite: starting the service...");
        var host = await BenchHost.StartAsync(RepositoryRoot.Find(), keep: false, database);
        try
        {
            host.Clock.SetTo(EngineBench.FrozenAt);
            var (definition, model, _) = await EngineBench.LoadSopAsync(host);
            var users = await host.SignInOfficeUsersAsync(definition.OfficeId);
            var service = new ServiceWalker(host.Services, WalkPlan.For(model, users, EngineBench.Starter, EngineBench.Approval), EngineBench.DefinitionKey, host.Stopping);
            for (var i = 0; i < WarmupWalks; i++)
            {
                await service.WalkAsync(await service.StartAsync($"warmup-{i}"), null);
            }

            return new EngineSuite(provider, host, service);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async Task<ProviderRow> RunAsync(int clients, TimeSpan duration)
    {
        var run = await _service.WalkConcurrentlyAsync(clients, duration);
        var row = new ProviderRow(Provider, "engine", clients, run.InstancesPerSecond, run.CompletionsPerSecond, run.CompletionP99Ms, run.InstanceP99Ms, run.Errors);
        Console.WriteLine($"[{Provider}] engine, {clients,2} client(s): {row.InstancesPerSecond:F1} instances/s, {row.CompletionsPerSecond:F1} completions/s, " +
            $"p99 completion {row.P99Ms:F1} ms, p99 instance {row.InstanceP99Ms:F1} ms, {run.Errors} error(s){(run.FirstError is null ? "" : ": " + run.FirstError)}");
        return row;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>The inbox suite's completion runs over HTTP: each completion commits the instance and creates the next step's task.</summary>
internal sealed class InboxSuite : IAsyncDisposable
{
    private const int WarmupCompletions = 200;
    private const int StaffPerRole = 8;

    private readonly InboxBenchHost _host;
    private readonly InboxSessions _sessions;
    private readonly IReadOnlyList<HttpClient> _users;

    private InboxSuite(string provider, InboxBenchHost host, InboxSessions sessions, IReadOnlyList<HttpClient> users)
    {
        Provider = provider;
        _host = host;
        _sessions = sessions;
        _users = users;
    }

    public string Provider { get; }

    public static async Task<InboxSuite> StartAsync(string provider, BenchDatabase? database)
    {
        Console.WriteLine($"[{provider}] inbox suite: starting the service on Kestrel...");
        var host = await InboxBenchHost.StartAsync(1, StaffPerRole, keep: false, _ => Task.CompletedTask, database);
        var sessions = new InboxSessions(host.BaseAddress);
        try
        {
            var users = await InboxBench.StaffClientsAsync(sessions.AsAsync, StaffPerRole);
            await InboxBench.CompleteTasksAsync(users, 4, WarmupCompletions, "WARMUP");
            return new InboxSuite(provider, host, sessions, users);
        }
        catch
        {
            sessions.Dispose();
            await host.DisposeAsync();
            throw;
        }
    }

    public async Task<ProviderRow> RunAsync(int clients, int completions)
    {
        var run = await InboxBench.CompleteTasksAsync(_users, clients, completions, $"LOAD-{clients}");
        var row = new ProviderRow(Provider, "inbox", clients, run.StartsPerSecond, run.CompletionsPerSecond, run.P99Ms, null, run.Errors);
        Console.WriteLine($"[{Provider}] inbox, {clients,2} client(s): {row.CompletionsPerSecond:F1} completions/s (p50 {run.P50Ms:F1} ms, p99 {run.P99Ms:F1} ms), " +
            $"{run.StartsPerSecond:F1} starts/s, {run.Errors} error(s)");
        return row;
    }

    public async ValueTask DisposeAsync()
    {
        _sessions.Dispose();
        await _host.DisposeAsync();
    }
}
