using System.Text.Json;

namespace KinerjaWorkflow.Server.Web;

/// <summary>
/// The bundled front-end in wwwroot/dist, made by the build (target BuildClientApp, ClientApp/bundle.mjs). Every
/// file there is named by a hash of its content; dist/manifest.json says which files are each page's, so a page
/// always asks for the files of the build it came from and a browser may keep them for a year.
/// </summary>
public sealed class ClientAssets(IWebHostEnvironment environment)
{
    public const string PathBase = "/dist";

    private readonly string _path = Path.Combine(
        environment.WebRootPath ?? Path.Combine(environment.ContentRootPath, "wwwroot"), "dist", ClientAssetManifest.FileName);

    private Loaded? _loaded;

    /// <summary>Null when the front-end was never built here (the pages then say so instead of half working).</summary>
    public string? BuildId => Manifest?.BuildId;

    /// <summary>
    /// Read again whenever the build rewrote it: a rebuild while the service runs replaces every file name, and a
    /// page naming the old ones would load nothing.
    /// </summary>
    private ClientAssetManifest? Manifest
    {
        get
        {
            var writtenAt = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : DateTime.MinValue;
            var loaded = _loaded;
            if (loaded is null || loaded.WrittenAt != writtenAt)
            {
                loaded = new Loaded(writtenAt, ClientAssetManifest.Read(_path));
                _loaded = loaded;
            }

            return loaded.Manifest;
        }
    }

    public string Script(string entry) => $"{PathBase}/{Page(entry).Script}";

    public string Style(string entry) => Page(entry).Style is { } style
        ? $"{PathBase}/{style}"
        : throw new InvalidOperationException($"The page bundle '{entry}' has no style sheet; import its CSS in ClientApp/src/pages/{entry}.js.");

    /// <summary>The chunks the page's script imports at once, for the browser to fetch beside the script instead of after it.</summary>
    public IEnumerable<string> Preloads(string entry) => Page(entry).Imports.Select(i => $"{PathBase}/{i}");

    private ClientAssetManifest.PageFiles Page(string entry) =>
        Manifest?.Pages.GetValueOrDefault(entry)
        ?? throw new InvalidOperationException($"The page bundle '{entry}' is not in {PathBase}/{ClientAssetManifest.FileName}; add it to ClientApp/build.mjs.");

    private sealed record Loaded(DateTime WrittenAt, ClientAssetManifest? Manifest);
}

/// <summary>dist/manifest.json as ClientApp/bundle.mjs writes it: the build's id and each page's files, relative to dist.</summary>
public sealed record ClientAssetManifest(string BuildId, IReadOnlyDictionary<string, ClientAssetManifest.PageFiles> Pages)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Null when there is no manifest: the front-end was not built.</summary>
    public static ClientAssetManifest? Read(string path) => File.Exists(path) ? Parse(File.ReadAllText(path)) : null;

    public static ClientAssetManifest Parse(string json) =>
        JsonSerializer.Deserialize<ClientAssetManifest>(json, Json) is { BuildId: not null, Pages: not null } manifest
            ? manifest
            : throw new InvalidOperationException($"{FileName} has no buildId or pages; build the front-end again (npm run build in ClientApp).");

    public sealed record PageFiles(string Script, string? Style, IReadOnlyList<string> Imports);
}
