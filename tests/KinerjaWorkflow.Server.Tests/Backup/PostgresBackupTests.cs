using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.ScaleOut;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static KinerjaWorkflow.Server.Tests.Backup.BackupKit;

namespace KinerjaWorkflow.Server.Tests.Backup;

/// <summary>On PostgreSQL a backup is pg_dump's custom format taken in the manifest's snapshot, with the same manifest and documents.</summary>
public sealed class PostgresBackupTests : IDisposable
{
    private readonly string _backups = Path.Combine(Path.GetTempPath(), "kinerja-tests", "backups-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_backups))
        {
            Directory.Delete(_backups, recursive: true);
        }
    }

    [Fact]
    [Trait(TwoNodeTests.Category, TwoNodeTests.PostgresOnly)]
    public async Task A_PostgreSQL_installation_is_dumped_in_the_manifest_snapshot_and_restored_into_an_empty_database()
    {
        using var source = new ServerData("postgres");
        using var target = new ServerData("postgres");
        Guid instance;
        byte[] document;
        using (var server = new KinerjaServer(source, new Dictionary<string, string?> { ["Attachments:Path"] = Path.Combine(source.Folder, "attachments") }))
        {
            (instance, document) = await WalkAsync(await server.SignInAsync("staf.uji"), "postgres-1");
        }

        var tools = PostgresCluster.Shared.BinFolder;
        var backup = await new BackupWriter(Postgres(source), tools, TimeProvider.System, NullLogger.Instance).WriteAsync(_backups, CancellationToken.None);

        backup.Manifest.Provider.Should().Be("postgres");
        backup.Manifest.Files.Select(f => f.Path).Should().Contain(BackupManifest.PostgresDumpFile).And.NotContain(BackupManifest.SchedulerFile);
        backup.Manifest.Documents.Should().Be(1);

        var restored = await new BackupRestorer(Postgres(target), tools, NullLogger.Instance).RestoreAsync(backup.Folder, force: false, CancellationToken.None);
        restored.Documents.Should().Be(1);
        var again = async () => await new BackupRestorer(Postgres(target), tools, NullLogger.Instance).RestoreAsync(backup.Folder, force: false, CancellationToken.None);
        (await again.Should().ThrowAsync<BackupException>()).Which.Message.Should().Contain("already holds data");

        using var restoredServer = new KinerjaServer(target, new Dictionary<string, string?> { ["Attachments:Path"] = Path.Combine(target.Folder, "attachments") });
        var staf = await restoredServer.SignInAsync("staf.uji");
        (await staf.GetAsync($"/api/instances/{instance}/history").OkJsonAsync()).ToString().Should().Contain("selesai postgres-1");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM attachments", connection);
        var attachment = (Guid)(await command.ExecuteScalarAsync())!;
        (await (await staf.GetAsync($"/api/attachments/{attachment}")).Content.ReadAsByteArrayAsync()).Should().Equal(document);
    }

    [Fact]
    [Trait(TwoNodeTests.Category, TwoNodeTests.PostgresOnly)]
    public async Task A_restore_is_refused_while_a_node_runs_on_the_database_and_goes_ahead_once_that_node_was_killed()
    {
        using var source = new ServerData("postgres");
        using var target = new ServerData("postgres");
        using (var server = new KinerjaServer(source, new Dictionary<string, string?> { ["Attachments:Path"] = Path.Combine(source.Folder, "attachments") }))
        {
            await WalkAsync(await server.SignInAsync("staf.uji"), "postgres-berjalan");
        }

        var tools = PostgresCluster.Shared.BinFolder;
        var backup = await new BackupWriter(Postgres(source), tools, TimeProvider.System, NullLogger.Instance).WriteAsync(_backups, CancellationToken.None);
        await using var node = new ServiceProcess("node1", target);
        await node.StartAsync();
        var restore = async () => await new BackupRestorer(Postgres(target), tools, NullLogger.Instance).RestoreAsync(backup.Folder, force: true, CancellationToken.None);

        (await restore.Should().ThrowAsync<BackupException>())
            .Which.Message.Should().Be("A service is running on the configured PostgreSQL database: stop it first (on PostgreSQL every node), since a restore replaces its data. Nothing was changed.");
        (await Instances(target)).Should().Be(0, "the running node's database is as it was");

        node.Kill();
        (await restore()).Manifest.CreatedAt.Should().Be(backup.Manifest.CreatedAt, "a killed node's session, and its lock, ended with it");
        (await Instances(target)).Should().Be(1);
    }

    [Fact]
    public async Task Without_pg_dump_the_backup_says_where_to_get_it()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_backups, "tanpa-pg")).FullName;

        var dump = async () => await new PostgresTools(empty).DumpAsync("Host=127.0.0.1;Database=kinerja;Username=kinerja", "0", Path.Combine(_backups, "x.dump"), CancellationToken.None);

        (await dump.Should().ThrowAsync<BackupException>())
            .Which.Message.Should().Contain($"pg_dump is not in {empty} (Backup:PostgresTools)").And.Contain("postgresql-client");
    }

    private static async Task<long> Instances(ServerData data)
    {
        await using var connection = new NpgsqlConnection(data.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM instances", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    [Trait(TwoNodeTests.Category, TwoNodeTests.PostgresOnly)]
    public async Task A_restore_lock_is_given_back_by_the_time_its_holder_is_disposed()
    {
        using var data = new ServerData("postgres");
        var sources = Postgres(data);
        await using var watcher = new NpgsqlConnection(data.ConnectionString);
        await watcher.OpenAsync();
        await using var held = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            watcher);

        for (var round = 0; round < 50; round++)
        {
            var taken = await RunningServiceLock.TryTakeForRestoreAsync(sources, CancellationToken.None);
            taken.Should().NotBeNull($"round {round}: nobody holds the lock");
            taken!.Dispose();
            ((long)(await held.ExecuteScalarAsync())!).Should().Be(0, $"round {round}: a restore that ended holds no lock, so the next one may start at once");
        }
    }

    [Fact]
    [Trait(TwoNodeTests.Category, TwoNodeTests.PostgresOnly)]
    public async Task A_held_restore_lock_refuses_a_second_restore_until_given_back()
    {
        using var data = new ServerData("postgres");
        var sources = Postgres(data);

        using (var held = await RunningServiceLock.TryTakeForRestoreAsync(sources, CancellationToken.None))
        {
            held.Should().NotBeNull();
            (await RunningServiceLock.TryTakeForRestoreAsync(sources, CancellationToken.None)).Should().BeNull();
        }

        using var again = await RunningServiceLock.TryTakeForRestoreAsync(sources, CancellationToken.None);
        again.Should().NotBeNull();
    }

    private static BackupSources Postgres(ServerData data) => BackupSources.Of(
        new DatabaseSettings(DatabaseProvider.Postgres, data.ConnectionString, data.Folder),
        Path.Combine(data.Folder, "attachments"),
        new ConfigurationBuilder().Build());
}
