using System.Text.Json;
using Hangfire;
using Hangfire.States;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.Scheduling;

/// <summary>
/// Hangfire runs a job at least once; the schedule's unique keys make the effect happen once. Through the real
/// notification sender, so the in-app notifications' unique (recipient, key) is what is tested.
/// </summary>
public sealed class ExactlyOnceTests : IDisposable
{
    private readonly ServerData _data = new();
    private readonly SchedulingServer _server;

    public ExactlyOnceTests()
    {
        _server = new SchedulingServer(_data, null);
    }

    public void Dispose()
    {
        _server.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task One_due_item_run_many_times_by_two_servers_and_a_forced_retry_notifies_each_recipient_once()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "dua-server")).Id(), "Susun");
        var storage = _server.Services.GetRequiredService<JobStorage>();

        // A second node on the same storage; the same item enqueued several times, as the sweep and a manual trigger racing would.
        using var second = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                ServerName = "node-2",
                WorkerCount = 4,
                Activator = _server.Services.GetRequiredService<JobActivator>(),
                FilterProvider = _server.Services.GetRequiredService<Hangfire.Common.IJobFilterProvider>(),
            },
            storage);
        _server.Clock.SetTo(Wita("2025-03-03T09:30"));
        var reminder = (await _server.WaitForAsync(
            db => db.ScheduledItems.SingleOrDefaultAsync(i => i.TaskId == task && i.Kind == "reminder"), i => i is not null, "the reminder scheduled"))!;
        var client = _server.Services.GetRequiredService<IBackgroundJobClient>();
        var jobs = Enumerable.Range(0, 8)
            .Select(_ => client.Enqueue<ScheduleJobs>(j => j.RunAsync("reminder", reminder.Id, null, CancellationToken.None)))
            .ToList();
        await WaitForSucceededAsync(storage, jobs);

        // A forced retry of a run whose commit was lost: the item reads enqueued again and runs once more.
        await _server.QueryAsync(db => db.ScheduledItems.Where(i => i.Id == reminder.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, "enqueued")));
        client.Requeue(jobs[0]);
        await WaitForSucceededAsync(storage, [jobs[0]]);

        var notified = await _server.QueryAsync(db => db.Set<NotificationRecord>()
            .Where(n => n.DeduplicationKey == $"reminder:{task}")
            .Select(n => n.UserName)
            .ToListAsync());
        notified.Should().BeEquivalentTo("staf.uji", "staf.uji2");
        (await _server.QueryAsync(db => db.ScheduledItems.SingleAsync(i => i.Id == reminder.Id))).Status.Should().Be("done");
    }

    [Fact]
    public async Task A_due_step_swept_by_two_nodes_at_once_is_scheduled_once()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "dua-sapuan")).Id(), "Susun");
        var now = Wita("2025-03-03T09:45");

        // Each sweep on a context of its own, as two nodes' sweeps on one database; the clock is not moved, so the
        // service's own sweep stays out of it.
        var sweeps = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = _server.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SlaSteps>().ScheduleDueAsync(now, CancellationToken.None);
        }));

        sweeps.Sum().Should().Be(1, "one sweep moves the task on; the other finds it moved");
        var rows = await _server.QueryAsync(db => db.ScheduledItems.Where(i => i.TaskId == task).ToListAsync());
        rows.Select(i => (i.Kind, i.Level, i.Status, i.DueAt)).Should().Equal(("reminder", 1, "pending", Wita("2025-03-03T09:30")));
        (await _server.NextSlaStepAtAsync(task)).Should().Be(Wita("2025-03-03T10:00"), "the escalation is next, not due at 09:45");
    }

    [Fact]
    public async Task A_task_completed_before_any_of_its_levels_is_due_sends_no_statement_to_the_schedule()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "selesai-tepat-waktu")).Id(), "Susun");

        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        using var sql = new SqlCapture(db);
        await sql.CapturingAsync(() => db.Tasks.AnyAsync(t => t.Id == task));
        await CompleteAsync(scope, task, _ => Task.CompletedTask);

        var statements = sql.Take();
        statements.Should().Contain(s => s.Text.Replace("\"", "").StartsWith("UPDATE tasks ", StringComparison.Ordinal), "the task was completed");
        statements.Should().NotContain(s => s.Text.Contains("scheduled_items", StringComparison.Ordinal), "the task read whole has put no level into the schedule");
    }

    [Fact]
    public async Task A_level_scheduled_while_its_task_is_being_completed_is_cancelled_when_due_and_reminds_nobody()
    {
        _server.Clock.SetTo(Wita("2025-03-03T08:00"));
        var staf = await _server.SignInAsync("staf.uji");
        var task = await staf.OpenTaskAsync((await staf.StartAsync("uji-laporan-sederhana", "sapuan-di-tengah")).Id(), "Susun");

        // The completion has read its task, with no level scheduled yet, when another node's sweep puts the reminder
        // (due at 09:30) into the schedule; the completion commits after it.
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            await CompleteAsync(scope, task, async read =>
            {
                read.SlaStepsScheduled.Should().Be(0);
                await using var node = _server.Services.CreateAsyncScope();
                (await node.ServiceProvider.GetRequiredService<SlaSteps>().ScheduleDueAsync(Wita("2025-03-03T09:45"), CancellationToken.None))
                    .Should().Be(1, "the other node's sweep moved the task on");
            });
        }

        (await _server.QueryAsync(db => db.ScheduledItems.SingleAsync(i => i.TaskId == task))).Status.Should().Be("pending");
        _server.Clock.SetTo(Wita("2025-03-03T09:46"));
        var reminder = await _server.WaitForAsync(
            db => db.ScheduledItems.SingleAsync(i => i.TaskId == task), i => i.Status is not ("pending" or "enqueued"), "the reminder's run");
        reminder.Status.Should().Be("cancelled", "its task was completed before the reminder ran");
        (await _server.QueryAsync(db => db.Set<NotificationRecord>().CountAsync(n => n.TaskId == task))).Should().Be(0);
    }

    /// <summary>Completes the task as staf.uji through the command runner, running <paramref name="between"/> after its read and before its write.</summary>
    private static async Task CompleteAsync(AsyncServiceScope scope, Guid taskId, Func<TaskRecord, Task> between)
    {
        var officeId = await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().Tasks
            .Where(t => t.Id == taskId).Select(t => t.OfficeId).SingleAsync();
        await scope.ServiceProvider.GetRequiredService<InstanceCommandRunner>().CompleteAsync(
            taskId,
            officeId,
            "staf.uji",
            async read =>
            {
                await between(read);
                return new CompleteTask(read.Id, null, null, new Dictionary<string, JsonElement>());
            },
            CancellationToken.None);
    }

    [Fact]
    public async Task The_readiness_check_reports_hangfires_storage_and_a_live_server()
    {
        // Hangfire's server announces itself a moment after the host has started: ready once it has, within 30 s.
        var checks = _server.Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HealthReportEntry hangfire;
        while ((hangfire = (await checks.CheckHealthAsync(c => c.Tags.Contains("ready"))).Entries["hangfire"]).Status != HealthStatus.Healthy
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        hangfire.Status.Should().Be(HealthStatus.Healthy, hangfire.Description);
        ((int)hangfire.Data["alive"]).Should().BeGreaterThan(0);
    }

    private static async Task WaitForSucceededAsync(JobStorage storage, IReadOnlyList<string> jobs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var connection = storage.GetConnection();
            var states = jobs.Select(j => connection.GetStateData(j)?.Name).ToList();
            if (states.All(s => s == SucceededState.StateName))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Jobs still {string.Join(", ", states)} after 30 s");
            }

            await Task.Delay(50);
        }
    }
}
