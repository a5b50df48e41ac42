using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Time.Testing;

namespace KinerjaWorkflow.Server.Tests.Identity;

public sealed class TokenEndpointTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _root = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private IdentityTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _root.Write("workflows/dinas-bmcktr-sumbar/organization.yaml", OrganizationLoaderTests.Sumbar);
        _host = await IdentityTestHost.StartAsync(_root.Path, _clock);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Runs after <see cref="DisposeAsync"/>, once the host has let go of the database.</summary>
    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_right_password_gets_a_token_and_the_user()
    {
        using var response = await _host.RequestTokenAsync("erasukma", "kinerja2025");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
        body.Token.Should().NotBeNullOrWhiteSpace();
        body.ExpiresAt.Should().Be(Start.AddHours(8));
        body.User.Should().BeEquivalentTo(new AuthenticatedUser(
            "erasukma", "Erasukma Munaf, ST, MMI", "dinas-bmcktr-sumbar", ["Kepala Dinas"], IsAdmin: true));
    }

    [Fact]
    public async Task The_token_authenticates_later_requests()
    {
        var token = (await _host.SignInAsync("budi")).Token;

        using var response = await _host.GetAsync("/api/auth/me", token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<AuthenticatedUser>()).Should().BeEquivalentTo(new AuthenticatedUser(
            "budi", "Budi Santoso", "dinas-bmcktr-sumbar", ["Bidang", "Tim SAKIP"], IsAdmin: false));
    }

    [Theory]
    [InlineData("budi", "salah")]
    [InlineData("tidak.ada", "kinerja2025")]
    public async Task Wrong_credentials_get_the_same_answer_whichever_part_is_wrong(string username, string password)
    {
        using var response = await _host.RequestTokenAsync(username, password);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail.Should().Be(IdentityEndpoints.InvalidCredentialsMessage);
    }

    [Fact]
    public async Task Usernames_are_not_case_sensitive()
    {
        using var response = await _host.RequestTokenAsync(" BUDI ", "kinerja2025");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_request_without_username_or_password_is_a_validation_problem()
    {
        using var response = await _host.Client.PostAsJsonAsync("/api/auth/token", new { username = "" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys.Should().BeEquivalentTo("username", "password");
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_a_minute_answering_as_a_wrong_password_would()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failed = await _host.RequestTokenAsync("budi", "salah");
            failed.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"attempt {attempt}");
        }

        using var whileLocked = await _host.RequestTokenAsync("budi", "kinerja2025");
        _clock.Advance(TimeSpan.FromMinutes(1));
        using var afterLock = await _host.RequestTokenAsync("budi", "kinerja2025");

        whileLocked.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await whileLocked.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail.Should().Be(IdentityEndpoints.InvalidCredentialsMessage);
        afterLock.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Each_lock_in_a_row_lasts_twice_as_long()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await _host.RequestTokenAsync("budi", "salah")).Dispose();
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await _host.RequestTokenAsync("budi", "salah")).Dispose();
        }

        _clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        using var stillLocked = await _host.RequestTokenAsync("budi", "kinerja2025");
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var unlocked = await _host.RequestTokenAsync("budi", "kinerja2025");

        stillLocked.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unlocked.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 15)]
    [InlineData(40, 15)]
    public void The_lock_doubles_up_to_its_cap(int earlierLocks, int minutes)
    {
        UserSignIn.LockoutFor(earlierLocks, new KinerjaIdentityOptions()).Should().Be(TimeSpan.FromMinutes(minutes));
    }

    [Fact]
    public async Task A_successful_sign_in_forgets_earlier_failures()
    {
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            (await _host.RequestTokenAsync("budi", "salah")).Dispose();
        }

        (await _host.SignInAsync("budi")).Should().NotBeNull();
        using var nextFailure = await _host.RequestTokenAsync("budi", "salah");

        nextFailure.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Locking_one_account_leaves_the_others_alone()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await _host.RequestTokenAsync("budi", "salah")).Dispose();
        }

        using var other = await _host.RequestTokenAsync("fadli", "kinerja2025");

        other.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(0, HttpStatusCode.OK)]
    [InlineData(8 * 3600 - 1, HttpStatusCode.OK)]
    [InlineData(8 * 3600, HttpStatusCode.Unauthorized)]
    public async Task A_token_is_valid_for_its_lifetime_only(int secondsLater, HttpStatusCode expected)
    {
        var token = (await _host.SignInAsync("budi")).Token;
        _clock.Advance(TimeSpan.FromSeconds(secondsLater));

        using var response = await _host.GetAsync("/api/auth/me", token);

        response.StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bukan-token")]
    public async Task The_api_answers_401_without_a_valid_token(string? token)
    {
        using var response = await _host.GetAsync("/api/auth/me", token);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_tampered_token_is_rejected()
    {
        var token = (await _host.SignInAsync("budi")).Token;
        var tampered = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");

        using var response = await _host.GetAsync("/api/auth/me", tampered);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("erasukma", HttpStatusCode.OK)]
    [InlineData("budi", HttpStatusCode.Forbidden)]
    public async Task The_admin_policy_admits_admins_only(string username, HttpStatusCode expected)
    {
        var token = (await _host.SignInAsync(username)).Token;

        using var response = await _host.GetAsync(IdentityTestHost.AdminOnlyPath, token);

        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task A_page_without_a_session_redirects_to_sign_in()
    {
        using var response = await _host.GetAsync(IdentityTestHost.PagePath);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task The_sign_in_cookie_authenticates_pages_and_the_api()
    {
        using var signIn = await _host.Client.PostAsJsonAsync(IdentityTestHost.CookieSignInPath, new { username = "budi", password = "kinerja2025" });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var page = new HttpRequestMessage(HttpMethod.Get, IdentityTestHost.PagePath) { Headers = { { "Cookie", cookie } } };
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me") { Headers = { { "Cookie", cookie } } };
        using var pageResponse = await _host.Client.SendAsync(page);
        using var apiResponse = await _host.Client.SendAsync(api);

        cookie.Should().StartWith(KinerjaAuthentication.CookieName + "=");
        (await pageResponse.Content.ReadAsStringAsync()).Should().Be("budi");
        apiResponse.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static class StatusCodes
    {
        public const int Locked = 423;
    }
}
