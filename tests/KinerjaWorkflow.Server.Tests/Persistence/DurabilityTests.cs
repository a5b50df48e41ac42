using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary><c>Database:Durability</c> (README, Settings): what SQLite's synchronous is on every connection of the service.</summary>
public sealed class DurabilityTests
{
    /// <summary>SQLite's own numbers for PRAGMA synchronous.</summary>
    private const long Full = 2;
    private const long Normal = 1;

    [Theory]
    [InlineData(null, Full)]
    [InlineData("Full", Full)]
    [InlineData("normal", Normal)]
    [InlineData(" NORMAL ", Normal)]
    public async Task The_setting_is_each_connections_synchronous(string? durability, long synchronous)
    {
        using var database = TestDatabase.Create(new Dictionary<string, string?> { [DatabaseSettings.DurabilityKey] = durability });
        await using var db = database.NewContext();
        await db.Database.OpenConnectionAsync();

        (await SynchronousAsync(db)).Should().Be(synchronous);
    }

    [Fact]
    public async Task The_running_service_commits_with_the_configured_durability()
    {
        var server = new KinerjaServer(new ServerData("sqlite"), new Dictionary<string, string?> { [DatabaseSettings.DurabilityKey] = "Normal" });
        try
        {
            using var client = server.CreateClient();
            await using var scope = server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            await db.Database.OpenConnectionAsync();

            (await SynchronousAsync(db)).Should().Be(Normal);
        }
        finally
        {
            await server.DisposeAsync();
            server.Data.Dispose();
        }
    }

    [Fact]
    public void An_unknown_durability_stops_start_up_and_names_the_choices()
    {
        var server = new KinerjaServer(new ServerData("sqlite"), new Dictionary<string, string?> { [DatabaseSettings.DurabilityKey] = "fast" });
        try
        {
            var start = () => server.CreateClient();

            start.Should().Throw<InvalidOperationException>()
                .WithMessage("Database:Durability 'fast' is not supported; use 'Full' (the default*) or 'Normal'*");
        }
        finally
        {
            server.Dispose();
            server.Data.Dispose();
        }
    }

    [Fact]
    public void Normal_is_refused_on_postgres_whose_server_decides_durability()
    {
        var act = () => TestDatabase.Create(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Kinerja"] = "Host=db;Database=kinerja",
            [DatabaseSettings.DurabilityKey] = "Normal",
        });

        act.Should().Throw<InvalidOperationException>().WithMessage("*applies to SQLite only*synchronous_commit*");
    }

    private static async Task<long> SynchronousAsync(KinerjaDbContext db)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
