using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KinerjaWorkflow.Server.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DatabaseSettings"/>, <see cref="KinerjaDbContext"/> (scoped, from a pooled
    /// <see cref="IDbContextFactory{TContext}"/> that singletons and background jobs can use too; the context is the
    /// configured provider's own, so it finds that provider's migrations) and <see cref="SchemaMigrator"/>.
    /// Configuration is read when the services are first resolved, so settings a test host adds after this call
    /// still count.
    /// </summary>
    public static IServiceCollection AddKinerjaPersistence(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => DatabaseSettings.FromConfiguration(configuration, environment));
        services.AddPooledDbContextFactory<SqliteKinerjaDbContext>((serviceProvider, options) => ConfigureDbContext(
            options, serviceProvider.GetRequiredService<DatabaseSettings>(), serviceProvider.GetRequiredService<WalCheckpointer>()));
        services.AddPooledDbContextFactory<PostgresKinerjaDbContext>((serviceProvider, options) =>
            ConfigureDbContext(options, serviceProvider.GetRequiredService<DatabaseSettings>()));
        services.TryAddSingleton<IDbContextFactory<KinerjaDbContext>>(serviceProvider =>
            serviceProvider.GetRequiredService<DatabaseSettings>().Provider switch
            {
                DatabaseProvider.Sqlite => SqliteContexts(serviceProvider),
                DatabaseProvider.Postgres => new ProviderContextFactory<PostgresKinerjaDbContext>(
                    serviceProvider.GetRequiredService<IDbContextFactory<PostgresKinerjaDbContext>>(), _ => { }),
                var other => throw new ArgumentOutOfRangeException(nameof(services), other, null),
            });
        services.TryAddScoped(serviceProvider =>
            serviceProvider.GetRequiredService<IDbContextFactory<KinerjaDbContext>>().CreateDbContext());
        services.TryAddScoped<SchemaMigrator>();
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton<WalCheckpointer>();
        services.TryAddSingleton<WarmSqliteConnections>();
        services.TryAddSingleton<WriteTurn>();
        services.AddHostedService(serviceProvider => serviceProvider.GetRequiredService<WalCheckpointer>());
        return services;
    }

    /// <summary>Brings the database schema up to date; call once at start-up before serving requests.</summary>
    public static async Task ApplyKinerjaSchemaAsync(this IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().ApplyAsync(ct);
    }

    /// <summary>A context of the settings' provider, outside dependency injection (the copy command, tests).</summary>
    internal static KinerjaDbContext NewContext(DatabaseSettings settings)
    {
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<SqliteKinerjaDbContext>();
                ConfigureDbContext(sqlite, settings);
                return new SqliteKinerjaDbContext(sqlite.Options);
            case DatabaseProvider.Postgres:
                var postgres = new DbContextOptionsBuilder<PostgresKinerjaDbContext>();
                ConfigureDbContext(postgres, settings);
                return new PostgresKinerjaDbContext(postgres.Options);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, null);
        }
    }

    /// <summary>SQLite's pooled contexts, each run on the connection given back last.</summary>
    private static ProviderContextFactory<SqliteKinerjaDbContext> SqliteContexts(IServiceProvider serviceProvider)
    {
        var connections = serviceProvider.GetRequiredService<WarmSqliteConnections>();
        return new(serviceProvider.GetRequiredService<IDbContextFactory<SqliteKinerjaDbContext>>(), context => context.RunOn(connections));
    }

    /// <param name="checkpointer">The service's background checkpoint, absent outside the service (the copy command, tests).</param>
    private static DbContextOptionsBuilder ConfigureDbContext(DbContextOptionsBuilder options, DatabaseSettings settings, WalCheckpointer? checkpointer = null) =>
        settings.Provider switch
        {
            DatabaseProvider.Sqlite => options
                .UseSqlite(settings.ConnectionString)
                .AddInterceptors(
                    new SqliteConnectionSetup(settings.BusyTimeoutMilliseconds, settings.Durability, checkpointer is null ? null : WalCheckpointer.BackstopPages),
                    new SqliteStatementCache())
                .AddInterceptors(checkpointer is null ? [] : [new WalCheckpointer.Commits(checkpointer)])
                .KeepSqliteConnectionsOpen(),
            DatabaseProvider.Postgres => options.UseNpgsql(settings.ConnectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, null),
        };

    /// <summary>Hands out the provider's own pooled contexts as <see cref="KinerjaDbContext"/>.</summary>
    /// <param name="prepare">What each context is given before use: on SQLite, the connection used last.</param>
    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> contexts, Action<TContext> prepare) : IDbContextFactory<KinerjaDbContext>
        where TContext : KinerjaDbContext
    {
        public KinerjaDbContext CreateDbContext()
        {
            var context = contexts.CreateDbContext();
            prepare(context);
            return context;
        }

        public async Task<KinerjaDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            var context = await contexts.CreateDbContextAsync(cancellationToken);
            prepare(context);
            return context;
        }
    }
}
