using System.Net;
using System.Net.Sockets;

namespace KinerjaWorkflow.Server.Outbound;

/// <summary>
/// Which IP addresses an outgoing call may connect to: public unicast addresses, and addresses in networks
/// the operator explicitly allows. Loopback, link-local, private (RFC 1918, ULA), shared (CGNAT),
/// unspecified, multicast and reserved ranges are refused; an IPv4 address written as IPv6 is judged as IPv4.
/// </summary>
public sealed class OutboundAddresses
{
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("64:ff9b::/96"),
        IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private readonly IPNetwork[] _allowed;

    public OutboundAddresses(IEnumerable<string> allowedNetworks)
    {
        _allowed = allowedNetworks.Select(Parse).ToArray();
    }

    public bool IsPermitted(IPAddress address)
    {
        var judged = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (judged.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return false;
        }

        return _allowed.Any(n => n.Contains(judged)) || !Refused.Any(n => n.Contains(judged));
    }

    private static IPNetwork Parse(string network) =>
        IPNetwork.TryParse(network.Trim(), out var parsed)
            ? parsed
            : IPAddress.TryParse(network.Trim(), out var single)
                ? new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
                : throw new InvalidOperationException($"Outbound:AllowedNetworks: '{network}' is neither a network (CIDR) nor an IP address.");
}
