using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Scheduling;
using Microsoft.EntityFrameworkCore;
using static KinerjaWorkflow.Server.Tests.Backup.BackupKit;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Backup;

/// <summary>The schedule comes back with the data: what came due while no service ran fires once on the restored one.</summary>
public sealed class RestoredScheduleTests : IDisposable
{
    private readonly SourceAndTarget _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_restored_service_fires_a_pending_escalation_exactly_once()
    {
        Guid task;
        var before = new RecordingSender();
        string backup;
        using (var source = new SchedulingServer(_data.Source, before))
        {
            source.Clock.SetTo(Wita("2025-03-03T08:00"));
            var staf = await source.SignInAsync("staf.uji");
            task = await staf.OpenTaskAsync((await staf.StartAsync(Laporan, "dipulihkan")).Id(), "Susun");
            backup = (await BackUpAsync(_data.Source, _data.Backups)).Folder;
        }

        await RestoreAsync(backup, _data.Target);

        // Restored on another machine an hour and a quarter later: the reminder (09:30) and the escalation (10:00) came due meanwhile.
        var after = new RecordingSender();
        using var restored = new SchedulingServer(_data.Target, after, Wita("2025-03-03T10:15"));
        await after.WaitForAsync(m => m.DeduplicationKey == $"escalation:{task}:1", "the escalation after the restore");
        var handled = await restored.WaitForAsync(
            db => db.ScheduledItems.Where(n => n.TaskId == task && (n.Status == "done" || n.Status == "cancelled")).ToListAsync(),
            rows => rows.Count == 2,
            "the reminder and the escalation handled after the restore");
        handled.Single(n => n.Kind == "escalation").Status.Should().Be("done");
        handled.Single(n => n.Kind == "reminder").Status.Should().Be("cancelled", "its deadline had passed too: the escalation tells instead");

        // A second sweep and a marker escalating later give the scheduler every chance to fire the first one again.
        await restored.Services.GetRequiredService<ScheduleSweep>().SweepAsync(CancellationToken.None);
        var staf2 = await restored.SignInAsync("staf.uji2");
        var marker = await staf2.OpenTaskAsync((await staf2.StartAsync(Laporan, "penanda")).Id(), "Susun");
        restored.Clock.Advance(TimeSpan.FromDays(1));
        await after.WaitForAsync(m => m.DeduplicationKey == $"escalation:{marker}:1", "the marker's escalation");

        before.Calls.Should().Be(0);
        after.Delivered.Where(m => m.TaskId == task).Select(m => m.DeduplicationKey).Should().Equal($"escalation:{task}:1");
    }
}
