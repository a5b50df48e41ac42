using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Serilog;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The real service for a bench suite, composed as Program.cs composes it (AddKinerjaServer), in the Testing
/// environment on a fresh SQLite file in the suite's folder (or the PostgreSQL database it is given), Kestrel on
/// a free loopback port. Log output is off so the console shows only the figures.
/// </summary>
internal static class BenchService
{
    /// <param name="database">Where the service keeps its data; null: a fresh kinerja.db in <paramref name="folder"/>.</param>
    /// <param name="configure">Services a suite adds to the service's own (a stand-in job, say).</param>
    /// <param name="settings">Settings a suite gives the service on top of the bench's (Database:Durability, say).</param>
    public static WebApplication Build(
        string folder,
        string contentRoot,
        string workflows,
        string demoPassword,
        BenchDatabase? database = null,
        Action<IServiceCollection>? configure = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        database ??= BenchDatabase.Sqlite(folder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = ServerComposition.TestingEnvironment,
            ContentRootPath = contentRoot,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider,
            [$"ConnectionStrings:{DatabaseSettings.ConnectionStringName}"] = database.ConnectionString,
            [WorkflowsFolder.ConfigurationKey] = workflows,
            ["Identity:DemoPassword"] = demoPassword,

            // The benches sign every user of an office in, from no address at all.
            ["Identity:SignInsPerAddress"] = "1000000",
            ["Identity:SignInBurstPerAddress"] = "1000000",
            ["Identity:SignInsPerUser"] = "1000000",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();

        // The pipeline's request logging needs Serilog's services; a logger with no sink keeps the console quiet.
        builder.Services.AddSerilog(new LoggerConfiguration().MinimumLevel.Fatal().CreateLogger(), dispose: true);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddKinerjaServer(builder.Configuration, builder.Environment);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Stops the service and removes its folder, unless asked to keep it for a look afterwards.</summary>
    public static async ValueTask StopAsync(WebApplication app, string folder, bool keep)
    {
        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (keep)
            {
                Console.WriteLine($"Kept the bench folder {folder}");
            }
            else
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // The temp cleaner takes what a lingering handle kept.
                }
            }
        }
    }
}

/// <summary>The provider (as <c>Database:Provider</c> names it) and connection string a bench service runs on.</summary>
internal sealed record BenchDatabase(string Provider, string ConnectionString)
{
    public const string SqliteFileName = "kinerja.db";

    public bool IsSqlite => Provider == "sqlite";

    public static BenchDatabase Sqlite(string folder) => new("sqlite", $"Data Source={Path.Combine(folder, SqliteFileName)}");

    public static BenchDatabase Postgres(string connectionString) => new("postgres", connectionString);
}
