using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Web;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KinerjaWorkflow.Server.Tests.Web;

/// <summary>The bundle a page asks for: named by its content, cached for a year, sent compressed when the browser accepts it.</summary>
public sealed partial class ClientAssetServingTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;

    [Fact]
    public async Task A_pages_script_style_and_chunks_have_fingerprinted_names_and_are_cached_for_a_year()
    {
        using var client = await SignedInAsync();

        using var page = await client.GetAsync("/tugas");
        var assets = AssetUrl().Matches(await page.Content.ReadAsStringAsync()).Select(m => m.Groups["url"].Value).ToList();

        assets.Should().Contain(u => u.EndsWith(".js", StringComparison.Ordinal)).And.Contain(u => u.EndsWith(".css", StringComparison.Ordinal)).And.Contain(u => u.Contains("/dist/chunks/", StringComparison.Ordinal));
        assets.Should().OnlyContain(u => Fingerprinted().IsMatch(u), "every file name carries a hash of its content");
        foreach (var url in assets)
        {
            using var asset = await client.GetAsync(url);
            asset.StatusCode.Should().Be(HttpStatusCode.OK, url);
            asset.Headers.CacheControl!.ToString().Should().Be(ClientAssetFiles.Immutable, url);
        }

        page.Headers.CacheControl!.NoStore.Should().BeTrue("a page holds the user's name and a form token, and names this build's files");
    }

    [Theory]
    [InlineData("br, gzip", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("gzip;q=1, br;q=0.5", "gzip")]
    [InlineData("identity", null)]
    public async Task A_script_is_sent_in_the_encoding_the_browser_prefers_and_decodes_to_the_same_file(string acceptEncoding, string? expected)
    {
        using var client = await SignedInAsync();
        var url = ScriptOf(await client.GetStringAsync("/tugas"));
        using var plainRequest = new HttpRequestMessage(HttpMethod.Get, url);
        plainRequest.Headers.TryAddWithoutValidation("Accept-Encoding", "identity");
        using var plain = await client.SendAsync(plainRequest);
        var original = await plain.Content.ReadAsByteArrayAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.Should().Equal(expected is null ? [] : [expected]);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        response.Headers.Vary.Should().Contain("Accept-Encoding");
        response.Headers.CacheControl!.ToString().Should().Be(ClientAssetFiles.Immutable);
        var body = await response.Content.ReadAsByteArrayAsync();
        Decode(body, expected).Should().Equal(original);
        if (expected is not null)
        {
            body.Length.Should().BeLessThan(original.Length);
        }
    }

    [Fact]
    public async Task A_file_outside_the_bundle_is_revalidated_on_every_use()
    {
        using var client = _server.CreateClient();

        using var icon = await client.GetAsync("/favicon.svg");

        icon.StatusCode.Should().Be(HttpStatusCode.OK);
        icon.Headers.CacheControl!.NoCache.Should().BeTrue();
    }

    private static byte[] Decode(byte[] body, string? encoding)
    {
        if (encoding is null)
        {
            return body;
        }

        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    private static string ScriptOf(string html) => AssetUrl().Matches(html).Select(m => m.Groups["url"].Value).First(u => u.EndsWith(".js", StringComparison.Ordinal) && !u.Contains("/chunks/", StringComparison.Ordinal));

    private async Task<HttpClient> SignedInAsync()
    {
        var client = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await client.PostAsJsonAsync("/api/auth/cookie", new { username = "kepala.uji", password = KinerjaServer.DemoPassword });
        response.EnsureSuccessStatusCode();
        return client;
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>/dist/[^\"]+)\"")]
    private static partial Regex AssetUrl();

    [GeneratedRegex(@"^/dist/(chunks/)?[a-z]+\.[A-Z0-9]{8}\.(js|css)$")]
    private static partial Regex Fingerprinted();
}
