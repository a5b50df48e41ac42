using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KinerjaWorkflow.Server.Notifications;

namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>A real HTTP server on 127.0.0.1 that records what it receives and answers as told.</summary>
public sealed class LoopbackReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackReceiver()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>
    /// The webhooks received that carry the X-Kinerja-Signature made with <paramref name="secret"/>, as a real receiver
    /// checks: the requests of the test that set this receiver up. The port was free when taken, and may have been
    /// another test's receiver's before; a service of that test still retrying a delivery reaches this one.
    /// </summary>
    public IEnumerable<ReceivedRequest> SignedWith(string secret) =>
        Received.Where(r => r.Headers.TryGetValue(WebhookChannel.SignatureHeader, out var signature)
            && signature == WebhookChannel.Signature(secret, Encoding.UTF8.GetBytes(r.Body)));

    /// <summary>While set, requests are recorded and never answered: the sender hangs as on a stalled receiver.</summary>
    public bool Hold { get; set; }

    /// <summary>When set, each request is answered this long after it came, while the next ones are received: a slow receiver.</summary>
    public TimeSpan? AnswerAfter { get; set; }

    /// <summary>The status and body of the next answers.</summary>
    public (HttpStatusCode Status, string Body) Answer { get; set; } = (HttpStatusCode.OK, "{}");

    public async Task<ReceivedRequest> WaitForRequestAsync(int count = 1, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            if (Received.Count >= count)
            {
                return Received.ElementAt(count - 1);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The loopback receiver got {Received.Count} request(s), expected {count}.");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The loop ends by its pending GetContextAsync failing once the listener is closed.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            Received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body));
            if (Hold)
            {
                continue;
            }

            if (AnswerAfter is { } delay)
            {
                _ = AnswerLaterAsync(context, delay);
                continue;
            }

            await AnswerAsync(context);
        }
    }

    private async Task AnswerLaterAsync(HttpListenerContext context, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
            await AnswerAsync(context);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Disposed before the answer was due: the sender sees its connection closed.
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var (status, answer) = Answer;
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(answer);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
