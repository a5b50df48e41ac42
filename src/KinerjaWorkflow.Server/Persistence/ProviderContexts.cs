using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>The model on SQLite; its migrations are in Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteKinerjaDbContext(DbContextOptions<SqliteKinerjaDbContext> options) : KinerjaDbContext(options);

/// <summary>The model on PostgreSQL; its migrations are in Persistence/Migrations/Postgres.</summary>
public sealed class PostgresKinerjaDbContext(DbContextOptions<PostgresKinerjaDbContext> options) : KinerjaDbContext(options);

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the service. Adding a migration never
/// connects, so the connection strings only name a provider.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteKinerjaDbContext>
{
    public SqliteKinerjaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteKinerjaDbContext>().UseSqlite("Data Source=:memory:").Options);
}

/// <inheritdoc cref="SqliteDesignTimeFactory"/>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresKinerjaDbContext>
{
    public PostgresKinerjaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresKinerjaDbContext>().UseNpgsql("Host=localhost;Database=kinerja_design_time").Options);
}
