using System.Text.Json;
using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using static KinerjaWorkflow.Server.Tests.Backup.BackupKit;

namespace KinerjaWorkflow.Server.Tests.Backup;

/// <summary>A restore that cannot be trusted or would overwrite data is refused with a message naming why, and changes nothing.</summary>
public sealed class RestoreRefusalTests : IClassFixture<RestoreRefusalTests.OneBackup>, IDisposable
{
    private readonly OneBackup _backup;
    private readonly ServerData _target = new("sqlite");
    private readonly string _copy;

    public RestoreRefusalTests(OneBackup backup)
    {
        _backup = backup;
        _copy = Path.Combine(Path.GetTempPath(), "kinerja-tests", "backup-copy-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(backup.Result.Folder, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(_copy, Path.GetRelativePath(backup.Result.Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    public void Dispose()
    {
        _target.Dispose();
        Directory.Delete(_copy, recursive: true);
    }

    public static TheoryData<string> Parts() => new() { "database/kinerja.db", "scheduler/kinerja.hangfire.db", "attachments" };

    [Theory]
    [MemberData(nameof(Parts))]
    public async Task A_backup_with_one_flipped_byte_is_refused_naming_the_file_and_nothing_is_changed(string part)
    {
        var file = part == "attachments"
            ? _backup.Result.Manifest.Files.First(f => f.Path.StartsWith("attachments/", StringComparison.Ordinal)).Path
            : part;
        FlipOneByte(Path.Combine(_copy, file), new FileInfo(Path.Combine(_copy, file)).Length / 2);

        var refused = async () => await RestoreAsync(_copy, _target);

        (await refused.Should().ThrowAsync<BackupException>())
            .Which.Message.Should().Contain($"{file} does not match its checksum in the manifest").And.Contain("Nothing was changed");
        NothingRestored();
    }

    [Fact]
    public async Task A_backup_whose_manifest_has_a_flipped_byte_is_refused()
    {
        FlipOneByte(Path.Combine(_copy, BackupManifest.FileName), 40);

        var refused = async () => await RestoreAsync(_copy, _target);

        (await refused.Should().ThrowAsync<BackupException>())
            .Which.Message.Should().Contain("manifest.json does not match its checksum");
        NothingRestored();
    }

    [Fact]
    public async Task A_backup_from_a_newer_schema_is_refused_naming_both_versions()
    {
        var manifest = _backup.Result.Manifest;
        const string future = "29991231000000_DariMasaDepan";
        await (manifest with { SchemaVersion = future, Migrations = [.. manifest.Migrations, future] }).WriteAsync(_copy, CancellationToken.None);

        var refused = async () => await RestoreAsync(_copy, _target);

        (await refused.Should().ThrowAsync<BackupException>())
            .Which.Message.Should().Contain($"newer schema ({future}").And.Contain($"its last migration is {manifest.SchemaVersion}");
        NothingRestored();
    }

    [Fact]
    public async Task A_database_that_holds_data_is_not_overwritten_unless_forced()
    {
        await RestoreAsync(_copy, _target);
        var restored = File.ReadAllBytes(_target.DatabasePath);
        var refused = async () => await RestoreAsync(_copy, _target);

        (await refused.Should().ThrowAsync<BackupException>())
            .Which.Message.Should().Contain("already holds data").And.Contain("--force");
        File.ReadAllBytes(_target.DatabasePath).Should().Equal(restored);

        var forced = await RestoreAsync(_copy, _target, force: true);
        forced.Manifest.CreatedAt.Should().Be(_backup.Result.Manifest.CreatedAt);
        (await TablesOfAsync(_target.DatabasePath)).Should().Equal(_backup.Result.Manifest.Tables);
    }

    private void NothingRestored()
    {
        File.Exists(_target.DatabasePath).Should().BeFalse();
        File.Exists(Path.Combine(_target.Folder, "kinerja.hangfire.db")).Should().BeFalse();
        FilesOf(Path.Combine(_target.Folder, "attachments")).Should().BeEmpty();
    }

    /// <summary>One backup of an installation with a document, shared by the tests, which each damage a copy of it.</summary>
    public sealed class OneBackup : IAsyncLifetime, IDisposable
    {
        private readonly ServerData _data = new("sqlite");
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "kinerja-tests", "backups-" + Guid.NewGuid().ToString("N"));

        public BackupResult Result { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            using var server = new KinerjaServer(_data);
            await WalkAsync(await server.SignInAsync("staf.uji"), "rusak-1");
            Result = await BackUpAsync(_data, _folder);
        }

        public Task DisposeAsync()
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            _data.Dispose();
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}
