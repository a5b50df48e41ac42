using Microsoft.Data.Sqlite;

namespace KinerjaWorkflow.Server.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// When SQLite syncs its write-ahead log to the disk (<c>Database:Durability</c>). Full syncs at every commit, so
/// no acknowledged command is lost even on power loss; Normal syncs at checkpoints only, so none is lost when the
/// service crashes but the last commits may roll back on power loss (the database stays consistent either way).
/// </summary>
public enum SqliteDurability
{
    Full,
    Normal,
}

/// <summary>
/// The database the service runs on, resolved once from configuration: <c>Database:Provider</c> (sqlite, the
/// default, or postgres) and <c>ConnectionStrings:Kinerja</c>. Other stores (the scheduler's) read it too, so
/// every part of the service talks to the same database.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string DataDirectory)
{
    public const string ConnectionStringName = "Kinerja";

    public const string DurabilityKey = "Database:Durability";

    /// <summary>How long a SQLite command waits for another writer's lock before it fails.</summary>
    public int BusyTimeoutMilliseconds { get; init; }

    /// <summary>
    /// Full unless configured otherwise: an office's records (who approved what, when) are what the service is
    /// for, and a task someone saw completed must still be completed after a power cut.
    /// </summary>
    public SqliteDurability Durability { get; init; } = SqliteDurability.Full;

    /// <summary>Leaves the connection string out: it may hold a password, and settings end up in logs.</summary>
    public override string ToString() => $"{Provider} database";

    /// <summary>
    /// kinerja.db in Production, kinerja.&lt;Environment&gt;.db elsewhere: a database made with Development's demo
    /// users is never the one Production opens.
    /// </summary>
    public static string DefaultFileName(IHostEnvironment environment) =>
        environment.IsProduction() ? "kinerja.db" : $"kinerja.{environment.EnvironmentName}.db";

    public static DatabaseSettings FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var dataDirectory = Path.Combine(environment.ContentRootPath, "data");
        var configured = configuration.GetConnectionString(ConnectionStringName);
        var providerName = configuration["Database:Provider"];
        var provider = (providerName ?? "sqlite").Trim().ToUpperInvariant() switch
        {
            "SQLITE" => DatabaseProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException(
                $"Database:Provider '{providerName}' is not supported; use 'sqlite' (the default) or 'postgres'."),
        };
        var durability = ReadDurability(configuration[DurabilityKey], provider);

        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                throw new InvalidOperationException(
                    $"Database:Provider is postgres but ConnectionStrings:{ConnectionStringName} is not set.");
            }

            return new DatabaseSettings(provider, configured, dataDirectory);
        }

        var builder = new SqliteConnectionStringBuilder(
            configured ?? $"Data Source={Path.Combine(dataDirectory, DefaultFileName(environment))}");
        var inMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:";
        if (!inMemory)
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        builder.ForeignKeys = true;
        return new DatabaseSettings(provider, builder.ToString(), dataDirectory)
        {
            BusyTimeoutMilliseconds = builder.DefaultTimeout * 1000,
            Durability = durability,
        };
    }

    private static SqliteDurability ReadDurability(string? configured, DatabaseProvider provider)
    {
        var durability = (configured ?? "").Trim().ToUpperInvariant() switch
        {
            "" or "FULL" => SqliteDurability.Full,
            "NORMAL" => SqliteDurability.Normal,
            _ => throw new InvalidOperationException(
                $"{DurabilityKey} '{configured}' is not supported; use 'Full' (the default: no acknowledged command is lost, "
                + "even on power loss) or 'Normal' (none is lost when the service crashes; the last ones may roll back on power loss)."),
        };
        return provider == DatabaseProvider.Postgres && durability != SqliteDurability.Full
            ? throw new InvalidOperationException(
                $"{DurabilityKey} '{configured}' applies to SQLite only; on PostgreSQL the server's synchronous_commit decides durability.")
            : durability;
    }
}
