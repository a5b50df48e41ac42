using System.Net;
using KinerjaWorkflow.Server.Identity;
using Microsoft.Extensions.Time.Testing;

namespace KinerjaWorkflow.Server.Tests.Identity;

/// <summary>Tokens across hosts: what configuration and a restart do to them.</summary>
public sealed class TokenLifetimeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _root = new();

    public TokenLifetimeTests() =>
        _root.Write("workflows/dinas-bmcktr-sumbar/organization.yaml", OrganizationLoaderTests.Sumbar);

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_token_lifetime_comes_from_configuration()
    {
        var clock = new FakeTimeProvider(Start);
        await using var host = await IdentityTestHost.StartAsync(_root.Path, clock, new Dictionary<string, string?>
        {
            ["Identity:TokenLifetime"] = "01:30:00",
        });

        var token = await host.SignInAsync("budi");
        clock.Advance(TimeSpan.FromMinutes(90));
        using var expired = await host.GetAsync("/api/auth/me", token.Token);

        token.ExpiresAt.Should().Be(Start.AddMinutes(90));
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_outlives_a_restart_of_the_service()
    {
        var clock = new FakeTimeProvider(Start);
        TokenResponse token;
        await using (var before = await IdentityTestHost.StartAsync(_root.Path, clock))
        {
            token = await before.SignInAsync("budi");
        }

        await using var after = await IdentityTestHost.StartAsync(_root.Path, clock);
        using var response = await after.GetAsync("/api/auth/me", token.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_demo_password_comes_from_configuration()
    {
        await using var host = await IdentityTestHost.StartAsync(_root.Path, new FakeTimeProvider(Start), new Dictionary<string, string?>
        {
            ["Identity:DemoPassword"] = "sandi-uji",
        });

        using var response = await host.RequestTokenAsync("budi", "sandi-uji");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
