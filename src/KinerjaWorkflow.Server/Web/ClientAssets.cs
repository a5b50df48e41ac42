namespace KinerjaWorkflow.Server.Web;

/// <summary>
/// The bundled front-end in wwwroot/dist, made by the build (target BuildClientApp). Its build id goes into the
/// pages' script and style addresses, so a browser never mixes an old bundle with a new page.
/// </summary>
public sealed class ClientAssets(IWebHostEnvironment environment)
{
    private readonly Lazy<string?> _buildId = new(() => ReadBuildId(environment));

    /// <summary>Null when the front-end was never built here (the pages then say so instead of half working).</summary>
    public string? BuildId => _buildId.Value;

    public string Script(string entry) => $"/dist/{entry}.js?v={BuildId}";

    public string Style(string entry) => $"/dist/{entry}.css?v={BuildId}";

    private static string? ReadBuildId(IWebHostEnvironment environment)
    {
        var file = Path.Combine(environment.WebRootPath ?? Path.Combine(environment.ContentRootPath, "wwwroot"), "dist", "build-id.txt");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }
}
