using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>The EF model and the versioned SQL scripts describe the same schema, on both providers.</summary>
public sealed class SchemaAgreementTests
{
    private const string VersionTable = "schema_versions";

    public static TheoryData<string> ModelTables()
    {
        using var db = SqliteModel();
        var data = new TheoryData<string>();
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            data.Add(table.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelTables))]
    public async Task Sqlite_script_creates_each_table_as_the_model_maps_it(string table)
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await using var db = database.NewContext();
        using var connection = database.OpenConnection();

        var scripted = SchemaShape.FromSqlite(connection);
        var modelled = SchemaShape.FromModel(db, SchemaShape.SqliteAffinity);

        scripted.Should().ContainKey(table);
        scripted[table].Should().BeEquivalentTo(modelled[table]);
    }

    [Fact]
    public async Task Sqlite_script_creates_nothing_the_model_does_not_know()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await using var db = database.NewContext();
        using var connection = database.OpenConnection();

        var scripted = SchemaShape.FromSqlite(connection).Keys.Where(t => t != VersionTable);

        scripted.Should().BeEquivalentTo(SchemaShape.FromModel(db, SchemaShape.SqliteAffinity).Keys);
    }

    [Theory]
    [MemberData(nameof(ModelTables))]
    public void Postgres_script_creates_each_table_as_the_model_maps_it(string table)
    {
        using var db = PostgresModel();
        var scripted = SchemaShape.FromPostgresScript(AllScripts(DatabaseProvider.Postgres));
        var modelled = SchemaShape.FromModel(db, storeType => storeType);

        scripted.Should().ContainKey(table);
        scripted[table].Should().BeEquivalentTo(modelled[table]);
    }

    [Fact]
    public void Postgres_script_creates_nothing_the_model_does_not_know()
    {
        using var db = PostgresModel();

        var scripted = SchemaShape.FromPostgresScript(AllScripts(DatabaseProvider.Postgres)).Keys;

        scripted.Should().BeEquivalentTo(SchemaShape.FromModel(db, storeType => storeType).Keys);
    }

    [Fact]
    public void Both_providers_have_the_same_script_versions()
    {
        var sqlite = SchemaScripts.For(DatabaseProvider.Sqlite).Select(s => (s.Version, s.Name));
        var postgres = SchemaScripts.For(DatabaseProvider.Postgres).Select(s => (s.Version, s.Name));

        sqlite.Should().NotBeEmpty().And.Equal(postgres);
    }

    private static string AllScripts(DatabaseProvider provider) =>
        string.Join("\n", SchemaScripts.For(provider).Select(s => s.Sql.ReplaceLineEndings("\n")));

    private static KinerjaDbContext SqliteModel() =>
        new(new DbContextOptionsBuilder<KinerjaDbContext>().UseSqlite("Data Source=:memory:").Options);

    /// <summary>Building the model needs no server: nothing connects until a query runs.</summary>
    private static KinerjaDbContext PostgresModel() =>
        new(new DbContextOptionsBuilder<KinerjaDbContext>().UseNpgsql("Host=localhost;Database=kinerja_model_only").Options);
}
