using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>The EF Core migrations of each provider, applied at start-up, and the SQLite connection settings.</summary>
public sealed class SchemaMigratorTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void The_migrations_of_each_provider_describe_the_model(string provider)
    {
        using var db = ModelOnly(provider);

        db.Database.HasPendingModelChanges().Should().BeFalse(
            $"a change to the model needs a migration: dotnet ef migrations add <Name> --context {db.GetType().Name} (README, \"The schema\")");
    }

    [Fact]
    public async Task A_new_database_gets_every_migration_once()
    {
        using var database = TestDatabase.Create();
        await using var db = database.NewContext();

        var applied = await TestDatabase.Migrator(db).ApplyAsync(CancellationToken.None);
        var again = await TestDatabase.Migrator(db).ApplyAsync(CancellationToken.None);

        applied.Should().NotBeEmpty().And.Equal(db.Database.GetMigrations());
        again.Should().BeEmpty();
        (await db.Database.GetAppliedMigrationsAsync()).Should().Equal(db.Database.GetMigrations());
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_a_new_database_apply_each_migration_once()
    {
        using var database = TestDatabase.Create();
        await using var first = database.NewContext();
        await using var second = database.NewContext();

        await Task.WhenAll(
            TestDatabase.Migrator(first).ApplyAsync(CancellationToken.None),
            TestDatabase.Migrator(second).ApplyAsync(CancellationToken.None));

        await using var db = database.NewContext();
        (await db.Database.GetAppliedMigrationsAsync()).Should().Equal(db.Database.GetMigrations());
    }

    /// <summary>The provider's context with no database behind it: building the model never connects.</summary>
    private static KinerjaDbContext ModelOnly(string provider) => provider == "postgres"
        ? new PostgresKinerjaDbContext(new DbContextOptionsBuilder<PostgresKinerjaDbContext>().UseNpgsql("Host=localhost;Database=kinerja_model_only").Options)
        : new SqliteKinerjaDbContext(new DbContextOptionsBuilder<SqliteKinerjaDbContext>().UseSqlite("Data Source=:memory:").Options);

    [Fact]
    public async Task Sqlite_runs_in_write_ahead_log_mode()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        using var connection = new SqliteConnection($"Data Source={database.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        command.ExecuteScalar().Should().Be("wal");
    }

    [Theory]
    [InlineData(null, 30_000)]
    [InlineData("Default Timeout=5", 5_000)]
    public async Task Every_connection_waits_for_locks_and_enforces_foreign_keys(string? connectionOptions, long busyTimeout)
    {
        var configuration = new Dictionary<string, string?>();
        if (connectionOptions is not null)
        {
            configuration["ConnectionStrings:Kinerja"] = $"Data Source=data/custom.db;{connectionOptions}";
        }

        using var database = TestDatabase.Create(configuration);
        await using var db = database.NewContext();
        await db.Database.OpenConnectionAsync();

        (await Pragma(db, "busy_timeout")).Should().Be(busyTimeout);
        (await Pragma(db, "foreign_keys")).Should().Be(1);
    }

    [Fact]
    public void A_relative_data_source_is_under_the_content_root()
    {
        using var database = TestDatabase.Create(new Dictionary<string, string?> { ["ConnectionStrings:Kinerja"] = "Data Source=data/custom.db" });

        database.FilePath.Should().Be(Path.Combine(database.Folder, "data", "custom.db"));
        Directory.Exists(Path.Combine(database.Folder, "data")).Should().BeTrue();
    }

    [Fact]
    public void The_default_database_is_the_environments_own_file_in_data_under_the_content_root()
    {
        using var database = TestDatabase.Create();

        database.FilePath.Should().Be(Path.Combine(database.Folder, "data", "kinerja.Testing.db"));
    }

    [Theory]
    [InlineData("mysql", "Database:Provider 'mysql' is not supported*")]
    [InlineData("postgres", "*ConnectionStrings:Kinerja is not set*")]
    public void Unusable_database_configuration_is_refused(string provider, string message)
    {
        var act = () => TestDatabase.Create(new Dictionary<string, string?> { ["Database:Provider"] = provider });

        act.Should().Throw<InvalidOperationException>().WithMessage(message);
    }

    private static async Task<long> Pragma(KinerjaDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
