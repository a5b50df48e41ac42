using System.Diagnostics.Metrics;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>
/// On SQLite the write-ahead log is copied back into the database file beside the commands (<see cref="WalCheckpointer"/>),
/// and the commands' own connections checkpoint only past <see cref="WalCheckpointer.BackstopPages"/>.
/// </summary>
public sealed class WalCheckpointerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    private IDbContextFactory<KinerjaDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<KinerjaDbContext>>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        _services = _database.PersistenceServices();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task Every_thirty_second_transaction_the_service_commits_has_the_log_copied_into_the_database_in_the_background()
    {
        var checkpointer = _services.GetRequiredService<WalCheckpointer>();
        var copied = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == checkpointer.Meter && instrument.Name == "kinerja.database.checkpointed_pages")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, pages, _, _) => copied.TrySetResult(pages));
        listener.Start();
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            await CommitAsync(WalCheckpointer.CommitsPerCheckpoint - 1);
            copied.Task.IsCompleted.Should().BeFalse("no checkpoint is due before the thirty-second commit");

            await CommitAsync(1);

            (await copied.Task.WaitAsync(TimeSpan.FromSeconds(30))).Should().BePositive();
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_services_connections_checkpoint_by_themselves_only_past_the_backstop()
    {
        await using var db = await Contexts.CreateDbContextAsync();

        (await AutocheckpointAsync(db)).Should().Be(WalCheckpointer.BackstopPages);
    }

    [Fact]
    public async Task A_context_made_outside_the_service_keeps_sqlites_own_checkpoint()
    {
        await using var db = _database.NewContext();

        (await AutocheckpointAsync(db)).Should().Be(1000);
    }

    private async Task CommitAsync(int commits)
    {
        for (var i = 0; i < commits; i++)
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var id = Guid.NewGuid().ToString("N");
            db.Offices.Add(new OfficeRecord { Id = id, Name = id, TimeZone = "Asia/Jakarta", OrganizationYaml = string.Empty });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
    }

    private static async Task<long> AutocheckpointAsync(KinerjaDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint;";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
