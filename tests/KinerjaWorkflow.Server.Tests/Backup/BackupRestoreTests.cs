using System.Net;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KinerjaWorkflow.Server.Tests.Backup.BackupKit;

namespace KinerjaWorkflow.Server.Tests.Backup;

/// <summary>A backup taken while the service works restores, in a new folder, to exactly the instant it was taken at (issue 18).</summary>
public sealed class BackupRestoreTests : IDisposable
{
    private const int Workers = 4;

    /// <summary>The load is bounded: each worker walks at most this many instances.</summary>
    private const int MaxWalksPerWorker = 40;

    private readonly SourceAndTarget _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_backup_taken_under_load_restores_every_table_and_document_as_they_were_at_its_instant()
    {
        BackupResult backup;
        Dictionary<Guid, byte[]> walkedBefore;
        long instancesAfterLoad;
        using (var server = new KinerjaServer(_data.Source))
        {
            var staf = await server.SignInAsync("staf.uji");
            walkedBefore = new Dictionary<Guid, byte[]>();
            for (var i = 0; i < 3; i++)
            {
                var (instance, document) = await WalkAsync(staf, $"sebelum-{i}");
                walkedBefore[instance] = document;
            }

            var backupStarted = new TaskCompletionSource();
            var backupDone = new TaskCompletionSource();
            var walkers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
            {
                var client = await server.SignInAsync(w % 2 == 0 ? "staf.uji" : "staf.uji2");
                for (var walks = 0; walks < MaxWalksPerWorker && !backupDone.Task.IsCompleted; walks++)
                {
                    await WalkAsync(client, $"beban-{w}-{walks}");
                    backupStarted.TrySetResult();
                }

                // One more walk once the backup is done, so the source certainly moves on past the backup's instant.
                await backupDone.Task;
                await WalkAsync(client, $"sesudah-{w}");
            })).ToList();

            await backupStarted.Task;
            backup = await BackUpAsync(_data.Source, _data.Backups);
            backupDone.SetResult();
            await Task.WhenAll(walkers);
            instancesAfterLoad = (await TablesOfAsync(_data.Source.DatabasePath)).Single(t => t.Name == "instances").Rows;
        }

        var manifest = backup.Manifest;
        var instancesAtBackup = manifest.Tables.Single(t => t.Name == "instances").Rows;
        instancesAtBackup.Should().BeGreaterThan(walkedBefore.Count, "walks of the load committed before the backup's instant");
        instancesAtBackup.Should().BeLessThan(instancesAfterLoad, "walks of the load committed after it");
        manifest.SchemaVersion.Should().Be(manifest.Migrations[^1]);
        manifest.Files.Select(f => f.Path).Should().Contain(["database/kinerja.db", "scheduler/kinerja.hangfire.db"]);

        var restored = await RestoreAsync(backup.Folder, _data.Target);

        restored.Documents.Should().Be(manifest.Documents);
        (await TablesOfAsync(_data.Target.DatabasePath)).Should().Equal(manifest.Tables, "every table's rows are those the source held at the backup's instant");
        var documents = FilesOf(Path.Combine(_data.Target.Folder, "attachments"));
        documents.Should().HaveCount(manifest.Documents);
        documents.Should().OnlyContain(d => Path.GetFileName(d.Key) == d.Value, "each document has the content its checksum names");
        manifest.Files.Where(f => f.Path.StartsWith("attachments/", StringComparison.Ordinal))
            .Select(f => (f.Path["attachments/".Length..].Replace('/', Path.DirectorySeparatorChar), f.Sha256))
            .Should().BeEquivalentTo(documents.Select(d => (d.Key, d.Value)));

        using var again = new KinerjaServer(_data.Target);
        var stafAgain = await again.SignInAsync("staf.uji");
        List<AttachmentRecord> uploaded;
        using (var scope = again.Services.CreateScope())
        {
            var ids = walkedBefore.Keys.ToList();
            uploaded = await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().Set<AttachmentRecord>()
                .Where(a => ids.Contains(a.InstanceId)).ToListAsync();
        }

        uploaded.Select(a => a.InstanceId).Should().BeEquivalentTo(walkedBefore.Keys);
        foreach (var attachment in uploaded)
        {
            var history = await stafAgain.GetAsync($"/api/instances/{attachment.InstanceId}/history").OkJsonAsync();
            history.ToString().Should().Contain("selesai sebelum-", "the completed step's comment is in the restored history");
            var download = await stafAgain.GetAsync($"/api/attachments/{attachment.Id}");
            download.StatusCode.Should().Be(HttpStatusCode.OK);
            (await download.Content.ReadAsByteArrayAsync()).Should().Equal(walkedBefore[attachment.InstanceId]);
        }
    }
}
