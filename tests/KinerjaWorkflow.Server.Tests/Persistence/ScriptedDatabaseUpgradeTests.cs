using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>
/// Databases made by the last build with hand-written SQL scripts (8224911) upgrade to the EF Core migrations.
/// The fixtures were made by that build in Development: the five SOPs deployed, "Pengumpulan Data Kinerja" of
/// Dinas Bina Marga started as 2025-TW4 and its step 1 completed by the Kepala Dinas, so step 2 waits for the
/// Sekretaris. The SQLite file is the service's own (VACUUMed); the PostgreSQL one is pg_dump --inserts of it.
/// </summary>
public sealed class ScriptedDatabaseUpgradeTests
{
    private const string FixturePassword = "kinerja2025";
    private const string EfHistory = "__EFMigrationsHistory";
    private const string EfLock = "__EFMigrationsLock";

    private static string SqliteFixture => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "kinerja-8224911.db");
    private static string PostgresFixture => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "kinerja-8224911.postgres.sql");

    [Fact]
    public async Task The_baseline_migration_creates_the_SQLite_schema_the_scripts_made()
    {
        using var migrated = TestDatabase.Create();
        await using (var db = migrated.NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().First());
        }

        using var scripted = ScriptedSqlite();
        using var migratedConnection = migrated.OpenConnection();
        using var scriptedConnection = scripted.OpenConnection();

        var migratedTables = SchemaShape.FromSqlite(migratedConnection);
        var scriptedTables = SchemaShape.FromSqlite(scriptedConnection);
        migratedTables.Remove(EfHistory);
        migratedTables.Remove(EfLock);
        scriptedTables.Remove(SchemaMigrator.ScriptJournalTable);

        migratedTables.Keys.Should().BeEquivalentTo(scriptedTables.Keys);
        foreach (var (table, shape) in scriptedTables)
        {
            migratedTables[table].Should().BeEquivalentTo(shape, $"table {table} should be as the scripts made it");
        }

        SchemaShape.SqliteTriggers(migratedConnection).Should().Equal(SchemaShape.SqliteTriggers(scriptedConnection)).And.HaveCount(4);
    }

    [Fact]
    public async Task A_SQLite_database_made_by_the_scripts_is_taken_over_and_keeps_every_row()
    {
        using var scripted = ScriptedSqlite();
        Dictionary<string, List<string>> before;
        Dictionary<string, string[]> columnsBefore;
        using (var connection = scripted.OpenConnection())
        {
            before = SqliteRows(connection);
            columnsBefore = SqliteColumns(connection);
        }

        before["instances"].Should().HaveCount(1);
        before["tasks"].Should().HaveCount(2);
        before["audit_entries"].Should().HaveCount(4);
        before["users"].Should().HaveCount(36);
        before["definitions"].Should().HaveCount(5);

        await using var db = scripted.NewContext();
        var applied = await TestDatabase.Migrator(db).ApplyAsync(CancellationToken.None);

        applied.Should().NotContain(db.Database.GetMigrations().First(), "the scripts already made the baseline's schema");
        (await db.Database.GetAppliedMigrationsAsync()).Should().Equal(db.Database.GetMigrations());
        using var after = scripted.OpenConnection();
        var rows = SqliteRows(after, columnsBefore);
        rows.Remove(EfHistory);
        rows.Remove(EfLock);
        before["definitions"] = before["definitions"].Select(row => $"{row}|{FileNoteOf(row, '|')}").ToList();
        before["instances"] = before["instances"].Select(row => $"{row}|{LastAuditLine}").ToList();
        before["tasks"] = [$"{before["tasks"][0]}||0", $"{before["tasks"][1]}||{LegacySlaRowsOfOpenTask}"];
        rows.Should().BeEquivalentTo(before, options => options.WithStrictOrdering());
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_a_database_made_by_the_scripts_record_the_baseline_once()
    {
        using var scripted = ScriptedSqlite();
        await using var first = scripted.NewContext();
        await using var second = scripted.NewContext();

        await Task.WhenAll(
            TestDatabase.Migrator(first).ApplyAsync(CancellationToken.None),
            TestDatabase.Migrator(second).ApplyAsync(CancellationToken.None));

        using var connection = scripted.OpenConnection();
        SqliteRows(connection)[EfHistory].Should().HaveCount(first.Database.GetMigrations().Count());
    }

    [Fact]
    public async Task A_database_that_lacks_some_scripts_is_refused_and_left_as_it_was()
    {
        using var scripted = ScriptedSqlite();
        using (var connection = scripted.OpenConnection())
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM {SchemaMigrator.ScriptJournalTable} WHERE version = 8";
            command.ExecuteNonQuery();
        }

        await using var db = scripted.NewContext();
        var act = () => TestDatabase.Migrator(db).ApplyAsync(CancellationToken.None);

        await act.Should().ThrowAsync<SchemaMigrationException>().WithMessage("*lacks script(s) 0008*start build 8224911 on it once first*");
        using var after = scripted.OpenConnection();
        SqliteRows(after).Keys.Should().NotContain(EfHistory);
    }

    [Fact]
    public async Task The_service_starts_on_a_SQLite_database_made_by_the_scripts_and_carries_on_the_work()
    {
        using var data = new ServerData("sqlite");
        File.Copy(SqliteFixture, data.DatabasePath);

        await CompleteStep2AndExpectStep3Async(data);
    }

    /// <summary>
    /// The scripts numbered the trail's lines with AUTOINCREMENT; the migrations rebuild the table without it (one log page
    /// fewer per command, bench/README.md issue 17). The lines keep their numbers, the next ones follow the largest,
    /// nothing keeps a counter in sqlite_sequence, and the append-only triggers are on the rebuilt table.
    /// </summary>
    [Fact]
    public async Task On_a_SQLite_database_made_by_the_scripts_the_trail_keeps_its_line_numbers_and_counts_on_without_autoincrement()
    {
        using var data = new ServerData("sqlite");
        File.Copy(SqliteFixture, data.DatabasePath);
        using (var connection = new SqliteConnection($"Data Source={data.DatabasePath};Pooling=False"))
        {
            connection.Open();
            TableSql(connection, "audit_entries").Should().Contain("AUTOINCREMENT", "the fixture is as the scripts made it");
        }

        await CompleteStep2AndExpectStep3Async(data);

        using var after = new SqliteConnection($"Data Source={data.DatabasePath};Pooling=False");
        after.Open();
        TableSql(after, "audit_entries").Should().NotContain("AUTOINCREMENT");
        Scalar(after, "SELECT count(*) FROM sqlite_sequence WHERE name = 'audit_entries'").Should().Be(0L);
        Scalar(after, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entries' ORDER BY name)")
            .Should().Be("audit_entries_no_delete,audit_entries_no_replace,audit_entries_no_update");
        Scalar(after, "SELECT group_concat(id, ',') FROM (SELECT id FROM audit_entries ORDER BY sequence)")
            .Should().Be("1,2,3,4,5,6", "the fixture's four lines keep 1 to 4, and step 2's completion and step 3's task follow");
    }

    private static string TableSql(SqliteConnection connection, string table) =>
        (string)Scalar(connection, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")!;

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task A_PostgreSQL_database_made_by_the_scripts_is_taken_over_keeps_every_row_and_has_the_baseline_schema()
    {
        var cluster = PostgresCluster.Shared;
        var scriptedName = cluster.CreateDatabase();
        var migratedName = cluster.CreateDatabase();
        try
        {
            var scripted = cluster.ConnectionString(scriptedName);
            await RestorePostgresFixtureAsync(scripted);
            var before = await PostgresRowsAsync(scripted);
            before["instances"].Should().HaveCount(1);
            before["tasks"].Should().HaveCount(2);
            before["audit_entries"].Should().HaveCount(4);
            before["users"].Should().HaveCount(36);

            await using (var db = PostgresContext(scripted))
            {
                var applied = await TestDatabase.Migrator(db).ApplyAsync(CancellationToken.None);
                applied.Should().NotContain(db.Database.GetMigrations().First());
                (await db.Database.GetAppliedMigrationsAsync()).Should().Equal(db.Database.GetMigrations());
            }

            var after = await PostgresRowsAsync(scripted);
            after.Remove(EfHistory);
            before["definitions"] = before["definitions"].Select(row => $"{row[..^1]},\"{FileNoteOf(row[..^1], ',')}\")").ToList();
            before["instances"] = before["instances"].Select(row => $"{row[..^1]},{LastAuditLine})").ToList();
            before["tasks"] = [$"{before["tasks"][0][..^1]},,0)", $"{before["tasks"][1][..^1]},,{LegacySlaRowsOfOpenTask})"];
            after.Should().BeEquivalentTo(before, options => options.WithStrictOrdering());

            await using (var db = PostgresContext(cluster.ConnectionString(migratedName)))
            {
                await TestDatabase.Migrator(db).ApplyAsync(CancellationToken.None);
            }

            await using var scriptedConnection = new NpgsqlConnection(scripted);
            await using var migratedConnection = new NpgsqlConnection(cluster.ConnectionString(migratedName));
            await scriptedConnection.OpenAsync();
            await migratedConnection.OpenAsync();
            var journals = new[] { SchemaMigrator.ScriptJournalTable, EfHistory };
            var scriptedSchema = await SchemaShape.FromPostgresAsync(scriptedConnection, journals);
            scriptedSchema.Should().Contain(line => line.StartsWith("column audit_entries.sequence", StringComparison.Ordinal))
                .And.Contain(line => line.StartsWith("function refuse_audit_change", StringComparison.Ordinal));
            scriptedSchema.Count(line => line.StartsWith("trigger ", StringComparison.Ordinal)).Should().Be(4);
            (await SchemaShape.FromPostgresAsync(migratedConnection, journals)).Should().Equal(scriptedSchema);
        }
        finally
        {
            cluster.DropDatabase(scriptedName);
            cluster.DropDatabase(migratedName);
        }
    }

    [Fact]
    public async Task The_service_starts_on_a_PostgreSQL_database_made_by_the_scripts_and_carries_on_the_work()
    {
        using var data = new ServerData("postgres");
        await RestorePostgresFixtureAsync(data.ConnectionString);

        await CompleteStep2AndExpectStep3Async(data);
    }

    private static async Task CompleteStep2AndExpectStep3Async(ServerData data)
    {
        using var server = new KinerjaServer(data);
        using var sekretaris = server.CreateClient();
        var token = await sekretaris.PostAsJsonAsync("/api/auth/token", new { username = "hendri.yuzal", password = FixturePassword }).OkJsonAsync();
        sekretaris.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());

        var tasks = await sekretaris.GetAsync("/api/tasks").OkJsonAsync();
        var step2 = tasks.GetProperty("items").EnumerateArray().Single();
        step2.GetProperty("stepId").GetString().Should().Be("Langkah_02");
        var instance = step2.GetProperty("instanceId").GetGuid();
        await sekretaris.CompleteAsync(step2.GetProperty("id").GetGuid(), comment: "setelah pindah ke migrasi EF Core");

        (await sekretaris.ActiveStepIdsAsync(instance)).Should().Equal("Langkah_03");
        var history = await sekretaris.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString())
            .Should().StartWith(["instance-started", "task-created", "task-completed", "task-created", "task-completed"]);
        history.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64())
            .Should().Equal(Enumerable.Range(1, history.GetArrayLength()).Select(n => (long)n), "the new lines follow the fixture's four");
    }

    /// <summary>
    /// The change note the DefinitionProvenance migration gives a definitions row of the fixture: its five versions
    /// were deployed from their files, so each gets the note a file deploy records. The source is the row's last column.
    /// </summary>
    /// <summary>The fixture's instance has four lines in its trail: the migration counts them onto the instance row.</summary>
    private const int LastAuditLine = 4;

    /// <summary>
    /// The fixture's open task (step 2) was given its reminder and escalation as two schedule rows, as every build before
    /// the plan was scheduled step by step did: the migration records both steps as scheduled, so none is written again.
    /// The completed task keeps none (0), and neither has a next step to schedule (null).
    /// </summary>
    private const int LegacySlaRowsOfOpenTask = 2;

    private static string FileNoteOf(string row, char separator) =>
        $"Diterbitkan dari berkas workflows/{row[(row.LastIndexOf(separator) + 1)..]}";

    private static TestDatabase ScriptedSqlite()
    {
        var database = TestDatabase.Create();
        File.Copy(SqliteFixture, database.FilePath);
        return database;
    }

    /// <summary>
    /// Every row of every table, in rowid order, as text: the columns in the order <paramref name="columnsFirst"/>
    /// gives for the table, then the rest in the table's order. A migration that rebuilds a table writes its columns in
    /// the model's order, which need not be the order the scripts made them in.
    /// </summary>
    private static Dictionary<string, List<string>> SqliteRows(SqliteConnection connection, IReadOnlyDictionary<string, string[]>? columnsFirst = null)
    {
        var rows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (table, columns) in SqliteColumns(connection))
        {
            var first = columnsFirst?.GetValueOrDefault(table) ?? [];
            var ordered = first.Where(columns.Contains).Concat(columns.Where(c => !first.Contains(c)));
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT {string.Join(", ", ordered.Select(c => $"\"{c}\""))} FROM \"{table}\" ORDER BY rowid";
            using var reader = select.ExecuteReader();
            rows[table] = [];
            while (reader.Read())
            {
                rows[table].Add(string.Join("|", Enumerable.Range(0, reader.FieldCount)
                    .Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
            }
        }

        return rows;
    }

    /// <summary>The columns of every table, in the table's order.</summary>
    private static Dictionary<string, string[]> SqliteColumns(SqliteConnection connection)
    {
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var columns = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            using var info = connection.CreateCommand();
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
            using var reader = info.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            columns[table] = [.. names];
        }

        return columns;
    }

    /// <summary>Every row of every table of the public schema, as PostgreSQL writes a row as text, sorted.</summary>
    private static async Task<Dictionary<string, List<string>>> PostgresRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM public.\"{table}\" AS t ORDER BY 1", connection);
            await using var reader = await select.ExecuteReaderAsync();
            rows[table] = [];
            while (await reader.ReadAsync())
            {
                rows[table].Add(reader.GetString(0));
            }
        }

        return rows;
    }

    private static async Task RestorePostgresFixtureAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var restore = new NpgsqlCommand(await File.ReadAllTextAsync(PostgresFixture), connection);
        await restore.ExecuteNonQueryAsync();
    }

    private static PostgresKinerjaDbContext PostgresContext(string connectionString) =>
        (PostgresKinerjaDbContext)PersistenceServiceCollectionExtensions.NewContext(
            new DatabaseSettings(DatabaseProvider.Postgres, connectionString, Path.GetTempPath()));
}
