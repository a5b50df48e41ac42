using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using static KinerjaWorkflow.Server.Tests.Backup.BackupKit;

namespace KinerjaWorkflow.Server.Tests.Backup;

/// <summary>What a crashed backup left in the backup folder goes with the next backup; nothing else there does.</summary>
public sealed class UnfinishedBackupTests : IDisposable
{
    private readonly SourceAndTarget _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_next_backup_removes_the_partial_folders_crashed_backups_left_and_keeps_one_being_written_and_everything_else()
    {
        using var server = new KinerjaServer(_data.Source);
        await WalkAsync(await server.SignInAsync("staf.uji"), "sisa-1");
        var earlier = await BackUpAsync(_data.Source, _data.Backups);

        // Crashed mid-backup: the folder and the lock file its writer held, no longer locked by anyone.
        var crashed = Leftover("kinerja-20250106-020000.partial");
        await File.WriteAllTextAsync(crashed + BackupWriter.LockSuffix, string.Empty);
        var crashedSecondInItsSecond = Leftover("kinerja-20250107-020000-2.partial");
        var orphanLock = Path.Combine(_data.Backups, "kinerja-20250108-020000.partial" + BackupWriter.LockSuffix);
        await File.WriteAllTextAsync(orphanLock, string.Empty);

        // Being written by another backup, which holds its lock.
        var inProgress = Leftover("kinerja-20250109-020000.partial");
        using var writer = LockFile.TryTake(inProgress + BackupWriter.LockSuffix, exclusive: true);
        writer.Should().NotBeNull();

        // Not of the backup's naming.
        var notes = Leftover("kinerja-catatan.partial");
        var foreign = Leftover("arsip-20250106-020000.partial");
        var file = Path.Combine(_data.Backups, "kinerja-20250106-020000.partial.txt");
        await File.WriteAllTextAsync(file, "catatan operator");

        var next = await BackUpAsync(_data.Source, _data.Backups);

        Directory.GetDirectories(_data.Backups).Should().BeEquivalentTo([earlier.Folder, next.Folder, inProgress, notes, foreign]);
        Directory.GetFiles(_data.Backups).Should().BeEquivalentTo([inProgress + BackupWriter.LockSuffix, file]);
        FilesOf(inProgress).Should().ContainKey(Path.Combine("database", "kinerja.db"), "a backup being written is left alone");
        Directory.Exists(crashed).Should().BeFalse();
        Directory.Exists(crashedSecondInItsSecond).Should().BeFalse();
        File.Exists(orphanLock).Should().BeFalse();
    }

    /// <summary>A folder in the backup folder with half a database in it, as a backup leaves it.</summary>
    private string Leftover(string name)
    {
        var folder = Path.Combine(_data.Backups, name);
        Directory.CreateDirectory(Path.Combine(folder, "database"));
        File.WriteAllText(Path.Combine(folder, "database", "kinerja.db"), "setengah");
        return folder;
    }
}
