using System.Net.Http.Headers;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>
/// The real service in the Testing environment on a real SQLite file in its own folder. A second server
/// on the same <see cref="ServerData"/> is a restart: same database, fresh process state.
/// </summary>
public sealed class KinerjaServer : WebApplicationFactory<Program>
{
    public const string DemoPassword = "uji-kinerja-2025";

    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="settings">
    /// Configuration on top of the test defaults, e.g. an SMTP server for one test; a null value leaves that setting
    /// out, as a settings file without it would.
    /// </param>
    public KinerjaServer(ServerData? data = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Data = data ?? new ServerData();
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public ServerData Data { get; }

    public ManualClock Clock => Services.GetRequiredService<ManualClock>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(ServerComposition.TestingEnvironment);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Data.Provider,
            ["ConnectionStrings:Kinerja"] = Data.ConnectionString,
            ["Workflows:Path"] = Data.WorkflowsPath,
            ["Identity:DemoPassword"] = DemoPassword,
            ["Logs:Path"] = Path.Combine(Data.Folder, "logs", "kinerja-.log"),

            // Hangfire polls its queue often and retries a failing item once, one second later, so tests run fast.
            ["Scheduling:PollInterval"] = "00:00:00.100",
            ["Scheduling:SchedulePollInterval"] = "00:00:01",
            ["Scheduling:Attempts"] = "1",
            ["Scheduling:RetryDelays:0"] = "1",
            ["Scheduling:InvisibilityTimeout"] = "00:00:05",

            // Every test client signs in from the same (absent) address, many times over.
            ["Identity:SignInsPerAddress"] = "1000000",
            ["Identity:SignInBurstPerAddress"] = "1000000",
            ["Identity:SignInsPerUser"] = "1000000",

            // Service tasks and webhooks of the tests call LoopbackReceivers on 127.0.0.1.
            ["Outbound:AllowedHosts:0"] = "127.0.0.1",
            ["Outbound:AllowedNetworks:0"] = "127.0.0.1/32",
        };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings.Where(s => s.Value is not null))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>An HTTP client signed in as the given demo user.</summary>
    public async Task<HttpClient> SignInAsync(string userName)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password = DemoPassword });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.Token);
        return client;
    }

    private sealed record TokenResponse(string Token);
}

/// <summary>
/// A folder with a copy of the workflows (the repository's plus the test office) and the service's database: a
/// SQLite file in the folder, or a database of its own in the test PostgreSQL cluster when <c>KINERJA_TEST_DATABASE</c>
/// is <c>postgres</c> (or the test asks for it).
/// </summary>
public sealed class ServerData : IDisposable
{
    public const string ProviderVariable = "KINERJA_TEST_DATABASE";

    private readonly string? _postgresDatabase;

    public ServerData(string? provider = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "kinerja-tests", Guid.NewGuid().ToString("N"));
        WorkflowsPath = Path.Combine(Folder, "workflows");
        CopyFolder(Path.Combine(RepositoryRoot.Path, "workflows"), WorkflowsPath);
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "TestWorkflows"), WorkflowsPath);
        Provider = (provider ?? DefaultProvider).ToLowerInvariant();
        if (Provider == "postgres")
        {
            _postgresDatabase = PostgresCluster.Shared.CreateDatabase();
            ConnectionString = PostgresCluster.Shared.ConnectionString(_postgresDatabase);
        }
        else
        {
            ConnectionString = $"Data Source={DatabasePath}";
        }
    }

    /// <summary>The provider the suite runs on: sqlite unless <c>KINERJA_TEST_DATABASE</c> says postgres.</summary>
    public static string DefaultProvider =>
        Environment.GetEnvironmentVariable(ProviderVariable) is { Length: > 0 } chosen ? chosen : "sqlite";

    public string Folder { get; }
    public string WorkflowsPath { get; }
    public string Provider { get; }
    public string ConnectionString { get; }

    /// <summary>The SQLite file; tests that open it directly run on SQLite only.</summary>
    public string DatabasePath => Path.Combine(Folder, "kinerja.db");

    public void Dispose()
    {
        if (_postgresDatabase is not null)
        {
            PostgresCluster.Shared.DropDatabase(_postgresDatabase);
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL file for a moment; the OS temp cleaner gets it later.
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(System.IO.Path.Combine(folder.FullName, "KinerjaWorkflow.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("KinerjaWorkflow.sln not found above the test output.");
    }
}
