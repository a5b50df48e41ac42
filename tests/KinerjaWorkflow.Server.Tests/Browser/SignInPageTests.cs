using System.Net;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>The sign-in form, the cookie session it starts, and who may open which page; over HTTP, without a browser.</summary>
public sealed partial class SignInPageTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;

    [Fact]
    public async Task A_page_asked_for_without_signing_in_redirects_to_the_sign_in_page_and_back()
    {
        using var browser = Browser();

        using var response = await browser.GetAsync("/dasbor");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().EndWith("/masuk?ReturnUrl=%2Fdasbor");
    }

    [Fact]
    public async Task The_api_answers_401_not_a_redirect_to_a_request_without_credentials()
    {
        using var browser = Browser();

        using var response = await browser.GetAsync("/api/tasks");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_in_with_the_form_starts_a_cookie_session_the_api_accepts_and_returns_to_the_page_asked_for()
    {
        using var browser = Browser();

        using var response = await SubmitAsync(browser, "staf.uji", KinerjaServer.DemoPassword, "/instans");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/instans");
        var me = await browser.GetAsync("/api/auth/me").OkJsonAsync();
        me.GetProperty("username").GetString().Should().Be("staf.uji");
        var page = await browser.GetStringAsync("/tugas");
        page.Should().Contain("Staf Uji Satu").And.Contain("Kantor Uji").And.MatchRegex("/dist/inbox\\.[A-Z0-9]{8}\\.js");
    }

    [Theory]
    [InlineData("staf.uji", "salah-sekali", HttpStatusCode.Unauthorized, IdentityEndpoints.InvalidCredentialsMessage)]
    [InlineData("tidak.ada", "apa-saja", HttpStatusCode.Unauthorized, IdentityEndpoints.InvalidCredentialsMessage)]
    [InlineData("staf.uji", "", HttpStatusCode.BadRequest, "Isi nama pengguna dan kata sandi.")]
    public async Task A_failed_sign_in_shows_the_form_again_with_the_reason_and_no_session(
        string userName, string password, HttpStatusCode status, string message)
    {
        using var browser = Browser();

        using var response = await SubmitAsync(browser, userName, password, "/tugas");

        response.StatusCode.Should().Be(status);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message).And.Contain("name=\"username\"");
        using var me = await browser.GetAsync("/api/auth/me");
        me.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_sign_in_posted_without_the_forms_token_is_refused()
    {
        using var browser = Browser();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "staf.uji",
            ["password"] = KinerjaServer.DemoPassword,
        });

        using var response = await browser.PostAsync("/masuk", form);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var me = await browser.GetAsync("/api/auth/me");
        me.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("//contoh.example/curi", "/tugas")]
    [InlineData("https://contoh.example/", "/tugas")]
    [InlineData("/\\contoh.example", "/tugas")]
    [InlineData("/masuk", "/tugas")]
    [InlineData("/dasbor?from=2026-07-01&to=2026-09-30", "/dasbor?from=2026-07-01&to=2026-09-30")]
    public async Task After_signing_in_only_a_path_of_this_site_is_followed(string returnUrl, string expected)
    {
        using var browser = Browser();

        using var response = await SubmitAsync(browser, "kepala.uji", KinerjaServer.DemoPassword, returnUrl);

        response.Headers.Location!.OriginalString.Should().Be(expected);
    }

    [Theory]
    [InlineData("staf.uji", "/desainer", HttpStatusCode.Forbidden)]
    [InlineData("staf.uji", "/dasbor", HttpStatusCode.Forbidden)]
    [InlineData("staf.uji", "/tugas", HttpStatusCode.OK)]
    [InlineData("staf.uji", "/instans", HttpStatusCode.OK)]
    [InlineData("kepala.uji", "/desainer", HttpStatusCode.OK)]
    [InlineData("kepala.uji", "/dasbor", HttpStatusCode.OK)]
    [InlineData("staf.uji", "/kalender", HttpStatusCode.Forbidden)]
    [InlineData("kepala.uji", "/kalender", HttpStatusCode.OK)]
    public async Task Designer_is_for_admins_and_dashboard_for_supervisors(string userName, string path, HttpStatusCode expected)
    {
        using var browser = Browser();
        (await SubmitAsync(browser, userName, KinerjaServer.DemoPassword, "/tugas")).Dispose();

        using var response = await browser.GetAsync(path);

        response.StatusCode.Should().Be(expected);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
    }

    [Fact]
    public async Task Menus_show_only_the_pages_the_user_may_open()
    {
        using var staf = Browser();
        using var kepala = Browser();
        (await SubmitAsync(staf, "staf.uji", KinerjaServer.DemoPassword, "/tugas")).Dispose();
        (await SubmitAsync(kepala, "kepala.uji", KinerjaServer.DemoPassword, "/tugas")).Dispose();

        var forStaf = await staf.GetStringAsync("/tugas");
        var forKepala = await kepala.GetStringAsync("/tugas");

        forStaf.Should().NotContain("href=\"/desainer\"").And.NotContain("href=\"/dasbor\"").And.NotContain("href=\"/hangfire\"").And.NotContain("href=\"/kalender\"");
        forKepala.Should().Contain("href=\"/desainer\"").And.Contain("href=\"/dasbor\"").And.Contain("href=\"/hangfire\"").And.Contain("href=\"/kalender\"");
    }

    [Theory]
    [InlineData("staf.uji", HttpStatusCode.Forbidden)]
    [InlineData("kepala.uji", HttpStatusCode.OK)]
    public async Task Hangfires_dashboard_is_for_office_admins(string userName, HttpStatusCode expected)
    {
        using var browser = Browser();
        (await SubmitAsync(browser, userName, KinerjaServer.DemoPassword, "/tugas")).Dispose();

        using var response = await browser.GetAsync("/hangfire");

        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task Hangfires_dashboard_sends_an_anonymous_visitor_to_sign_in()
    {
        using var browser = Browser();

        using var response = await browser.GetAsync("/hangfire/jobs/failed");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().EndWith("/masuk?ReturnUrl=%2Fhangfire%2Fjobs%2Ffailed");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = Browser();
        (await SubmitAsync(browser, "staf.uji", KinerjaServer.DemoPassword, "/tugas")).Dispose();
        var page = await browser.GetStringAsync("/tugas");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = TokenOf(page) });

        using var response = await browser.PostAsync("/keluar", form);

        response.Headers.Location!.OriginalString.Should().Be("/masuk");
        using var me = await browser.GetAsync("/api/auth/me");
        me.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private HttpClient Browser() =>
        _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string userName, string password, string returnUrl)
    {
        var page = await browser.GetStringAsync("/masuk");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = TokenOf(page),
            ["username"] = userName,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        });
        return await browser.PostAsync("/masuk", form);
    }

    private static string TokenOf(string page) => WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
