using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The real service, composed as Program.cs composes it (AddKinerjaServer, PrepareKinerjaAsync, hosted workers
/// running), in the Testing environment on a fresh SQLite file in a temporary folder or on the PostgreSQL
/// database it is given. Log output is off so the console shows only the figures.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private const string DemoPassword = "bench-kinerja";

    private readonly WebApplication _app;
    private readonly bool _keep;

    private BenchHost(WebApplication app, string folder, bool keep)
    {
        _app = app;
        Folder = folder;
        _keep = keep;
    }

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, BenchDatabase.SqliteFileName);
    public IServiceProvider Services => _app.Services;
    public ManualClock Clock => _app.Services.GetRequiredService<ManualClock>();
    public DatabaseSettings Database => _app.Services.GetRequiredService<DatabaseSettings>();

    /// <summary>Cancelled on Ctrl+C, which the host's console lifetime turns into a stop request.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public static async Task<BenchHost> StartAsync(
        string repositoryRoot, bool keep, BenchDatabase? database = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "kinerja-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var app = BenchService.Build(
            folder, Path.Combine(repositoryRoot, "src", "KinerjaWorkflow.Server"), Path.Combine(repositoryRoot, "workflows"), DemoPassword, database, settings: settings);
        var host = new BenchHost(app, folder, keep);
        try
        {
            await app.PrepareKinerjaAsync();
            await app.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Every user of the office, signed in with the demo password through the service's own sign-in.</summary>
    public async Task<IReadOnlyList<CurrentUser>> SignInOfficeUsersAsync(string officeId)
    {
        List<string> userNames;
        await using (var scope = Services.CreateAsyncScope())
        {
            userNames = await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().Users
                .Where(u => u.OfficeId == officeId)
                .OrderBy(u => u.UserName)
                .Select(u => u.UserName)
                .ToListAsync(Stopping);
        }

        var users = new List<CurrentUser>();
        foreach (var userName in userNames)
        {
            await using var scope = Services.CreateAsyncScope();
            var attempt = await scope.ServiceProvider.GetRequiredService<UserSignIn>().SignInAsync(userName, DemoPassword, null, null, Stopping);
            users.Add(attempt.User ?? throw new InvalidOperationException($"Demo user {userName} could not sign in: {attempt.Status}."));
        }

        return users.Count > 0 ? users : throw new InvalidOperationException($"Office {officeId} has no users.");
    }

    /// <summary>The database file and its write-ahead log, in bytes.</summary>
    public long DatabaseBytes() =>
        new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists).Sum(path => new FileInfo(path).Length);

    public ValueTask DisposeAsync() => BenchService.StopAsync(_app, Folder, _keep);
}
