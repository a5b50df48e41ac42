using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The task inbox under load, on SQLite: the list's p50/p99 latency over HTTP with a million tasks stored (a
/// tenth of them open), and task completions per second through HTTP from concurrent clients on loopback
/// against the real Kestrel server in this process.
/// </summary>
public static class InboxBench
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench/KinerjaWorkflow.Bench -- inbox [options]

          --tasks N         tasks stored (default 1000000)
          --open N          of those, open or claimed (default 100000)
          --offices N       offices the tasks are spread over (default 10)
          --samples N       timed requests per list scenario (default 300)
          --clients a,b,c   concurrent clients for the completion runs (default 1,4,16,32)
          --completions N   tasks completed per completion run (default 1000)
          --plans           print SQLite's query plan of each list scenario's queries
          --keep            keep the database and workflows folder afterwards
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var shape = new BenchShape(Option(args, "--tasks", 1_000_000), Option(args, "--open", 100_000), Option(args, "--offices", 10), 8);
        var samples = Option(args, "--samples", 300);
        var completions = Option(args, "--completions", 1000);
        var clientCounts = (OptionText(args, "--clients") ?? "1,4,16,32").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var plans = args.Contains("--plans");

        Console.WriteLine($"Inbox benchmark: {shape.Tasks:N0} tasks ({shape.Open:N0} open) in {shape.Offices} offices; {Environment.ProcessorCount} cores; SQLite");
        var loadTime = TimeSpan.Zero;
        await using var host = await InboxBenchHost.StartAsync(shape.Offices, shape.StaffPerRole, args.Contains("--keep"), h =>
        {
            loadTime = InboxBenchData.Load(h.DatabasePath, shape, h.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            return Task.CompletedTask;
        });
        Console.WriteLine($"Bulk load: {loadTime.TotalSeconds:F1} s ({shape.Tasks / loadTime.TotalSeconds:N0} rows/s); database {new FileInfo(host.DatabasePath).Length / (1024 * 1024):N0} MB");

        using var sessions = new InboxSessions(host.BaseAddress);
        await ListLatencyAsync(host, sessions.AsAsync, samples, plans);
        await CompletionThroughputAsync(sessions.AsAsync, shape, clientCounts, completions);
        return 0;
    }

    private static async Task ListLatencyAsync(InboxBenchHost host, Func<string, Task<HttpClient>> signIn, int samples, bool plans)
    {
        var staff = await signIn(InboxBenchHost.StaffUser(1, 1, 1));
        var secretary = await signIn(InboxBenchHost.SecretaryUser(1));
        var head = await signIn(InboxBenchHost.HeadUser(1));
        var cursors = await CursorsAsync(staff, "/api/tasks?status=active&pageSize=50", 50);
        var scenarios = new (string Name, HttpClient Client, Func<int, string> Path)[]
        {
            ("staf: kotak tugas bawaan (semua status), halaman 1", staff, _ => "/api/tasks"),
            ("staf: tugas aktif peran saya, halaman 1", staff, _ => "/api/tasks?status=active"),
            ($"staf: tugas aktif, halaman 2-{cursors.Count + 1} lewat cursor", staff, i => "/api/tasks?status=active&pageSize=50&cursor=" + cursors[i % cursors.Count]),
            ("staf: milik saya (aktif)", staff, _ => "/api/tasks?mine=true&status=active"),
            ("staf: riwayat selesai", staff, _ => "/api/tasks?status=completed"),
            ("staf: lencana (GET /api/tasks/counts)", staff, _ => "/api/tasks/counts"),
            ("sekretaris: terlambat di peran yang disupervisi", secretary, _ => "/api/supervision/overdue"),
            ("kepala (admin): seluruh kantor, aktif", head, _ => "/api/tasks?status=active"),
            ("kepala: cari kunci bisnis", head, i => "/api/tasks?businessKey=BK-" + (i * 7919 % 500_000).ToString(CultureInfo.InvariantCulture)),
        };

        using var capture = plans ? new CommandCapture() : null;
        Console.WriteLine();
        Console.WriteLine($"List latency over HTTP, {samples} sequential requests per scenario after 20 warm-up ones (ms):");
        Console.WriteLine($"{"scenario",-62} {"p50",8} {"p99",8} {"max",8}");
        foreach (var (name, client, path) in scenarios)
        {
            for (var i = 0; i < 20; i++)
            {
                await GetAsync(client, path(i));
            }

            var times = new double[samples];
            for (var i = 0; i < samples; i++)
            {
                var clock = Stopwatch.StartNew();
                await GetAsync(client, path(i));
                times[i] = clock.Elapsed.TotalMilliseconds;
            }

            Array.Sort(times);
            Console.WriteLine($"{name,-62} {Percentile(times, 0.50),8:F2} {Percentile(times, 0.99),8:F2} {times[^1],8:F2}");
            if (capture is not null)
            {
                capture.Start();
                await GetAsync(client, path(1));
                PrintPlans(host.DatabasePath, capture.Stop());
            }
        }
    }

    private static async Task CompletionThroughputAsync(Func<string, Task<HttpClient>> signIn, BenchShape shape, int[] clientCounts, int completions)
    {
        var users = await StaffClientsAsync(signIn, shape.StaffPerRole);
        Console.WriteLine();
        Console.WriteLine($"Task completions over HTTP (POST /api/tasks/{{id}}/complete, each creating the next step's task), {completions} per run:");
        Console.WriteLine($"{"clients",8} {"completions/s",14} {"p50 ms",8} {"p99 ms",8} {"errors",7} {"starts/s",9}");
        foreach (var clients in clientCounts)
        {
            var run = await CompleteTasksAsync(users, clients, completions, $"LOAD-{clients}");
            Console.WriteLine($"{clients,8} {run.CompletionsPerSecond,14:F1} {run.P50Ms,8:F2} {run.P99Ms,8:F2} {run.Errors,7} {run.StartsPerSecond,9:F1}");
        }
    }

    /// <summary>Office 01's Bidang 1 staff, signed in; the completion runs spread their clients over them.</summary>
    internal static async Task<IReadOnlyList<HttpClient>> StaffClientsAsync(Func<string, Task<HttpClient>> signIn, int staffPerRole)
    {
        var users = new List<HttpClient>();
        for (var index = 1; index <= staffPerRole; index++)
        {
            users.Add(await signIn(InboxBenchHost.StaffUser(1, 1, index)));
        }

        return users;
    }

    /// <summary>
    /// Starts <paramref name="completions"/> instances of the bench SOP (untimed but for the starts/s), then
    /// completes their first tasks from <paramref name="clients"/> concurrent clients, each completion timed.
    /// </summary>
    internal static async Task<CompletionRun> CompleteTasksAsync(IReadOnlyList<HttpClient> users, int clients, int completions, string businessKeyPrefix)
    {
        var startClock = Stopwatch.StartNew();
        var created = new ConcurrentQueue<Guid>();
        var toStart = new ConcurrentQueue<int>(Enumerable.Range(0, completions));
        await Task.WhenAll(Enumerable.Range(0, Math.Max(clients, 4)).Select(async worker =>
        {
            var client = users[worker % users.Count];
            while (toStart.TryDequeue(out var n))
            {
                using var response = await client.PostAsJsonAsync(
                    "/api/instances",
                    new { definitionKey = InboxBenchHost.DefinitionKey, businessKey = $"{businessKeyPrefix}-{n}" });
                response.EnsureSuccessStatusCode();
                var instance = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
                created.Enqueue(instance.GetProperty("activeSteps")[0].GetProperty("taskId").GetGuid());
            }
        }));
        var startsPerSecond = completions / startClock.Elapsed.TotalSeconds;

        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
        {
            var client = users[worker % users.Count];
            while (created.TryDequeue(out var task))
            {
                var one = Stopwatch.StartNew();
                using var response = await client.PostAsJsonAsync($"/api/tasks/{task}/complete", new { comment = "Berkas lengkap." });
                await response.Content.ReadAsByteArrayAsync();
                latencies.Add(one.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var sorted = latencies.Order().ToArray();
        return new CompletionRun((completions - errors) / elapsed.TotalSeconds, Percentile(sorted, 0.50), Percentile(sorted, 0.99), errors, startsPerSecond);
    }

    private static async Task<List<string>> CursorsAsync(HttpClient client, string path, int pages)
    {
        var cursors = new List<string>();
        string? cursor = null;
        do
        {
            using var response = await client.GetAsync(cursor is null ? path : path + "&cursor=" + cursor);
            response.EnsureSuccessStatusCode();
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null && cursors.Count < pages);

        return cursors.Count > 0 ? cursors : throw new InvalidOperationException("The staff inbox has a single page; load more tasks.");
    }

    private static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    internal static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void PrintPlans(string databasePath, IReadOnlyList<CapturedCommand> commands)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        connection.Open();
        foreach (var command in commands.Where(c => c.Sql.Contains("FROM \"tasks\"", StringComparison.Ordinal)))
        {
            using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
            foreach (var parameter in command.Parameters)
            {
                explain.Parameters.AddWithValue(parameter.Name, parameter.Value ?? DBNull.Value);
            }

            using var reader = explain.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read())
            {
                lines.Add(reader.GetString(3));
            }

            Console.WriteLine("    plan: " + string.Join(" | ", lines));
        }
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}

internal sealed record CompletionRun(double CompletionsPerSecond, double P50Ms, double P99Ms, int Errors, double StartsPerSecond);
