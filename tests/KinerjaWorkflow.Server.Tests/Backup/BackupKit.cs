using System.Net;
using System.Security.Cryptography;
using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Attachments;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace KinerjaWorkflow.Server.Tests.Backup;

/// <summary>Where a test installation's data lives, and the backups and restores of it.</summary>
internal static class BackupKit
{
    public const string Laporan = "uji-laporan-sederhana";

    /// <summary>The data of a <see cref="ServerData"/> on SQLite as the service resolves it: the file, attachments and Hangfire's file beside it.</summary>
    public static BackupSources SourcesOf(ServerData data)
    {
        var database = new DatabaseSettings(DatabaseProvider.Sqlite, data.ConnectionString, data.Folder);
        return BackupSources.Of(database, Path.Combine(data.Folder, "attachments"), new ConfigurationBuilder().Build());
    }

    public static Task<BackupResult> BackUpAsync(ServerData data, string into) =>
        new BackupWriter(SourcesOf(data), null, TimeProvider.System, NullLogger.Instance).WriteAsync(into, CancellationToken.None);

    public static Task<RestoreResult> RestoreAsync(string backup, ServerData into, bool force = false) =>
        new BackupRestorer(SourcesOf(into), null, NullLogger.Instance).RestoreAsync(backup, force, CancellationToken.None);

    /// <summary>Every table of a SQLite file read as a backup reads it: rows and the digest of their contents.</summary>
    public static async Task<IReadOnlyList<BackupTable>> TablesOfAsync(string databaseFile)
    {
        await using var connection = BackupWriter.Open(databaseFile);
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await new DatabaseSnapshot(connection, transaction, sqlite: true).TablesAsync(CancellationToken.None);
    }

    /// <summary>Every file under a folder with its SHA-256, by path relative to it.</summary>
    public static Dictionary<string, string> FilesOf(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))
            : [];

    /// <summary>One walk of the test SOP's first step: start, upload a document of its own, complete; returns the instance and the document's bytes.</summary>
    public static async Task<(Guid Instance, byte[] Document)> WalkAsync(HttpClient staf, string businessKey)
    {
        var instance = (await staf.StartAsync(Laporan, businessKey)).Id();
        var task = await staf.OpenTaskAsync(instance, "Susun");
        var document = Documents.Pdf(businessKey);
        await staf.PostAsync($"/api/tasks/{task}/attachments", Documents.Upload(document, $"{businessKey}.pdf", "application/pdf"))
            .OkJsonAsync(HttpStatusCode.Created);
        await staf.CompleteAsync(task, comment: $"selesai {businessKey}");
        return (instance, document);
    }

    /// <summary>
    /// Makes a stored document a pipe, so a backup's copy of it waits until the test writes its bytes there: the
    /// backup is certainly still running for as long as the test needs. Returns the document's path.
    /// </summary>
    public static async Task<string> PipeTheDocumentAsync(string documentsFolder, byte[] document)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(document));
        var stored = Path.Combine(documentsFolder, sha256[..2], sha256);
        File.Delete(stored);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", stored);
        await mkfifo.WaitForExitAsync();
        mkfifo.ExitCode.Should().Be(0);
        return stored;
    }

    public static void FlipOneByte(string file, long at)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = at;
        var value = stream.ReadByte();
        stream.Position = at;
        stream.WriteByte((byte)(value ^ 0x01));
    }
}

/// <summary>
/// A backup's round trip on disk: the installation it is taken of, the empty one it is restored into (both on SQLite,
/// whose file the tests read), and the folder the backups go into; all three are removed when the test ends.
/// </summary>
internal sealed class SourceAndTarget : IDisposable
{
    public ServerData Source { get; } = new("sqlite");
    public ServerData Target { get; } = new("sqlite");
    public string Backups { get; } = Path.Combine(Path.GetTempPath(), "kinerja-tests", "backups-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Source.Dispose();
        Target.Dispose();
        if (Directory.Exists(Backups))
        {
            Directory.Delete(Backups, recursive: true);
        }
    }
}
