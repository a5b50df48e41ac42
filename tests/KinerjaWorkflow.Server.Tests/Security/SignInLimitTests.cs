using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>A server whose sign-in limits are small: 4 attempts per address and 3 per username a minute.</summary>
public sealed class LimitedSignInServer : IDisposable
{
    public KinerjaServer Server { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Identity:SignInsPerAddress"] = "4",
        ["Identity:SignInsPerUser"] = "3",
        ["Identity:SignInWindow"] = "00:10:00",
    });

    public void Dispose()
    {
        Server.Dispose();
        Server.Data.Dispose();
    }
}

/// <summary>
/// Sign-in attempts are limited per client address and per username (issue 15, item 4). Each test uses its
/// own addresses and usernames, so they share one server.
/// </summary>
public sealed partial class SignInLimitTests(LimitedSignInServer limited) : IClassFixture<LimitedSignInServer>
{
    private KinerjaServer Server => limited.Server;

    [Theory]
    [InlineData("staf.uji", "10.1.0.")]
    [InlineData("belum.pernah.ada", "10.2.0.")]
    public async Task A_username_gets_three_tries_from_anywhere_then_429_whether_it_exists_or_not(string userName, string network)
    {
        var answers = new List<HttpResponseMessage>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            answers.Add(await RequestTokenAsync(network + attempt, userName, "salah-sekali"));
        }

        answers.Select(a => (int)a.StatusCode).Should().Equal(401, 401, 401, 429);
        answers[3].Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(10));
        (await answers[3].Content.ReadAsStringAsync()).Should().Contain(IdentityEndpoints.ThrottledMessage);
    }

    [Fact]
    public async Task An_address_gets_four_tries_whatever_the_usernames_then_429()
    {
        var statuses = new List<int>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            statuses.Add((int)(await RequestTokenAsync("10.3.0.1", $"tebakan.{attempt}", "salah-sekali")).StatusCode);
        }

        var elsewhere = await RequestTokenAsync("10.3.0.2", "staf.uji2", KinerjaServer.DemoPassword);

        statuses.Should().Equal(401, 401, 401, 401, 429);
        elsewhere.StatusCode.Should().Be(HttpStatusCode.OK, "another address is not limited by the first");
    }

    [Fact]
    public async Task The_limit_refuses_even_the_right_password_so_guessing_cannot_go_on()
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await RequestTokenAsync($"10.4.0.{attempt}", "kepala.uji", "salah-sekali");
        }

        var right = await RequestTokenAsync("10.4.0.9", "kepala.uji", KinerjaServer.DemoPassword);

        right.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task The_sign_in_page_is_limited_too()
    {
        using var browser = Server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var page = await browser.GetStringAsync("/masuk");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__af"] = AntiforgeryField().Match(page).Groups[1].Value,
                ["username"] = "halaman.tebak",
                ["password"] = "salah-sekali",
            });
            last?.Dispose();
            last = await browser.PostAsync("/masuk", form);
            statuses.Add(last.StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
        last!.Headers.RetryAfter.Should().NotBeNull();
        (await last.Content.ReadAsStringAsync()).Should().Contain(IdentityEndpoints.ThrottledMessage);
        last.Dispose();
    }

    /// <summary>
    /// From the given client address, as the reverse proxy reports it (X-Forwarded-For); the test server has no
    /// address of its own, so the forwarded one is taken.
    /// </summary>
    private async Task<HttpResponseMessage> RequestTokenAsync(string clientAddress, string userName, string password)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { username = userName, password }) };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return await client.SendAsync(request);
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryField();
}

/// <summary>
/// The spray: thirty usernames tried from one address in a few seconds. The minute's allowance is far off
/// (the test server's), but an address gets only ten tries in a burst.
/// </summary>
public sealed class SignInBurstTests
{
    [Fact]
    public async Task Thirty_usernames_tried_fast_from_one_address_get_429_after_the_burst()
    {
        using var server = new KinerjaServer(settings: new Dictionary<string, string?>
        {
            ["Identity:SignInBurstPerAddress"] = "10",
            ["Identity:SignInBurstWindow"] = "00:10:00",
        });
        using var client = server.CreateClient();
        var answers = new List<HttpResponseMessage>();
        for (var attempt = 1; attempt <= 30; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
            {
                Content = JsonContent.Create(new { username = $"semprot.{attempt}", password = "salah-sekali" }),
            };
            request.Headers.Add("X-Forwarded-For", "10.9.0.1");
            answers.Add(await client.SendAsync(request));
        }

        answers.Take(10).Should().OnlyContain(a => a.StatusCode == HttpStatusCode.Unauthorized);
        answers.Skip(10).Should().OnlyContain(a => a.StatusCode == HttpStatusCode.TooManyRequests && a.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        server.Data.Dispose();
    }
}

/// <summary>
/// A stranger's guesses fill a username's limit and lock its account; a client that signed in to the account
/// before (a known device) is judged on its own, so the owner, an office's only admin, still gets in.
/// </summary>
public sealed class KnownDeviceSignInTests
{
    [Fact]
    public async Task A_stranger_using_up_a_usernames_tries_does_not_keep_out_the_browser_that_signed_in_to_it_before()
    {
        using var server = new KinerjaServer(settings: new Dictionary<string, string?>
        {
            ["Identity:SignInsPerUser"] = "2",
            ["Identity:SignInWindow"] = "00:10:00",
        });
        using var browser = server.CreateClient();
        using var stranger = server.CreateClient();
        (await browser.PostAsJsonAsync("/api/auth/token", new { username = "kepala.uji", password = KinerjaServer.DemoPassword }).StatusOfAsync())
            .Should().Be(HttpStatusCode.OK);
        (await stranger.PostAsJsonAsync("/api/auth/token", new { username = "kepala.uji", password = "salah-sekali" }).StatusOfAsync())
            .Should().Be(HttpStatusCode.Unauthorized);

        var strangerAgain = await stranger.PostAsJsonAsync("/api/auth/token", new { username = "kepala.uji", password = KinerjaServer.DemoPassword });
        var owner = await browser.PostAsJsonAsync("/api/auth/token", new { username = "kepala.uji", password = KinerjaServer.DemoPassword });

        strangerAgain.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        owner.StatusCode.Should().Be(HttpStatusCode.OK);
        server.Data.Dispose();
    }
}
