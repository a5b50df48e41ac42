using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>The model on SQLite; its migrations are in Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteKinerjaDbContext(DbContextOptions<SqliteKinerjaDbContext> options) : KinerjaDbContext(options)
{
    /// <summary>The service's connection this use of the context runs on, given back when it is disposed.</summary>
    private (WarmSqliteConnections Connections, SqliteConnection Connection)? _lease;

    /// <summary>
    /// The trail's lines are numbered by SQLite's row id without AUTOINCREMENT. AUTOINCREMENT only promises that the
    /// number of a deleted row is never given again, and no line is ever deleted (a trigger refuses it), so the largest
    /// number plus one is already never reused; what it costs is a write to <c>sqlite_sequence</c> at every insert, a
    /// page of the log in each command's commit (bench/README.md, issue 17).
    /// </summary>
    /// <remarks>
    /// EF 10 leaves this strategy out when it writes the model snapshot, and would then take the column for
    /// AUTOINCREMENT again; the snapshot carries it by hand, as the migration AuditLinesWithoutAutoincrement's model
    /// does. Should <c>dotnet ef migrations add</c> write it out, SchemaMigratorTests finds the model changed.
    /// </remarks>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<AuditEntryRecord>().Property(x => x.Id).Metadata.SetValueGenerationStrategy(SqliteValueGenerationStrategy.None);
    }

    /// <summary>Runs this use of the context on the connection <paramref name="connections"/> gave back last.</summary>
    internal void RunOn(WarmSqliteConnections connections)
    {
        var connection = connections.Take();
        Database.SetDbConnection(connection, contextOwnsConnection: false);
        _lease = (connections, connection);
    }

    // The connection is given back once the pool has reset the context (its transaction rolled back), not before:
    // another context may take it at once.
    public override void Dispose()
    {
        var lease = _lease;
        _lease = null;
        base.Dispose();
        lease?.Connections.Give(lease.Value.Connection);
    }

    public override async ValueTask DisposeAsync()
    {
        var lease = _lease;
        _lease = null;
        await base.DisposeAsync();
        lease?.Connections.Give(lease.Value.Connection);
    }
}

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
