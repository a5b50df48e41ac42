using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>Every page and answer carries the security headers (issue 15, item 6).</summary>
public sealed class HeadersTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private KinerjaServer Server => shared.Server;

    [Theory]
    [InlineData("/masuk", HttpStatusCode.OK)]
    [InlineData("/tugas", HttpStatusCode.Redirect)]
    [InlineData("/api/tasks", HttpStatusCode.Unauthorized)]
    [InlineData("/api/auth/me", HttpStatusCode.Unauthorized)]
    [InlineData("/health", HttpStatusCode.OK)]
    [InlineData("/favicon.svg", HttpStatusCode.OK)]
    [InlineData("/tidak-ada", HttpStatusCode.NotFound)]
    public async Task Every_answer_refuses_framing_sniffing_inline_script_and_referrers(string path, HttpStatusCode status)
    {
        using var client = Server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(status);
        HeadersOf(response, "Content-Security-Policy").Should().Be(SecurityHeadersMiddleware.PagePolicy);
        HeadersOf(response, "X-Content-Type-Options").Should().Be("nosniff");
        HeadersOf(response, "X-Frame-Options").Should().Be("DENY");
        HeadersOf(response, "Referrer-Policy").Should().Be("same-origin");
    }

    [Fact]
    public async Task A_signed_in_page_and_its_script_and_style_carry_them_too()
    {
        using var client = await SignedInBrowserAsync();

        using var page = await client.GetAsync("/tugas");
        var html = await page.Content.ReadAsStringAsync();
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/dist/[^\"]+)\"").Groups[1].Value;
        using var asset = await client.GetAsync(script);

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        HeadersOf(page, "Content-Security-Policy").Should().Be(SecurityHeadersMiddleware.PagePolicy);
        HeadersOf(page, "X-Frame-Options").Should().Be("DENY", "the antiforgery token's SAMEORIGIN no longer overrides it");
        asset.StatusCode.Should().Be(HttpStatusCode.OK);
        HeadersOf(asset, "X-Content-Type-Options").Should().Be("nosniff");
    }

    [Fact]
    public void The_page_policy_runs_only_the_services_own_script_files()
    {
        var directives = SecurityHeadersMiddleware.PagePolicy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);

        directives["script-src"].Should().Be("script-src 'self'");
        directives["frame-ancestors"].Should().Be("frame-ancestors 'none'");
        directives["object-src"].Should().Be("object-src 'none'");
    }

    [Fact]
    public async Task The_pages_hold_no_inline_script()
    {
        using var anonymous = Server.CreateClient();
        using var client = await SignedInBrowserAsync();

        foreach (var path in new[] { "/masuk", "/tugas", "/instans", "/desainer", "/dasbor" })
        {
            var html = await (path == "/masuk" ? anonymous : client).GetStringAsync(path);
            var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script(?<attributes>[^>]*)>(?<body>.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline);
            foreach (System.Text.RegularExpressions.Match script in scripts)
            {
                var isData = script.Groups["attributes"].Value.Contains("type=\"application/json\"", StringComparison.Ordinal);
                (isData || script.Groups["body"].Value.Trim().Length == 0).Should().BeTrue($"{path} runs only script files: {script.Value[..Math.Min(80, script.Value.Length)]}");
            }

            html.Should().NotMatchRegex("\\son[a-z]+=\"", $"{path} has no inline event handlers");
        }
    }

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        var client = Server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/cookie", new { username = "kepala.uji", password = KinerjaServer.DemoPassword }).StatusOfAsync())
            .Should().Be(HttpStatusCode.OK);
        return client;
    }

    private static string HeadersOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : "";
}
