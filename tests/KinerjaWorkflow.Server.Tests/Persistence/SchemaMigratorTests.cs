using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace KinerjaWorkflow.Server.Tests.Persistence;

public sealed class SchemaMigratorTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Applies_every_script_to_a_new_database_and_records_it()
    {
        using var database = TestDatabase.Create();
        await using var db = database.NewContext();
        var migrator = database.Migrator(db, new FakeTimeProvider(Start));
        var scripts = SchemaScripts.For(DatabaseProvider.Sqlite);

        var applied = await migrator.ApplyAsync(CancellationToken.None);

        var expected = scripts.Select(s => new SchemaVersion(s.Version, s.Name, Start, s.Checksum)).ToList();
        applied.Should().Equal(expected);
        (await migrator.AppliedVersionsAsync(CancellationToken.None)).Should().Equal(expected);
    }

    [Fact]
    public async Task Running_again_applies_nothing_and_keeps_the_record()
    {
        using var database = TestDatabase.Create();
        await using var db = database.NewContext();
        var clock = new FakeTimeProvider(Start);
        var migrator = database.Migrator(db, clock);
        await migrator.ApplyAsync(CancellationToken.None);
        var recorded = await migrator.AppliedVersionsAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(1));

        var applied = await migrator.ApplyAsync(CancellationToken.None);

        applied.Should().BeEmpty();
        (await migrator.AppliedVersionsAsync(CancellationToken.None)).Should().Equal(recorded);
    }

    [Fact]
    public async Task A_new_script_is_applied_after_the_ones_already_applied()
    {
        using var database = TestDatabase.Create();
        await using var db = database.NewContext();
        var migrator = database.Migrator(db);
        var initial = SchemaScripts.For(DatabaseProvider.Sqlite);
        await migrator.ApplyAsync(initial, CancellationToken.None);
        var next = new SchemaScript(initial[^1].Version + 1, "probe", """CREATE TABLE "probe" ("id" INTEGER NOT NULL);""");

        var applied = await migrator.ApplyAsync([.. initial, next], CancellationToken.None);

        applied.Select(v => v.Name).Should().Equal("probe");
        using var connection = database.OpenConnection();
        SchemaShape.FromSqlite(connection).Should().ContainKey("probe");
    }

    [Fact]
    public async Task A_failing_script_leaves_no_trace()
    {
        using var database = TestDatabase.Create();
        await using var db = database.NewContext();
        var migrator = database.Migrator(db);
        var initial = SchemaScripts.For(DatabaseProvider.Sqlite);
        await migrator.ApplyAsync(initial, CancellationToken.None);
        var broken = new SchemaScript(initial[^1].Version + 1, "broken", """CREATE TABLE "half_done" ("id" INTEGER); CREATE TABLE oops (;""");

        var act = () => migrator.ApplyAsync([.. initial, broken], CancellationToken.None);

        await act.Should().ThrowAsync<SchemaMigrationException>().WithMessage("*rolled back*");
        using var connection = database.OpenConnection();
        SchemaShape.FromSqlite(connection).Should().NotContainKey("half_done");
        (await migrator.AppliedVersionsAsync(CancellationToken.None)).Select(v => v.Name).Should().NotContain("broken");
    }

    [Fact]
    public async Task Refuses_to_start_when_an_applied_script_was_changed()
    {
        using var database = TestDatabase.Create();
        await using var db = database.NewContext();
        var migrator = database.Migrator(db);
        var scripts = SchemaScripts.For(DatabaseProvider.Sqlite);
        await migrator.ApplyAsync(scripts, CancellationToken.None);
        var edited = scripts[0] with { Sql = scripts[0].Sql + "\n-- edited after release\n" };

        var act = () => migrator.ApplyAsync([edited], CancellationToken.None);

        (await act.Should().ThrowAsync<SchemaMigrationException>()).Which.Message.Should()
            .Contain($"{scripts[0].Version:D4}_{scripts[0].Name}.sql (sqlite) was changed after it was applied")
            .And.Contain(scripts[0].Checksum)
            .And.Contain(edited.Checksum);
    }

    [Fact]
    public void A_script_checksum_ignores_line_endings()
    {
        var unix = new SchemaScript(1, "initial", "CREATE TABLE a (x INTEGER);\nCREATE TABLE b (y INTEGER);\n");
        var windows = unix with { Sql = unix.Sql.ReplaceLineEndings("\r\n") };

        windows.Checksum.Should().Be(unix.Checksum);
    }

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
