using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>Token expiry and the web pages' cookie session; each test has its own server, since they move its clock.</summary>
public sealed class SessionTests : IDisposable
{
    private readonly KinerjaServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _server.Data.Dispose();
    }

    [Fact]
    public async Task A_bearer_token_stops_working_when_it_expires()
    {
        var satu = await _server.SignInAsync(Inbox.PelaksanaSatu);
        (await satu.GetAsync("/api/tasks").StatusOfAsync()).Should().Be(HttpStatusCode.OK);

        _server.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));

        (await satu.GetAsync("/api/tasks").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_cookie_session_signs_in_for_the_api_and_logout_ends_it()
    {
        using var browser = _server.CreateClient();

        var user = await browser.PostAsJsonAsync("/api/auth/cookie", new { username = Inbox.PelaksanaSatu, password = KinerjaServer.DemoPassword }).OkJsonAsync();

        user.GetProperty("username").GetString().Should().Be(Inbox.PelaksanaSatu);
        (await browser.GetAsync("/api/auth/me").OkJsonAsync()).GetProperty("office").GetString().Should().Be("kantor-uji-inbox");
        (await browser.GetAsync("/api/tasks").StatusOfAsync()).Should().Be(HttpStatusCode.OK);
        (await browser.PostAsync("/api/auth/logout", null).StatusOfAsync()).Should().Be(HttpStatusCode.NoContent);
        (await browser.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_password_sets_no_cookie()
    {
        using var browser = _server.CreateClient();

        using var response = await browser.PostAsJsonAsync("/api/auth/cookie", new { username = Inbox.PelaksanaSatu, password = "salah-sekali" });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.Contains("Set-Cookie").Should().BeFalse();
        (await browser.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_cookie_session_expires_with_the_token_lifetime()
    {
        using var browser = _server.CreateClient();
        await browser.PostAsJsonAsync("/api/auth/cookie", new { username = Inbox.PelaksanaSatu, password = KinerjaServer.DemoPassword }).OkJsonAsync();

        _server.Clock.Advance(TimeSpan.FromHours(9));

        (await browser.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
    }
}
