using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SQLitePCL;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>
/// On SQLite, the service's connections stay open, each context takes the one given back last, and the statements
/// it ran stay prepared (<see cref="KeptOpenSqliteConnection"/>, <see cref="WarmSqliteConnections"/>,
/// <see cref="SqliteStatementCache"/>): what SQLite itself holds for a connection is read back through its own list
/// of prepared statements.
/// </summary>
public sealed class KeptStatementsTests : IAsyncLifetime
{
    /// <summary>SQLite's SQLITE_STMTSTATUS_RUN, which SQLitePCL does not name.</summary>
    private const int StatementRuns = 6;

    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    private IDbContextFactory<KinerjaDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<KinerjaDbContext>>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        _services = _database.PersistenceServices();
        await using var db = await Contexts.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        Listing((SqliteConnection)db.Database.GetDbConnection());
        db.Offices.AddRange(Office("kantor-a", "Kantor A"), Office("kantor-b", "Kantor B"));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task A_query_run_again_on_a_pooled_context_reuses_the_statement_prepared_the_first_time()
    {
        string sql;
        IntPtr first;
        SqliteConnection connection;
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            connection = (SqliteConnection)db.Database.GetDbConnection();
            (await NameOfAsync(db, "kantor-a")).Should().Be("Kantor A");
            (sql, first) = PreparedOn(connection).Single(s => s.Sql.StartsWith("SELECT", StringComparison.Ordinal) && s.Sql.Contains("FROM \"offices\"", StringComparison.Ordinal));
        }

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            db.Database.GetDbConnection().Should().BeSameAs(connection);
            connection.State.Should().Be(System.Data.ConnectionState.Open);

            (await NameOfAsync(db, "kantor-b")).Should().Be("Kantor B", "the kept statement is bound to this execution's value");
            PreparedOn(connection).Where(s => s.Sql == sql).Select(s => s.Handle).Should().Equal(first);
            Runs(connection, first).Should().Be(2);
        }
    }

    [Fact]
    public async Task A_context_given_back_inside_a_transaction_comes_back_outside_it_with_nothing_of_it_written()
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await db.Database.BeginTransactionAsync();
            db.Offices.Add(Office("kantor-c", "Kantor C"));
            await db.SaveChangesAsync();
        }

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            (await NameOfAsync(db, "kantor-c")).Should().BeNull();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            raw.sqlite3_get_autocommit(connection.Handle).Should().Be(1, "no transaction is left open on the connection");
        }
    }

    [Fact]
    public async Task A_connection_keeps_at_most_its_share_of_texts_prepared()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        for (var i = 0; i < SqliteStatementCache.TextsPerConnection + 44; i++)
        {
            var text = $"SELECT {i} AS \"Value\"";
            (await db.Database.SqlQueryRaw<int>(text).ToListAsync()).Should().Equal(i);
        }

        PreparedOn(connection).Count(s => s.Sql.Contains(" AS \"Value\"", StringComparison.Ordinal))
            .Should().Be(SqliteStatementCache.TextsPerConnection);
    }

    [Fact]
    public async Task Two_readers_of_one_text_open_at_once_each_read_their_own_rows()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var outer = db.Offices.Where(o => o.Id == "kantor-a").Select(o => o.Name).AsAsyncEnumerable().GetAsyncEnumerator();
        try
        {
            (await outer.MoveNextAsync()).Should().BeTrue();
            (await db.Offices.Where(o => o.Id == "kantor-b").Select(o => o.Name).ToListAsync()).Should().Equal("Kantor B");
            outer.Current.Should().Be("Kantor A");
            (await outer.MoveNextAsync()).Should().BeFalse();
        }
        finally
        {
            await outer.DisposeAsync();
        }

        (await NameOfAsync(db, "kantor-a")).Should().Be("Kantor A");
    }

    [Fact]
    public async Task Each_context_runs_on_the_connection_given_back_last_and_two_at_once_on_two()
    {
        SqliteConnection last;
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            (await NameOfAsync(db, "kantor-a")).Should().Be("Kantor A");
            last = (SqliteConnection)db.Database.GetDbConnection();
        }

        await using var first = await Contexts.CreateDbContextAsync();
        await using var second = await Contexts.CreateDbContextAsync();
        (await NameOfAsync(first, "kantor-a")).Should().Be("Kantor A");
        (await NameOfAsync(second, "kantor-b")).Should().Be("Kantor B");

        first.Database.GetDbConnection().Should().BeSameAs(last, "its page cache holds what it wrote and read last");
        second.Database.GetDbConnection().Should().NotBeSameAs(last);
    }

    [Fact]
    public async Task A_transaction_begun_outside_EF_and_left_open_is_rolled_back_before_the_next_context()
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("BEGIN;");
            await db.Database.ExecuteSqlRawAsync("INSERT INTO offices (id, name, time_zone, organization_yaml) VALUES ('kantor-d', 'Kantor D', 'Asia/Jakarta', '');");
        }

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            raw.sqlite3_get_autocommit(connection.Handle).Should().Be(1);
            (await NameOfAsync(db, "kantor-d")).Should().BeNull("the transaction was rolled back");
        }
    }

    [Fact]
    public async Task A_disposed_context_outside_the_pool_closes_its_connection()
    {
        SqliteConnection connection;
        await using (var db = _database.NewContext())
        {
            (await NameOfAsync(db, "kantor-a")).Should().Be("Kantor A");
            connection = (SqliteConnection)db.Database.GetDbConnection();
            connection.State.Should().Be(System.Data.ConnectionState.Open);
        }

        connection.State.Should().Be(System.Data.ConnectionState.Closed);
    }

    private static Task<string?> NameOfAsync(KinerjaDbContext db, string id) =>
        db.Offices.Where(o => o.Id == id).Select(o => o.Name).SingleOrDefaultAsync();

    /// <summary>
    /// Lets <see cref="PreparedOn"/> list the statements the connection prepares from now on: SQLitePCL knows only
    /// those prepared after this, so it is called as the pooled context first opens its connection.
    /// </summary>
    private static void Listing(SqliteConnection connection) => connection.Handle!.enable_sqlite3_next_stmt(true);

    /// <summary>How many times SQLite ran the prepared statement.</summary>
    private static int Runs(SqliteConnection connection, IntPtr handle)
    {
        for (var statement = raw.sqlite3_next_stmt(connection.Handle, null); statement is not null; statement = raw.sqlite3_next_stmt(connection.Handle, statement))
        {
            if (statement.DangerousGetHandle() == handle)
            {
                return raw.sqlite3_stmt_status(statement, StatementRuns, 0);
            }
        }

        throw new InvalidOperationException("The statement is no longer prepared on the connection.");
    }

    /// <summary>The statements SQLite holds prepared on the connection, with their text.</summary>
    private static List<(string Sql, IntPtr Handle)> PreparedOn(SqliteConnection connection)
    {
        var statements = new List<(string, IntPtr)>();
        for (var statement = raw.sqlite3_next_stmt(connection.Handle, null); statement is not null; statement = raw.sqlite3_next_stmt(connection.Handle, statement))
        {
            statements.Add((raw.sqlite3_sql(statement).utf8_to_string(), statement.DangerousGetHandle()));
        }

        return statements;
    }

    private static OfficeRecord Office(string id, string name) =>
        new() { Id = id, Name = name, TimeZone = "Asia/Jakarta", OrganizationYaml = string.Empty };
}
