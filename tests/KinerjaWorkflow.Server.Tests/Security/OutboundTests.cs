using System.Net;
using KinerjaWorkflow.Server.Outbound;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>
/// Outgoing calls of service tasks and webhooks (issue 15, item 2): only allowed hosts, only permitted
/// addresses (checked on the address connected to), redirects only to allowed hosts, answers capped.
/// The guard is built here from options as the service builds it from configuration.
/// </summary>
public sealed class OutboundTests : IAsyncLifetime
{
    private OutboundTarget _target = null!;

    public async Task InitializeAsync() => _target = await OutboundTarget.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task An_allowed_host_at_an_allowed_network_is_called()
    {
        using var client = Client(new OutboundOptions { AllowedHosts = ["127.0.0.1"], AllowedNetworks = ["127.0.0.1/32"] });

        using var response = await client.GetAsync($"{_target.BaseUrl}/ok");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _target.Paths.Should().Equal("/ok");
    }

    [Fact]
    public async Task A_host_missing_from_the_allow_list_is_refused_before_any_connection()
    {
        using var client = Client(new OutboundOptions { AllowedHosts = ["monev.example"], AllowedNetworks = ["127.0.0.0/8"] });

        var call = () => client.GetAsync($"{_target.BaseUrl}/ok");

        (await call.Should().ThrowAsync<OutboundRefusedException>()).WithMessage("*127.0.0.1*AllowedHosts*");
        _target.Paths.Should().BeEmpty();
    }

    [Fact]
    public async Task Loopback_is_refused_even_for_an_allowed_host_unless_its_network_is_allowed()
    {
        using var client = Client(new OutboundOptions { AllowedHosts = ["127.0.0.1"] });

        var call = () => client.GetAsync($"{_target.BaseUrl}/ok");

        (await call.Should().ThrowAsync<OutboundRefusedException>()).WithMessage("*private address*");
        _target.Paths.Should().BeEmpty();
    }

    [Fact]
    public async Task The_address_connected_to_is_checked_so_a_name_rebound_to_loopback_is_refused()
    {
        using var client = Client(
            new OutboundOptions { AllowedHosts = ["monev.example"] },
            (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));

        var call = () => client.GetAsync($"http://monev.example:{_target.Port}/ok");

        (await call.Should().ThrowAsync<OutboundRefusedException>()).WithMessage("*monev.example is at 127.0.0.1*");
        _target.Paths.Should().BeEmpty();
    }

    [Fact]
    public async Task Only_the_permitted_addresses_of_a_name_are_connected_to()
    {
        using var client = Client(
            new OutboundOptions { AllowedHosts = ["monev.example"], AllowedNetworks = ["127.0.0.1/32"] },
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.1.2.3"), IPAddress.Loopback }));

        using var response = await client.GetAsync($"http://monev.example:{_target.Port}/ok");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_redirect_to_a_host_not_allowed_is_refused()
    {
        using var client = Client(new OutboundOptions { AllowedHosts = ["127.0.0.1"], AllowedNetworks = ["127.0.0.1/32"] });

        var call = () => client.GetAsync($"{_target.BaseUrl}/alih?ke={Uri.EscapeDataString($"http://localhost:{_target.Port}/ok")}");

        (await call.Should().ThrowAsync<OutboundRefusedException>()).WithMessage("*host 'localhost'*");
        _target.Paths.Should().ContainSingle().Which.Should().StartWith("/alih");
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_host_is_followed()
    {
        using var client = Client(new OutboundOptions { AllowedHosts = ["127.0.0.1"], AllowedNetworks = ["127.0.0.1/32"] });

        using var response = await client.GetAsync($"{_target.BaseUrl}/alih?ke={Uri.EscapeDataString("/ok")}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _target.Paths.Should().HaveCount(2).And.EndWith("/ok");
    }

    [Fact]
    public async Task Redirects_are_followed_only_up_to_the_limit()
    {
        using var client = Client(new OutboundOptions { AllowedHosts = ["127.0.0.1"], AllowedNetworks = ["127.0.0.1/32"], MaxRedirects = 1 });
        var twice = $"/alih?ke={Uri.EscapeDataString($"/alih?ke={Uri.EscapeDataString("/ok")}")}";

        var call = () => client.GetAsync(_target.BaseUrl + twice);

        (await call.Should().ThrowAsync<OutboundRefusedException>()).WithMessage("*more than 1 redirect*");
        _target.Paths.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_streamed_answer_beyond_the_cap_fails_after_the_cap_without_reading_it_all()
    {
        var guard = Guard(new OutboundOptions { AllowedHosts = ["127.0.0.1"], AllowedNetworks = ["127.0.0.1/32"], MaxResponseBytes = 1024 * 1024 });
        var network = new NetworkReads { InnerHandler = guard.CreatePrimaryHandler() };
        using var client = new HttpClient(new OutboundPolicyHandler(guard) { InnerHandler = network });

        var call = async () =>
        {
            using var response = await client.GetAsync($"{_target.BaseUrl}/besar", HttpCompletionOption.ResponseHeadersRead);
            return await response.Content.ReadAsStringAsync();
        };

        (await call.Should().ThrowAsync<OutboundRefusedException>()).WithMessage("*longer than the 1048576 bytes*");
        network.BytesRead.Should().BeLessThan(2 * 1024 * 1024, "reading stops at the cap; the target had {0} bytes to give", OutboundTarget.BigAnswerBytes);
    }

    [Fact]
    public async Task A_declared_length_beyond_the_cap_is_refused_at_once()
    {
        using var client = Client(new OutboundOptions { AllowedHosts = ["127.0.0.1"], AllowedNetworks = ["127.0.0.1/32"], MaxResponseBytes = 1024 });

        var call = () => client.GetAsync($"{_target.BaseUrl}/panjang", HttpCompletionOption.ResponseHeadersRead);

        (await call.Should().ThrowAsync<OutboundRefusedException>()).WithMessage($"*{OutboundTarget.BigAnswerBytes} bytes*");
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.8.9.10", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::7f00:1", false)]
    public void Only_public_addresses_are_permitted_by_default(string address, bool permitted)
    {
        new OutboundAddresses([]).IsPermitted(IPAddress.Parse(address)).Should().Be(permitted);
    }

    [Theory]
    [InlineData("10.20.0.0/16", "10.20.5.6", true)]
    [InlineData("10.20.0.0/16", "10.21.0.1", false)]
    [InlineData("192.168.1.10", "192.168.1.10", true)]
    [InlineData("fd00::/8", "fd00::5", true)]
    public void The_operator_may_allow_a_private_network(string network, string address, bool permitted)
    {
        new OutboundAddresses([network]).IsPermitted(IPAddress.Parse(address)).Should().Be(permitted);
    }

    [Theory]
    [InlineData("monev.example", "monev.example", true)]
    [InlineData("MONEV.example", "monev.EXAMPLE", true)]
    [InlineData("monev.example", "monev.example.evil.test", false)]
    [InlineData("*.bps.go.id", "webapi.bps.go.id", true)]
    [InlineData("*.bps.go.id", "bps.go.id", false)]
    [InlineData("*.bps.go.id", "evilbps.go.id", false)]
    public void Allowed_hosts_match_names_and_subdomain_wildcards(string allowed, string host, bool expected)
    {
        Guard(new OutboundOptions { AllowedHosts = [allowed] }).IsHostAllowed(host).Should().Be(expected);
    }

    private static OutboundGuard Guard(OutboundOptions options, HostResolver? resolver = null) =>
        new(Options.Create(options), resolver ?? Dns.GetHostAddressesAsync);

    private static HttpClient Client(OutboundOptions options, HostResolver? resolver = null)
    {
        var guard = Guard(options, resolver);
        return new HttpClient(new OutboundPolicyHandler(guard) { InnerHandler = guard.CreatePrimaryHandler() });
    }

    /// <summary>Counts the answer bytes read off the connection, under the guard's cap.</summary>
    private sealed class NetworkReads : DelegatingHandler
    {
        private long _bytesRead;

        public long BytesRead => Interlocked.Read(ref _bytesRead);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var counted = new StreamContent(new CountingStream(await response.Content.ReadAsStreamAsync(cancellationToken), this));
            foreach (var header in response.Content.Headers)
            {
                counted.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = counted;
            return response;
        }

        private sealed class CountingStream(Stream inner, NetworkReads counter) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => throw new NotSupportedException();
                set => throw new NotSupportedException();
            }

            public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
                Counted(await inner.ReadAsync(buffer, cancellationToken));

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

            private int Counted(int read)
            {
                Interlocked.Add(ref counter._bytesRead, read);
                return read;
            }
        }
    }
}
