using System.Net;

namespace KinerjaWorkflow.Server.Outbound;

/// <summary>
/// Every outgoing call through a guarded client passes here: the target must be allowed, redirects are
/// followed by hand (only to allowed hosts, at most <see cref="OutboundOptions.MaxRedirects"/>), and the answer
/// is read through a cap of <see cref="OutboundOptions.MaxResponseBytes"/>, so a huge answer fails after the
/// cap instead of filling memory.
/// </summary>
public sealed class OutboundPolicyHandler(OutboundGuard guard) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var limits = guard.Options;
        guard.CheckTarget(request.RequestUri);
        var response = await SendGuardedAsync(request, cancellationToken);
        for (var redirects = 0; IsRedirect(response.StatusCode) && response.Headers.Location is not null; redirects++)
        {
            var target = new Uri(request.RequestUri!, response.Headers.Location);
            response.Dispose();
            if (redirects == limits.MaxRedirects)
            {
                throw new OutboundRefusedException($"Outgoing call refused: more than {limits.MaxRedirects} redirect(s), the last to {target}.");
            }

            guard.CheckTarget(target);
            request = Redirected(request, target, response.StatusCode);
            response = await SendGuardedAsync(request, cancellationToken);
        }

        var length = response.Content.Headers.ContentLength;
        if (length > limits.MaxResponseBytes)
        {
            response.Dispose();
            throw new OutboundRefusedException(
                $"Outgoing call refused: the answer of {request.RequestUri} is {length} bytes, more than the {limits.MaxResponseBytes} Outbound:MaxResponseBytes allows.");
        }

        response.Content = new CappedContent(response.Content, limits.MaxResponseBytes, request.RequestUri!);
        return response;
    }

    /// <summary>The connection pool wraps a refusal at connect time; the refusal itself is the clearer error.</summary>
    private async Task<HttpResponseMessage> SendGuardedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundRefusedException refused)
        {
            throw refused;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is
        HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>As browsers do: 307 and 308 repeat the request, the others turn a POST into a GET without body.</summary>
    private static HttpRequestMessage Redirected(HttpRequestMessage original, Uri target, HttpStatusCode status)
    {
        var keepMethod = status is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect || original.Method == HttpMethod.Get;
        var next = new HttpRequestMessage(keepMethod ? original.Method : HttpMethod.Get, target)
        {
            Content = keepMethod ? original.Content : null,
            Version = original.Version,
        };
        var sameOrigin = Uri.Compare(original.RequestUri, target, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
        foreach (var header in original.Headers)
        {
            // Credentials meant for one origin are not handed to another.
            if (sameOrigin || !header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return next;
    }
}

/// <summary>An answer's content read through a cap: past the cap, reading fails.</summary>
internal sealed class CappedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly long _cap;
    private readonly Uri _source;

    public CappedContent(HttpContent inner, long cap, Uri source)
    {
        _inner = inner;
        _cap = cap;
        _source = source;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var capped = await CreateContentReadStreamAsync(cancellationToken);
        await capped.CopyToAsync(stream, cancellationToken);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new CappedStream(await _inner.ReadAsStreamAsync(cancellationToken), _cap, _source);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

internal sealed class CappedStream(Stream inner, long cap, Uri source) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        return _read > cap
            ? throw new OutboundRefusedException($"Outgoing call refused: the answer of {source} is longer than the {cap} bytes Outbound:MaxResponseBytes allows.")
            : read;
    }
}
