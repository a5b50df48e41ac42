using System.Diagnostics;
using System.IO.Compression;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace KinerjaWorkflow.Server.Tests.Web;

/// <summary>
/// ClientApp/bundle.mjs on a two-page project of its own: a file's name follows its content and nothing else, so
/// a browser that keeps a file for a year is never handed an old one under a new build.
/// </summary>
public sealed class ClientBundleTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("kinerja-bundle-").FullName;

    public ClientBundleTests()
    {
        Write("first.js", "import './first.css';\nimport { greet } from './shared.js';\ndocument.title = greet('satu');\n");
        Write("second.js", "import './second.css';\nimport { greet } from './shared.js';\ndocument.title = greet('dua');\n");
        Write("alone.js", "document.title = 'sendiri';\n");
        Write("shared.js", "export const greet = (name) => `Halo ${name}`;\n");
        Write("first.css", "body { color: #1b2430; }\n");
        Write("second.css", "body { color: #0d2240; }\n");
    }

    [Fact]
    public async Task The_same_sources_bundle_to_the_same_names()
    {
        var before = await BundleAsync();
        var again = await BundleAsync();

        again.Should().BeEquivalentTo(before);
        before.Pages["first"].Script.Should().MatchRegex(@"^first\.[A-Z0-9]{8}\.js$");
        before.Pages["first"].Style.Should().MatchRegex(@"^first\.[A-Z0-9]{8}\.css$");
        before.Pages["first"].Imports.Should().ContainSingle().Which.Should().MatchRegex(@"^chunks/chunk\.[A-Z0-9]{8}\.js$");
    }

    [Fact]
    public async Task A_change_to_shared_code_renames_the_chunk_and_every_page_that_imports_it_and_no_other()
    {
        var before = await BundleAsync();

        Write("shared.js", "export const greet = (name) => `Selamat pagi ${name}`;\n");
        var after = await BundleAsync();

        after.Pages["first"].Imports.Should().NotIntersectWith(before.Pages["first"].Imports);
        after.Pages["first"].Script.Should().NotBe(before.Pages["first"].Script);
        after.Pages["second"].Script.Should().NotBe(before.Pages["second"].Script);
        after.Pages["alone"].Script.Should().Be(before.Pages["alone"].Script);
        after.Pages["first"].Style.Should().Be(before.Pages["first"].Style);
        after.BuildId.Should().NotBe(before.BuildId);
    }

    [Fact]
    public async Task A_change_to_a_style_sheet_renames_that_style_sheet_only()
    {
        var before = await BundleAsync();

        Write("first.css", "body { color: #14315a; }\n");
        var after = await BundleAsync();

        after.Pages["first"].Style.Should().NotBe(before.Pages["first"].Style);
        after.Pages["second"].Style.Should().Be(before.Pages["second"].Style);
        after.Pages["second"].Script.Should().Be(before.Pages["second"].Script);
    }

    [Fact]
    public async Task Each_text_file_has_a_brotli_and_a_gzip_copy_with_the_same_content()
    {
        Write("shared.js", $"export const greet = (name) => `{string.Concat(Enumerable.Repeat("Halo ", 200))}${{name}}`;\n");
        var manifest = await BundleAsync();

        var script = Path.Combine(Dist, manifest.Pages["first"].Imports[0]);
        var original = await File.ReadAllBytesAsync(script);
        Decode(new BrotliStream(File.OpenRead(script + ".br"), CompressionMode.Decompress)).Should().Equal(original);
        Decode(new GZipStream(File.OpenRead(script + ".gz"), CompressionMode.Decompress)).Should().Equal(original);
    }

    [Fact]
    public async Task The_pages_name_the_files_of_a_rebuild_made_while_the_service_runs()
    {
        var assets = new ClientAssets(new WebRoot(_project));
        var before = await BundleAsync();
        File.SetLastWriteTimeUtc(Path.Combine(Dist, ClientAssetManifest.FileName), new DateTime(2026, 10, 13, 1, 0, 0, DateTimeKind.Utc));
        assets.Script("first").Should().Be($"/dist/{before.Pages["first"].Script}");

        Write("shared.js", "export const greet = (name) => `Selamat siang ${name}`;\n");
        var after = await BundleAsync();
        File.SetLastWriteTimeUtc(Path.Combine(Dist, ClientAssetManifest.FileName), new DateTime(2026, 10, 13, 2, 0, 0, DateTimeKind.Utc));

        assets.Script("first").Should().Be($"/dist/{after.Pages["first"].Script}").And.NotBe($"/dist/{before.Pages["first"].Script}");
        assets.Preloads("first").Should().Equal(after.Pages["first"].Imports.Select(i => $"/dist/{i}"));
        assets.BuildId.Should().Be(after.BuildId);
    }

    [Theory]
    [InlineData("br, gzip", "br")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip;q=1, br;q=0.8", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("*", "br")]
    [InlineData("*;q=0.5, br;q=0", "gzip")]
    [InlineData("identity", null)]
    [InlineData("", null)]
    public void The_encoding_is_the_one_the_browser_ranks_highest(string acceptEncoding, string? expected) =>
        ClientAssetFiles.ChooseEncoding(new StringValues(acceptEncoding), _ => true).Should().Be(expected);

    [Fact]
    public void Without_a_compressed_copy_the_file_goes_as_it_is_or_in_the_other_encoding()
    {
        ClientAssetFiles.ChooseEncoding(new StringValues("br, gzip"), extension => extension == ".gz").Should().Be("gzip");
        ClientAssetFiles.ChooseEncoding(new StringValues("br"), extension => extension == ".gz").Should().BeNull();
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private string Dist => Path.Combine(_project, "dist");

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_project, name), content);

    private async Task<ClientAssetManifest> BundleAsync()
    {
        var bundler = new Uri(Path.Combine(RepositoryRoot.Path, "src", "KinerjaWorkflow.Server", "ClientApp", "bundle.mjs")).AbsoluteUri;
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                "--input-type=module",
                "-e",
                $"import {{ bundle }} from '{bundler}'; await bundle({{ entryPoints: {{ first: 'first.js', second: 'second.js', alone: 'alone.js' }}, outdir: 'dist', minify: false }});",
            },
            WorkingDirectory = _project,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var node = Process.Start(start)!;
        var errors = node.StandardError.ReadToEndAsync();
        await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        node.ExitCode.Should().Be(0, await errors);
        return ClientAssetManifest.Read(Path.Combine(Dist, ClientAssetManifest.FileName))!;
    }

    /// <summary>The test project's folder as the service's web root: the bundle lands in its dist folder, as in wwwroot/dist.</summary>
    private sealed class WebRoot(string path) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = path;

        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();

        public string ApplicationName { get; set; } = "KinerjaWorkflow.Server";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();

        public string ContentRootPath { get; set; } = path;

        public string EnvironmentName { get; set; } = "Testing";
    }

    private static byte[] Decode(Stream decoder)
    {
        using (decoder)
        {
            using var output = new MemoryStream();
            decoder.CopyTo(output);
            return output.ToArray();
        }
    }
}
