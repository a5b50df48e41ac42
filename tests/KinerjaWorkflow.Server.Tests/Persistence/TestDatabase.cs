using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>A real SQLite file in a folder of its own, deleted afterwards.</summary>
internal sealed class TestDatabase : IDisposable
{
    private TestDatabase(string folder, DatabaseSettings settings)
    {
        Folder = folder;
        Settings = settings;
    }

    /// <summary>The content root: the database lives in its data/ folder, as in a real deployment.</summary>
    public string Folder { get; }
    public DatabaseSettings Settings { get; }
    public string FilePath => new SqliteConnectionStringBuilder(Settings.ConnectionString).DataSource;

    public static TestDatabase Create(IDictionary<string, string?>? configuration = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "kinerja-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var settings = DatabaseSettings.FromConfiguration(
                new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build(),
                Environment(folder, "Testing"));
            return new TestDatabase(folder, settings);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>A database with the schema applied.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync()
    {
        var database = Create();
        await using var db = database.NewContext();
        await Migrator(db).ApplyAsync(CancellationToken.None);
        return database;
    }

    public static IHostEnvironment Environment(string contentRoot, string name) => new HostingEnvironment
    {
        ContentRootPath = contentRoot,
        EnvironmentName = name,
        ApplicationName = "KinerjaWorkflow.Server",
    };

    public KinerjaDbContext NewContext() => PersistenceServiceCollectionExtensions.NewContext(Settings);

    /// <summary>The service's persistence on this database, registered as the host registers it.</summary>
    public ServiceProvider PersistenceServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Settings);
        services.AddKinerjaPersistence(new ConfigurationBuilder().Build(), Environment(Folder, "Testing"));
        return services.BuildServiceProvider();
    }

    public static SchemaMigrator Migrator(KinerjaDbContext db) => new(db, NullLogger<SchemaMigrator>.Instance);

    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(Settings.ConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
