using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Npgsql;

namespace KinerjaWorkflow.Server.Tests.ScaleOut;

/// <summary>
/// Two service processes, each on its own loopback port, on one PostgreSQL database of the test cluster: one
/// connection string, one Hangfire storage (its schema in that database), one attachments folder. Always
/// PostgreSQL, whatever provider the rest of the suite runs on: several nodes on one SQLite file is no layout.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    /// <summary>As the in-process test server: Hangfire polls often and retries a failing item once, a second later.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Scheduling__PollInterval"] = "00:00:00.100",
        ["Scheduling__SchedulePollInterval"] = "00:00:01",
        ["Scheduling__Attempts"] = "1",
        ["Scheduling__RetryDelays__0"] = "1",
        ["Scheduling__InvisibilityTimeout"] = "00:00:05",
        ["Notifications__HeartbeatInterval"] = "00:00:01",
    };

    public TwoNodes()
        : this(new Dictionary<string, string>())
    {
    }

    /// <param name="overrides">Settings of both nodes that differ from <see cref="Settings"/>.</param>
    private TwoNodes(IReadOnlyDictionary<string, string> overrides)
    {
        var settings = Settings.Concat(overrides).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        A = new ServiceProcess("a", Data, settings);
        B = new ServiceProcess("b", Data, settings);
    }

    /// <summary>Two nodes whose settings differ from <see cref="Settings"/> by <paramref name="overrides"/>; a class fixture has one public constructor.</summary>
    public static TwoNodes With(IReadOnlyDictionary<string, string> overrides) => new(overrides);

    public ServerData Data { get; } = new("postgres");
    public ServiceProcess A { get; }
    public ServiceProcess B { get; }

    /// <summary>
    /// One after the other: the first applies the schema and Hangfire's, the second finds them. Ready once both relays
    /// listen: a live event published before a node's LISTEN never reaches that node's streams.
    /// </summary>
    public async Task InitializeAsync()
    {
        await A.StartAsync();
        await B.StartAsync();
        await RelaysListeningAsync();
    }

    /// <summary>
    /// The relays' connections to this fixture's database (the cluster serves other tests too), whatever they are doing:
    /// a connection shows here as soon as it is open, before it has sent its LISTEN.
    /// </summary>
    public const string RelayConnections = "datname = current_database() AND application_name = 'kinerja-live-relay'";

    /// <summary>
    /// Waits until both nodes' relays have sent their LISTEN: their connections idle after it. An open relay connection
    /// alone is not enough; a NOTIFY sent between its opening and its LISTEN is lost, as NOTIFY is not stored.
    /// </summary>
    public async Task RelaysListeningAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        var listening = 0;
        while ((listening = await RowsAsync($"SELECT pid FROM pg_stat_activity WHERE {RelayConnections} AND state = 'idle' AND query LIKE 'LISTEN %'")) < 2
               && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        if (listening < 2)
        {
            throw new InvalidOperationException($"{listening} of the two nodes' live relays listen after 20 s.");
        }
    }

    /// <summary>Rows of a query on the nodes' database.</summary>
    public async Task<int> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Data.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
        }

        return rows;
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Data.Dispose();
    }
}

public static class TestingClockApi
{
    /// <summary>Sets the clock through this node; answers once what the move made due has run, on whichever node.</summary>
    public static async Task<DateTimeOffset> SetClockAsync(this HttpClient client, DateTimeOffset to)
    {
        var moved = await client.PostAsJsonAsync("/api/testing/clock", new { setTo = to }).OkJsonAsync();
        moved.GetProperty("stillRunning").GetArrayLength().Should().Be(0, $"everything the move made due has run: {moved}");
        return moved.GetProperty("now").GetDateTimeOffset();
    }

    public static async Task<DateTimeOffset> ClockAsync(this HttpClient client) =>
        (await client.GetAsync("/api/testing/clock").OkJsonAsync()).GetProperty("now").GetDateTimeOffset();
}
