using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hangfire;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace KinerjaWorkflow.Server.Tests.Notifications;

/// <summary>
/// Changes this test's copy of the test office (kantor-uji) before its server starts: email addresses for its
/// users and webhooks. The shared TestWorkflows folder is never touched.
/// </summary>
public static class TestOffice
{
    public const string OfficeId = "kantor-uji";

    public static void Configure(ServerData data, bool emails = false, params (string Url, string Secret, string[]? Events)[] webhooks)
    {
        var path = Path.Combine(data.WorkflowsPath, OfficeId, "organization.yaml");
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        if (emails)
        {
            foreach (var user in ((YamlSequenceNode)root.Children[new YamlScalarNode("users")]).Children.Cast<YamlMappingNode>())
            {
                var name = ((YamlScalarNode)user.Children[new YamlScalarNode("username")]).Value!;
                user.Children[new YamlScalarNode("email")] = new YamlScalarNode($"{name}@uji.example");
            }
        }

        if (webhooks.Length > 0)
        {
            var list = new YamlSequenceNode();
            foreach (var (url, secret, events) in webhooks)
            {
                var entry = new YamlMappingNode { { "url", url }, { "secret", secret } };
                if (events is not null)
                {
                    entry.Add("events", new YamlSequenceNode(events.Select(e => new YamlScalarNode(e))));
                }

                list.Add(entry);
            }

            root.Children[new YamlScalarNode("webhooks")] = list;
        }

        using var writer = new StreamWriter(path);
        yaml.Save(writer, assignAnchors: false);
    }

    /// <summary>Adds a workflow file to this test's copy of the test office.</summary>
    public static void AddWorkflow(ServerData data, string fileName, string bpmn) =>
        File.WriteAllText(Path.Combine(data.WorkflowsPath, OfficeId, fileName), bpmn);

    /// <summary>Sends through the service's own <see cref="INotificationSender"/>, as the scheduler does.</summary>
    public static async Task SendAsync(this KinerjaServer server, NotificationMessage message)
    {
        using var scope = server.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<INotificationSender>().SendAsync(message, CancellationToken.None);
    }

    /// <summary>The schedule row with the given key, read through a fresh context.</summary>
    public static async Task<ScheduledItemRecord> ScheduledItemAsync(this KinerjaServer server, string key)
    {
        using var scope = server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().ScheduledItems.AsNoTracking().SingleAsync(i => i.Key == key);
    }

    /// <summary>Polls the state Hangfire's storage (and so its dashboard) shows for a job until it is <paramref name="expected"/>, for at most 15 seconds.</summary>
    public static async Task<string?> WaitForHangfireStateAsync(this KinerjaServer server, string jobId, string expected)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using (var connection = server.Services.GetRequiredService<JobStorage>().GetConnection())
            {
                var state = connection.GetStateData(jobId)?.Name;
                if (state == expected || DateTime.UtcNow > until)
                {
                    return state;
                }
            }

            await Task.Delay(50);
        }
    }

    public static NotificationMessage Message(string key, string kind = NotificationKinds.Reminder, params string[] users) =>
        new(OfficeId, users, kind, $"Subjek {key}", $"Teks pemberitahuan {key} – Mutu Baku", null, null, key);

    /// <summary>Polls the admin's delivery list until one delivery satisfies the condition.</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(this HttpClient admin, Func<JsonElement, bool> condition, string? because = null)
    {
        JsonElement list = default;
        for (var i = 0; i < 150; i++)
        {
            list = await admin.GetAsync("/api/notifications/deliveries").OkJsonAsync();
            foreach (var delivery in list.EnumerateArray())
            {
                if (condition(delivery))
                {
                    return delivery;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No delivery reached the expected state{(because is null ? "" : $" ({because})")}: {list}");
    }
}

/// <summary>One server for a test class whose tests do not disturb each other.</summary>
public sealed class SharedServer : IDisposable
{
    public KinerjaServer Server { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Notifications:HeartbeatInterval"] = "00:00:00.300",
    });

    public void Dispose()
    {
        Server.Dispose();
        Server.Data.Dispose();
    }
}

/// <summary>A TCP listener that accepts connections and never answers: a webhook that times out.</summary>
public sealed class SilentReceiver : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public SilentReceiver()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/lambat";
        _loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The connection count once it reached <paramref name="count"/> (the accept loop may trail the client).</summary>
    public async Task<int> ConnectionsAtLeastAsync(int count)
    {
        for (var i = 0; i < 100 && Connections < count; i++)
        {
            await Task.Delay(50);
        }

        return Connections;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The accept loop ends by its pending accept failing once the listener stops.
        }

        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(client);
                }

                Interlocked.Increment(ref _connections);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}

/// <summary>Reads a text/event-stream: comments and events, each within a bounded wait.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>The next comment line (": ..."), skipping nothing else, within the timeout (10 s unless given).</summary>
    public async Task<string> NextCommentAsync(TimeSpan? timeout = null)
    {
        using var cts = Within(timeout);
        while (true)
        {
            var line = await ReadLineAsync(cts.Token);
            if (line.StartsWith(':'))
            {
                return line[1..].Trim();
            }
        }
    }

    /// <summary>
    /// The next event, skipping comments and the retry hint, within the timeout (10 s unless given) for the whole event:
    /// the stream's keep-alive comments must not restart it, or a missing event would be waited for forever.
    /// </summary>
    public async Task<SseEvent> NextEventAsync(TimeSpan? timeout = null)
    {
        using var cts = Within(timeout);
        string? name = null;
        string? id = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync(cts.Token);
            if (line.Length == 0)
            {
                if (name is not null || data.Length > 0)
                {
                    using var document = JsonDocument.Parse(data.ToString());
                    return new SseEvent(name ?? "message", id, document.RootElement.Clone());
                }

                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line[3..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line[5..].Trim());
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private static CancellationTokenSource Within(TimeSpan? timeout) => new(timeout ?? TimeSpan.FromSeconds(10));

    private async Task<string> ReadLineAsync(CancellationToken ct) =>
        await _reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("The event stream ended.");
}

public sealed record SseEvent(string Name, string? Id, JsonElement Data);
