using System.Diagnostics;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using static KinerjaWorkflow.Server.Tests.Backup.BackupKit;

namespace KinerjaWorkflow.Server.Tests.Backup;

/// <summary>The backup and restore verbs of the built server, run as an operator runs them.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly SourceAndTarget _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_backup_verb_copies_a_running_service_and_the_restore_verb_brings_it_back_only_into_an_empty_location_unless_forced()
    {
        using var running = new KinerjaServer(_data.Source);
        await WalkAsync(await running.SignInAsync("staf.uji"), "cli-1");

        var backup = await RunAsync(_data.Source, "backup", _data.Backups);

        backup.ExitCode.Should().Be(0, backup.Output);
        var folder = Directory.GetDirectories(_data.Backups).Should().ContainSingle().Subject;
        backup.Output.Should().Contain($"Backup written to {folder}").And.Contain("1 document(s)");

        var restore = await RunAsync(_data.Target, "restore", folder);
        restore.ExitCode.Should().Be(0, restore.Output);
        restore.Output.Should().Contain("every table matches the manifest");
        (await TablesOfAsync(_data.Target.DatabasePath)).Should().Equal((await KinerjaWorkflow.Server.Backup.BackupManifest.ReadAsync(folder, CancellationToken.None)).Tables);

        var again = await RunAsync(_data.Target, "restore", folder);
        again.ExitCode.Should().Be(1);
        again.Output.Should().Contain("already holds data").And.Contain("--force");

        var forced = await RunAsync(_data.Target, "restore", folder, "--force");
        forced.ExitCode.Should().Be(0, forced.Output);

        var usage = await RunAsync(_data.Target, "restore");
        usage.ExitCode.Should().Be(2);
        usage.Output.Should().Contain("Usage: backup <folder>");
    }

    [Fact]
    public async Task The_restore_verb_is_refused_while_a_service_runs_on_the_data_and_goes_ahead_once_that_service_was_killed()
    {
        string folder;
        using (var source = new KinerjaServer(_data.Source))
        {
            await WalkAsync(await source.SignInAsync("staf.uji"), "cli-berjalan");
            folder = (await BackUpAsync(_data.Source, _data.Backups)).Folder;
        }

        await using var service = new ServiceProcess("sasaran", _data.Target);
        await service.StartAsync();
        var before = await TablesOfAsync(_data.Target.DatabasePath);

        var refused = await RunAsync(_data.Target, "restore", folder, "--force");

        refused.ExitCode.Should().Be(1, refused.Output);
        refused.Output.Should().Contain($"A service is running on {_data.Target.DatabasePath}: stop it first").And.Contain("Nothing was changed");
        (await TablesOfAsync(_data.Target.DatabasePath)).Should().Equal(before, "the running service's data is as it was");
        FilesOf(Path.Combine(_data.Target.Folder, "attachments")).Should().BeEmpty();

        service.Kill();
        var restored = await RunAsync(_data.Target, "restore", folder, "--force");

        restored.ExitCode.Should().Be(0, "a killed service holds no lock: " + restored.Output);
        (await TablesOfAsync(_data.Target.DatabasePath)).Should().Equal((await KinerjaWorkflow.Server.Backup.BackupManifest.ReadAsync(folder, CancellationToken.None)).Tables);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ServerData data, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(ServiceProcess.ServerAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ServiceProcess.ServerAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Kinerja"] = data.ConnectionString;
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
