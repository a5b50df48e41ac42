using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Outbound;

/// <summary>Looks a host name up in DNS; a seam so tests can answer as a rebinding DNS server would.</summary>
public delegate Task<IPAddress[]> HostResolver(string host, CancellationToken ct);

/// <summary>
/// Decides whether an outgoing call may go ahead: the host must be on the operator's allow-list, and the
/// connection is opened only to an address that is permitted. The address is checked at connect time, on
/// the very address connected to, so a name that resolved to a public address a moment ago and to
/// 127.0.0.1 now (DNS rebinding) still cannot reach the inside.
/// </summary>
public sealed class OutboundGuard(IOptions<OutboundOptions> options, HostResolver resolver)
{
    private readonly OutboundAddresses _addresses = new(options.Value.AllowedNetworks);

    public OutboundOptions Options => options.Value;

    /// <summary>Throws <see cref="OutboundRefusedException"/> unless the address may be called.</summary>
    public void CheckTarget(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new OutboundRefusedException($"Outgoing call refused: '{uri}' is not an absolute http or https address.");
        }

        if (!IsHostAllowed(uri.IdnHost))
        {
            throw new OutboundRefusedException(
                $"Outgoing call refused: host '{uri.IdnHost}' is not in Outbound:AllowedHosts, which only the operator sets.");
        }
    }

    public bool IsHostAllowed(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.');
        return options.Value.AllowedHosts.Any(allowed =>
        {
            var entry = allowed.Trim().Trim('[', ']').TrimEnd('.');
            return entry.StartsWith("*.", StringComparison.Ordinal)
                ? name.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)
                : name.Equals(entry, StringComparison.OrdinalIgnoreCase);
        });
    }

    /// <summary>SocketsHttpHandler.ConnectCallback: resolve, keep the permitted addresses, connect to the first that answers.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver(host, ct);
        var permitted = addresses.Where(_addresses.IsPermitted).ToList();
        if (permitted.Count == 0)
        {
            throw new OutboundRefusedException(
                $"Outgoing call refused: {host} is at {string.Join(", ", addresses.Select(a => a.ToString()))}, a loopback, link-local or private address not in Outbound:AllowedNetworks.");
        }

        SocketException? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException($"Could not connect to {host}:{context.DnsEndPoint.Port}: {last!.Message}", last);
    }

    /// <summary>The handler that opens connections: no proxy (it would hide the real address), no automatic redirects.</summary>
    public SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
    };
}
