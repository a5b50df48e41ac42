using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KinerjaWorkflow.Server.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DatabaseSettings"/>, <see cref="KinerjaDbContext"/> (scoped, from a pooled
    /// <see cref="IDbContextFactory{TContext}"/> that singletons and background jobs can use too) and
    /// <see cref="SchemaMigrator"/>. Configuration is read when the services are first resolved, so settings a
    /// test host adds after this call still count.
    /// </summary>
    public static IServiceCollection AddKinerjaPersistence(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => DatabaseSettings.FromConfiguration(configuration, environment));
        services.AddPooledDbContextFactory<KinerjaDbContext>((serviceProvider, options) =>
            ConfigureDbContext(options, serviceProvider.GetRequiredService<DatabaseSettings>()));
        services.TryAddScoped(serviceProvider =>
            serviceProvider.GetRequiredService<IDbContextFactory<KinerjaDbContext>>().CreateDbContext());
        services.TryAddScoped<SchemaMigrator>();
        return services;
    }

    /// <summary>Brings the database schema up to date; call once at start-up before serving requests.</summary>
    public static async Task ApplyKinerjaSchemaAsync(this IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().ApplyAsync(ct);
    }

    internal static DbContextOptionsBuilder ConfigureDbContext(DbContextOptionsBuilder options, DatabaseSettings settings) =>
        settings.Provider switch
        {
            DatabaseProvider.Sqlite => options
                .UseSqlite(settings.ConnectionString)
                .AddInterceptors(new SqliteConnectionSetup(settings.BusyTimeoutMilliseconds)),
            DatabaseProvider.Postgres => options.UseNpgsql(settings.ConnectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, null),
        };
}
