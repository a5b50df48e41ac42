using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The real service for a bench suite, composed as Program.cs composes it (AddKinerjaServer), in the Testing
/// environment on a fresh SQLite file in the suite's folder, Kestrel on a free loopback port. Log output is
/// off so the console shows only the figures.
/// </summary>
internal static class BenchService
{
    /// <param name="configure">Services a suite adds to the service's own (a stand-in job, say).</param>
    public static WebApplication Build(string folder, string contentRoot, string workflows, string demoPassword, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = ServerComposition.TestingEnvironment,
            ContentRootPath = contentRoot,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{DatabaseSettings.ConnectionStringName}"] = $"Data Source={Path.Combine(folder, "kinerja.db")}",
            [WorkflowsFolder.ConfigurationKey] = workflows,
            ["Identity:DemoPassword"] = demoPassword,

            // The benches sign every user of an office in, from no address at all.
            ["Identity:SignInsPerAddress"] = "1000000",
            ["Identity:SignInsPerUser"] = "1000000",
        });
        builder.Logging.ClearProviders();
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
