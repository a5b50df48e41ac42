using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>
/// A real HTTP server on 127.0.0.1 for the outbound guard: /ok answers a small JSON, /besar streams
/// <see cref="BigAnswerBytes"/> without a length, /panjang declares a length beyond any cap, /alih?ke=… redirects,
/// and every path it was asked for is recorded.
/// </summary>
public sealed class OutboundTarget : IAsyncDisposable
{
    public const long BigAnswerBytes = 100L * 1024 * 1024;

    private readonly WebApplication _app;

    private OutboundTarget(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int Port => new Uri(BaseUrl).Port;

    public ConcurrentQueue<string> Paths { get; } = new();

    public static async Task<OutboundTarget> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        OutboundTarget? target = null;
        app.Use(async (context, next) =>
        {
            target!.Paths.Enqueue(context.Request.Path.ToUriComponent() + context.Request.QueryString);
            await next(context);
        });
        app.MapGet("/ok", () => Results.Json(new { diterima = true }));
        app.MapGet("/besar", async (HttpContext http, CancellationToken ct) =>
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            for (long sent = 0; sent < BigAnswerBytes && !ct.IsCancellationRequested; sent += chunk.Length)
            {
                await http.Response.Body.WriteAsync(chunk, ct);
            }
        });
        app.MapGet("/panjang", async (HttpContext http) =>
        {
            http.Response.ContentLength = BigAnswerBytes;
            await http.Response.Body.WriteAsync(new byte[16]);
        });
        app.MapGet("/alih", (string ke) => Results.Redirect(ke));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        target = new OutboundTarget(app, address.TrimEnd('/'));
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
