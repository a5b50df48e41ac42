using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace KinerjaWorkflow.Server.Web;

/// <summary>
/// Serves wwwroot: the bundle under /dist compressed at build time (brotli or gzip, whichever the browser accepts,
/// from the .br and .gz files beside each file) and cached for a year, since its names change with its content;
/// everything else (the favicon, the manifest) revalidated on every use.
/// </summary>
public static class ClientAssetFiles
{
    public const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>The encodings written at build time, in the order preferred when a browser accepts both equally.</summary>
    private static readonly (string Name, string Extension)[] Encodings = [("br", ".br"), ("gzip", ".gz")];

    public static WebApplication UseClientAssetFiles(this WebApplication app)
    {
        var files = app.Environment.WebRootFileProvider;
        app.Use((http, next) =>
        {
            ServeCompressed(http, files);
            return next(http);
        });
        app.UseStaticFiles(new StaticFileOptions { ContentTypeProvider = new EncodedContentTypes(), OnPrepareResponse = SetHeaders });
        return app;
    }

    /// <summary>
    /// The encoding to send a file in: the one the Accept-Encoding header ranks highest among those a compressed
    /// copy exists for, or null for the file as it is.
    /// </summary>
    public static string? ChooseEncoding(StringValues acceptEncoding, Func<string, bool> hasCopy)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var accepted))
        {
            return null;
        }

        string? chosen = null;
        var best = 0.0;
        foreach (var (name, extension) in Encodings)
        {
            var quality = accepted
                .Where(a => a.Value.Equals(name, StringComparison.OrdinalIgnoreCase) || a.Value == "*")
                .OrderByDescending(a => a.Value != "*")
                .Select(a => a.Quality ?? 1.0)
                .FirstOrDefault();
            if (quality > best && hasCopy(extension))
            {
                chosen = name;
                best = quality;
            }
        }

        return chosen;
    }

    private static void ServeCompressed(HttpContext http, IFileProvider files)
    {
        var request = http.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || !request.Path.StartsWithSegments(ClientAssets.PathBase)
            || !files.GetFileInfo(request.Path.Value!).Exists)
        {
            return;
        }

        var path = request.Path.Value!;
        var encoding = ChooseEncoding(request.Headers.AcceptEncoding, extension => files.GetFileInfo(path + extension).Exists);
        if (encoding is not null)
        {
            request.Path = path + Encodings.First(e => e.Name == encoding).Extension;
        }
    }

    private static void SetHeaders(StaticFileResponseContext context)
    {
        var http = context.Context;
        var path = http.Request.Path;
        var inBundle = path.StartsWithSegments(ClientAssets.PathBase) && !context.File.Name.Equals(ClientAssetManifest.FileName, StringComparison.Ordinal);
        http.Response.Headers.CacheControl = inBundle ? Immutable : "no-cache";
        if (!path.StartsWithSegments(ClientAssets.PathBase))
        {
            return;
        }

        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        foreach (var (name, extension) in Encodings)
        {
            if (context.File.Name.EndsWith(extension, StringComparison.Ordinal))
            {
                http.Response.Headers.ContentEncoding = name;
            }
        }
    }

    /// <summary>A compressed copy has the media type of the file it was made from (app.js.br is JavaScript).</summary>
    private sealed class EncodedContentTypes : IContentTypeProvider
    {
        private readonly FileExtensionContentTypeProvider _types = new();

        public bool TryGetContentType(string subpath, out string contentType)
        {
            foreach (var (_, extension) in Encodings)
            {
                if (subpath.EndsWith(extension, StringComparison.Ordinal))
                {
                    subpath = subpath[..^extension.Length];
                }
            }

            return _types.TryGetContentType(subpath, out contentType!);
        }
    }
}
