using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Persistence;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>The service with Production's safety settings: HTTPS with HSTS, and the API documentation for admins only.</summary>
public sealed class ProductionLikeServer : IDisposable
{
    public KinerjaServer Server { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Hosting:RequireHttps"] = "true",
        ["Hosting:ApiDocs"] = "Admins",
    });

    public void Dispose()
    {
        Server.Dispose();
        Server.Data.Dispose();
    }
}

/// <summary>Production is safe by default (issue 15, item 3).</summary>
public sealed class ProductionDefaultsTests(ProductionLikeServer production) : IClassFixture<ProductionLikeServer>
{
    private const string Site = "kinerja.example.go.id";

    private KinerjaServer Server => production.Server;

    [Fact]
    public async Task Plain_http_is_redirected_to_https()
    {
        using var client = Client("http");

        using var response = await client.GetAsync("/masuk");

        response.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location!.ToString().Should().Be($"https://{Site}/masuk");
    }

    [Fact]
    public async Task Https_answers_carry_hsts()
    {
        using var client = Client("https");

        using var response = await client.GetAsync("/masuk");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").Single().Should().Be("max-age=31536000");
    }

    [Fact]
    public async Task Every_cookie_set_over_https_is_secure()
    {
        using var client = Client("https");

        using var page = await client.GetAsync("/masuk");
        using var signIn = await client.PostAsJsonAsync("/api/auth/cookie", new { username = "staf.uji", password = KinerjaServer.DemoPassword });

        var cookies = page.Headers.GetValues("Set-Cookie").Concat(signIn.Headers.GetValues("Set-Cookie")).ToList();
        cookies.Select(c => c.Split('=')[0]).Should().Contain(["kinerja.af", "kinerja.auth", "kinerja.device"]);
        cookies.Should().OnlyContain(c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Behind_the_proxy_its_forwarded_https_counts_as_https()
    {
        using var client = Client("http");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/masuk");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Contains("Strict-Transport-Security").Should().BeTrue();
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Redirect)]
    [InlineData("staf.uji", HttpStatusCode.Redirect)]
    [InlineData("kepala.uji", HttpStatusCode.OK)]
    public async Task The_openapi_document_is_for_signed_in_admins_others_are_sent_to_sign_in(string? userName, HttpStatusCode expected)
    {
        using var client = Client("https");
        if (userName is not null)
        {
            await SignInWithCookieAsync(client, userName);
        }

        (await client.GetAsync("/openapi/v1.json").StatusOfAsync()).Should().Be(expected);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Redirect)]
    [InlineData("staf.uji", HttpStatusCode.Redirect)]
    [InlineData("kepala.uji", HttpStatusCode.OK)]
    public async Task Swagger_ui_is_for_signed_in_admins(string? userName, HttpStatusCode expected)
    {
        using var client = Client("https");
        if (userName is not null)
        {
            await SignInWithCookieAsync(client, userName);
        }

        using var response = await client.GetAsync("/swagger/index.html");

        response.StatusCode.Should().Be(expected);
        if (expected == HttpStatusCode.OK)
        {
            response.Headers.GetValues("Content-Security-Policy").Single().Should().Be(SecurityHeadersMiddleware.PagePolicy);
        }
    }

    [Theory]
    [InlineData("Development", "Public", false)]
    [InlineData("Testing", "Public", false)]
    [InlineData("Staging", "Admins", true)]
    [InlineData("Production", "Admins", true)]
    public void Outside_development_and_testing_the_defaults_are_the_safe_ones(string environment, string apiDocs, bool requireHttps)
    {
        using var folder = new Identity.TempFolder();

        var options = HostingSafetyOptions.From(new ConfigurationBuilder().Build(), TestDatabase.Environment(folder.Path, environment));

        options.ApiDocs.ToString().Should().Be(apiDocs);
        options.RequireHttps.Should().Be(requireHttps);
    }

    [Theory]
    [InlineData("Production", "kinerja.db")]
    [InlineData("Development", "kinerja.Development.db")]
    [InlineData("Testing", "kinerja.Testing.db")]
    public void Each_environment_has_its_own_default_database_file(string environment, string fileName)
    {
        using var folder = new Identity.TempFolder();

        var settings = DatabaseSettings.FromConfiguration(new ConfigurationBuilder().Build(), TestDatabase.Environment(folder.Path, environment));

        settings.ConnectionString.Should().Contain(Path.Combine(folder.Path, "data", fileName));
    }

    private HttpClient Client(string scheme) =>
        Server.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri($"{scheme}://{Site}"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });

    private static async Task SignInWithCookieAsync(HttpClient client, string userName) =>
        (await client.PostAsJsonAsync("/api/auth/cookie", new { username = userName, password = KinerjaServer.DemoPassword }).StatusOfAsync())
            .Should().Be(HttpStatusCode.OK);
}
