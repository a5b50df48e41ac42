using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Notifications;
using Npgsql;
using Xunit.Abstractions;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.ScaleOut;

/// <summary>
/// Two nodes under a bounded load, clients spread over both, one node killed with -9 in mid-load (issue 12,
/// item 2). Kantor Uji's "Laporan Sederhana": Susun (Staf, 2 Jam) then Periksa (Kepala Kantor); a Susun task
/// started Monday 08:00 is reminded at 09:30 and escalated to the Kepala at 10:00. Every reminder and escalation
/// goes to a webhook, the channel the test counts.
/// </summary>
[Trait(TwoNodeTests.Category, TwoNodeTests.PostgresOnly)]
public sealed class TwoNodeLoadTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Laporan = "uji-laporan-sederhana";
    private const int FirstInstances = 12;
    private const int RacedTasks = 6;
    private const int LaterInstances = 8;

    /// <summary>The load is cut by the kill once this many of its commands have been answered.</summary>
    private const int AnsweredBeforeKill = 6;

    /// <summary>The office's webhook secret: the receiver counts only what is signed with it.</summary>
    private const string Secret = "rahasia-dua-node";

    private readonly LoopbackReceiver _webhook = new();
    private readonly TwoNodes _nodes = new();

    public async Task InitializeAsync()
    {
        TestOffice.Configure(_nodes.Data, webhooks: (_webhook.BaseUrl + "/kinerja", Secret, ["reminder", "escalation"]));
        await _nodes.InitializeAsync();
    }

    public Task DisposeAsync() => _nodes.DisposeAsync();

    public void Dispose() => _webhook.Dispose();

    [Fact]
    public async Task Under_load_and_kill_9_of_one_node_nothing_acknowledged_is_lost_and_each_deadline_is_told_once()
    {
        var watch = Stopwatch.StartNew();
        var log = new CommandLog();
        var a = await Users.SignInAsync(_nodes.A);
        var b = await Users.SignInAsync(_nodes.B);
        var monday = await a.Staf.SetClockAsync(Wita("2025-03-03T08:00"));
        (await b.Staf.ClockAsync()).Should().Be(monday, "the clock moved through A is B's clock too");

        // Instances started through both nodes at once.
        var started = await Task.WhenAll(Enumerable.Range(0, FirstInstances)
            .Select(i => log.StartAsync(i % 2 == 0 ? a : b, $"beban-{i:00}")));
        started.Should().OnlyContain(s => s.Acknowledged, "both nodes are up");
        var susun = await Task.WhenAll(started.Select(s => a.Staf.OpenTaskAsync(s.ResultId!.Value, "Susun")));

        // The same tasks completed through both nodes at the same moment: one wins, the other is a clean conflict.
        var races = await Task.WhenAll(susun.Take(RacedTasks).Select((task, i) => Task.WhenAll(
            log.CompleteAsync(i % 2 == 0 ? a : b, Role.Staf, task),
            log.CompleteAsync(i % 2 == 0 ? b : a, Role.Staf2, task))));
        foreach (var race in races)
        {
            race.Select(r => r.Status).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict]);
            race.Single(r => r.Status == HttpStatusCode.Conflict).ContentType.Should().Be("application/problem+json");
        }

        var open = susun.Skip(RacedTasks).ToList();
        var expected = new HashSet<string>();

        // Deadlines passed through one node or the other; the jobs run on whichever node's worker takes them.
        await b.Staf.SetClockAsync(Wita("2025-03-03T09:30"));
        expected.UnionWith(open.Select(t => $"reminder:{t}"));
        await WebhooksAsync(expected);
        await a.Staf.SetClockAsync(Wita("2025-03-03T10:00"));
        expected.UnionWith(open.Select(t => $"escalation:{t}:1"));
        await WebhooksAsync(expected);
        (await b.Staf.ClockAsync()).Should().Be(Wita("2025-03-03T10:00"));

        // The load, four clients at a time over both nodes, cut by kill -9 of A once a few commands are answered.
        var periksa = await Task.WhenAll(susun.Take(RacedTasks).Select(t => TaskOfAsync(t, "Periksa")));
        var load = new List<Func<Task<Command>>>();
        for (var i = 0; i < Math.Max(LaterInstances, RacedTasks); i++)
        {
            var (first, second) = i % 2 == 0 ? (a, b) : (b, a);
            var key = $"sesudah-{i:00}";
            if (i < LaterInstances)
            {
                load.Add(() => log.StartAsync(first, key));
            }

            if (i < periksa.Length)
            {
                var task = periksa[i];
                load.Add(() => log.CompleteAsync(second, Role.Kepala, task));
            }

            if (i < open.Count)
            {
                var task = open[i];
                load.Add(() => log.CompleteAsync(first, Role.Staf, task));
            }
        }

        var killed = 0;
        var queue = new ConcurrentQueue<Func<Task<Command>>>(load);
        var kill = new TaskCompletionSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                // No command leaves while A is being killed: sent then, it would count as before the kill, and fast
                // commands could empty the queue before the kill is marked, leaving nothing to send after it.
                if (Volatile.Read(ref killed) == 1)
                {
                    await kill.Task;
                }

                if (!queue.TryDequeue(out var next))
                {
                    break;
                }

                await next();
                if (log.Answered >= AnsweredBeforeKill && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    _nodes.A.Kill();
                    log.MarkKill();
                    kill.SetResult();
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        await kill.Task;

        var afterKill = log.Commands.Where(c => c.AfterKill).ToList();
        afterKill.Where(c => c.Node == _nodes.B.Name).Should().NotBeEmpty().And.OnlyContain(c => c.Acknowledged, "the survivor carries on");
        afterKill.Where(c => c.Node == _nodes.A.Name).Should().OnlyContain(c => !c.Acknowledged, "a killed node answers nothing");

        // A client whose command got no answer sends it again to the survivor: done by then (a conflict) or done now.
        foreach (var lost in log.Commands.Where(c => c.Status is null && c.TaskId is not null).ToList())
        {
            var retried = await log.CompleteAsync(b, lost.Role, lost.TaskId!.Value);
            retried.Status.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Conflict);
        }

        // Deadlines after the kill fire on the survivor alone: the instances started at 10:00 are reminded at 11:30.
        var later = await OpenSusunAsync("sesudah-%");
        later.Should().HaveCountGreaterThanOrEqualTo(log.Commands.Count(c => c.Kind == "start" && c.BusinessKey!.StartsWith("sesudah", StringComparison.Ordinal) && c.Acknowledged));
        await b.Staf.SetClockAsync(Wita("2025-03-03T11:30"));
        expected.UnionWith(later.Select(t => $"reminder:{t}"));
        await WebhooksAsync(expected);

        // The killed node starts again on its port, serves, and takes Hangfire's jobs: B is killed in turn, so the
        // escalations at 12:00 can only be A's work.
        await _nodes.A.StartAsync();
        var again = await Users.SignInAsync(_nodes.A);
        (await again.Staf.ClockAsync()).Should().Be(Wita("2025-03-03T11:30"));
        var finished = later[0];
        (await log.CompleteAsync(again, Role.Staf, finished)).Status.Should().Be(HttpStatusCode.OK, "the restarted node serves commands");
        _nodes.B.Kill();
        await again.Staf.SetClockAsync(Wita("2025-03-03T12:00"));
        expected.UnionWith(later.Skip(1).Select(t => $"escalation:{t}:1"));
        await WebhooksAsync(expected);
        var restartedJobs = await JobsProcessedByAsync(_nodes.A.ProcessId);
        restartedJobs.Should().BeGreaterThan(0, "the restarted node's Hangfire server works jobs");

        await AssertNothingLostOrDuplicatedAsync(log);
        await AssertEachDeadlineToldOnceAsync(expected);

        output.WriteLine(
            $"Two nodes: {log.Commands.Count} commands ({log.Commands.Count(c => c.Acknowledged)} acknowledged, " +
            $"{log.Commands.Count(c => c.Status == HttpStatusCode.Conflict)} conflicts, {log.Commands.Count(c => c.Status is null)} cut off by kill -9), " +
            $"{expected.Count(k => k.StartsWith("reminder", StringComparison.Ordinal))} reminders and " +
            $"{expected.Count(k => k.StartsWith("escalation", StringComparison.Ordinal))} escalations, {_webhook.SignedWith(Secret).Count()} webhook requests " +
            $"({_webhook.Received.Count - _webhook.SignedWith(Secret).Count()} more signed otherwise, another test's), " +
            $"{restartedJobs} job runs by the restarted node, {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>What the database holds agrees with every answer the clients got, and no task is missing or doubled.</summary>
    private async Task AssertNothingLostOrDuplicatedAsync(CommandLog log)
    {
        var instances = await QueryAsync(
            "SELECT id, business_key, status FROM instances WHERE definition_key = @p",
            r => (Id: r.GetGuid(0), Key: r.GetString(1), Status: r.GetString(2)),
            Laporan);
        var tasks = await QueryAsync(
            "SELECT id, instance_id, step_id, status, completed_by FROM tasks WHERE definition_key = @p",
            r => (Id: r.GetGuid(0), Instance: r.GetGuid(1), Step: r.GetString(2), Status: r.GetString(3), CompletedBy: r.IsDBNull(4) ? null : r.GetString(4)),
            Laporan);

        instances.GroupBy(i => i.Key).Should().OnlyContain(g => g.Count() == 1, "no business key was started twice");
        foreach (var start in log.Commands.Where(c => c.Kind == "start" && c.Acknowledged))
        {
            instances.Should().Contain(i => i.Id == start.ResultId && i.Key == start.BusinessKey, "an acknowledged start is stored");
        }

        foreach (var done in log.Commands.Where(c => c.Kind == "complete" && c.Status == HttpStatusCode.OK))
        {
            tasks.Should().Contain(t => t.Id == done.TaskId && t.Status == "completed" && t.CompletedBy == done.UserName, "an acknowledged completion is stored");
        }

        foreach (var instance in instances)
        {
            var its = tasks.Where(t => t.Instance == instance.Id).ToList();
            var susun = its.Where(t => t.Step == "Susun").Should().ContainSingle($"instance {instance.Key} has one Susun task").Subject;
            its.Count(t => t.Step == "Periksa").Should().Be(susun.Status == "completed" ? 1 : 0, $"Periksa follows Susun once in {instance.Key}");
            its.Count(t => t.Status is "open" or "claimed").Should().Be(instance.Status == "completed" ? 0 : 1, $"instance {instance.Key} waits on exactly one task");
        }
    }

    /// <summary>Each reminder and escalation has one webhook delivery, delivered, and the receiver saw each delivery once.</summary>
    private async Task AssertEachDeadlineToldOnceAsync(IReadOnlySet<string> expected)
    {
        var deliveries = await QueryAsync(
            "SELECT id, deduplication_key, status FROM notification_deliveries WHERE channel = @p",
            r => (Id: r.GetGuid(0), Key: r.GetString(1), Status: r.GetString(2)),
            "webhook");
        deliveries.Select(d => d.Key).Should().BeEquivalentTo(expected);
        deliveries.Should().OnlyContain(d => d.Status == "delivered");
        _webhook.SignedWith(Secret).GroupBy(r => r.Headers["X-Kinerja-Delivery"])
            .Select(g => (Id: Guid.Parse(g.Key), Count: g.Count()))
            .Should().BeEquivalentTo(deliveries.Select(d => (d.Id, Count: 1)), "every delivery reached the receiver once, from one node");
    }

    /// <summary>
    /// Waits (bounded) until the receiver has seen every expected key and the service has recorded each of those
    /// deliveries as delivered. A node killed between the receiver's answer and that record sends the delivery
    /// again with the same X-Kinerja-Delivery id (at least once, as webhooks are documented), so the test kills
    /// a node only once the record is there.
    /// </summary>
    private async Task WebhooksAsync(IReadOnlySet<string> expected)
    {
        var until = Stopwatch.StartNew();
        HashSet<string> seen;
        HashSet<string> recorded;
        do
        {
            seen = _webhook.SignedWith(Secret)
                .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("deduplicationKey").GetString()!)
                .ToHashSet();
            recorded = (await QueryAsync(
                "SELECT deduplication_key FROM notification_deliveries WHERE channel = @p AND status = 'delivered'",
                r => r.GetString(0),
                "webhook")).ToHashSet();
            if (seen.IsSupersetOf(expected) && recorded.IsSupersetOf(expected))
            {
                break;
            }

            await Task.Delay(100);
        }
        while (until.Elapsed < TimeSpan.FromSeconds(30));

        seen.Should().BeEquivalentTo(expected, "the webhook gets exactly the reminders and escalations that came due");
        recorded.Should().BeEquivalentTo(expected, "each delivery the receiver answered is recorded as delivered");
    }

    private async Task<Guid> TaskOfAsync(Guid susun, string step) =>
        (await QueryAsync(
            "SELECT t.id FROM tasks t JOIN tasks s ON s.instance_id = t.instance_id WHERE s.id = @p AND t.step_id = '" + step + "'",
            r => r.GetGuid(0),
            susun)).Single();

    private Task<List<Guid>> OpenSusunAsync(string businessKeys) =>
        QueryAsync(
            "SELECT id FROM tasks WHERE business_key LIKE @p AND step_id = 'Susun' AND status = 'open' ORDER BY business_key",
            r => r.GetGuid(0),
            businessKeys);

    /// <summary>Jobs Hangfire's storage shows as processed by the Hangfire server of the given process ("kinerja:host:pid").</summary>
    private async Task<int> JobsProcessedByAsync(int processId) =>
        (await QueryAsync(
            "SELECT count(*) FROM hangfire.state WHERE name = 'Processing' AND data::text LIKE @p",
            r => (int)r.GetInt64(0),
            $"%:{processId}:%")).Single();

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, object parameter)
    {
        await using var connection = new NpgsqlConnection(_nodes.Data.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter("p", parameter) } };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public enum Role
    {
        Staf,
        Staf2,
        Kepala,
    }

    /// <summary>The office's three users, signed in on one node.</summary>
    public sealed record Users(ServiceProcess Node, HttpClient Staf, HttpClient Staf2, HttpClient Kepala)
    {
        public static async Task<Users> SignInAsync(ServiceProcess node) =>
            new(node, await node.SignInAsync("staf.uji"), await node.SignInAsync("staf.uji2"), await node.SignInAsync("kepala.uji"));

        public HttpClient As(Role role) => role switch
        {
            Role.Staf => Staf,
            Role.Staf2 => Staf2,
            _ => Kepala,
        };

        public static string UserName(Role role) => role switch
        {
            Role.Staf => "staf.uji",
            Role.Staf2 => "staf.uji2",
            _ => "kepala.uji",
        };
    }

    /// <summary>One command as its client saw it: the status of the answer, or none when the node died under it.</summary>
    public sealed record Command(
        string Node,
        string Kind,
        Role Role,
        Guid? TaskId,
        string? BusinessKey,
        bool AfterKill,
        HttpStatusCode? Status,
        string? ContentType,
        Guid? ResultId)
    {
        public bool Acknowledged => Status is { } status && (int)status is >= 200 and < 300;

        public string UserName => Users.UserName(Role);
    }

    /// <summary>Every command sent, and whether A had been killed when it was sent.</summary>
    public sealed class CommandLog
    {
        private readonly ConcurrentQueue<Command> _commands = new();
        private int _answered;
        private volatile bool _killed;

        public IReadOnlyList<Command> Commands => [.. _commands];

        public int Answered => Volatile.Read(ref _answered);

        public void MarkKill() => _killed = true;

        public Task<Command> StartAsync(Users through, string businessKey) =>
            SendAsync(through, "start", Role.Staf, null, businessKey, client =>
                client.PostAsJsonAsync("/api/instances", new { definitionKey = Laporan, businessKey }));

        /// <summary>Susun is done with a comment; the Kepala's Periksa needs its outcome.</summary>
        public Task<Command> CompleteAsync(Users through, Role role, Guid taskId) =>
            SendAsync(through, "complete", role, taskId, null, client =>
                client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = role == Role.Kepala ? "setuju" : null, comment = "dua node" }));

        private async Task<Command> SendAsync(
            Users through, string kind, Role role, Guid? taskId, string? businessKey, Func<HttpClient, Task<HttpResponseMessage>> send)
        {
            var afterKill = _killed;
            Command command;
            try
            {
                using var response = await send(through.As(role));
                Guid? id = null;
                if (kind == "start" && response.StatusCode == HttpStatusCode.Created)
                {
                    id = (await response.ReadJsonAsync()).Id();
                }

                Interlocked.Increment(ref _answered);
                command = new Command(through.Node.Name, kind, role, taskId, businessKey, afterKill, response.StatusCode, response.Content.Headers.ContentType?.MediaType, id);
            }
            catch (HttpRequestException)
            {
                command = new Command(through.Node.Name, kind, role, taskId, businessKey, afterKill, null, null, null);
            }

            _commands.Enqueue(command);
            return command;
        }
    }
}
