using System.Diagnostics;
using System.Text.Json;
using KinerjaWorkflow.Server.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>Turns every failure into problem details; users' errors keep their status, the rest are 500s.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainError error => Describe(error),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(),
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode,
                Title = "Permintaan tidak valid",
                Detail = b.Message,
            },
            JsonException j => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Permintaan tidak valid",
                Detail = $"Isi permintaan bukan JSON yang sah: {j.Message}",
            },
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Kesalahan server",
                Detail = "Terjadi kesalahan di server. Silakan coba lagi atau hubungi admin.",
            };
        }
        else
        {
            logger.LogInformation(
                "Refused {Method} {Path} with {Status}: {Detail}",
                httpContext.Request.Method,
                httpContext.Request.Path,
                problem.Status,
                problem.Detail);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static ProblemDetails TooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Isi permintaan terlalu besar",
        Detail = "Isi permintaan melebihi batas ukuran yang diizinkan.",
    };

    /// <summary>The one place a domain error becomes HTTP: its status and usual title by kind.</summary>
    private static ProblemDetails Describe(DomainError error)
    {
        var (status, title) = error switch
        {
            NotFoundError => (StatusCodes.Status404NotFound, "Tidak ditemukan"),
            ForbiddenError => (StatusCodes.Status403Forbidden, "Tidak diizinkan"),
            ConflictError => (StatusCodes.Status409Conflict, "Konflik"),
            RuleViolation => (StatusCodes.Status422UnprocessableEntity, "Masukan tidak valid"),
            InvalidRequestError => (StatusCodes.Status400BadRequest, "Permintaan tidak valid"),
            TooLargeError => (StatusCodes.Status413PayloadTooLarge, "Isi permintaan terlalu besar"),
            UnsupportedContentError => (StatusCodes.Status415UnsupportedMediaType, "Jenis isi tidak didukung"),
            DamagedContentError => (StatusCodes.Status500InternalServerError, "Kesalahan server"),
            _ => throw new UnreachableException($"{error.GetType().Name} has no HTTP status."),
        };
        var details = new ProblemDetails { Status = status, Title = error.Title ?? title, Detail = error.Message };
        foreach (var (key, value) in error.Extensions)
        {
            details.Extensions[key] = value;
        }

        return details;
    }
}

/// <summary>
/// Refuses oversized bodies up front with a 413 problem: Kestrel's own limit also applies, but this makes
/// the answer the same on every server (and in tests).
/// </summary>
internal sealed class RequestSizeLimitMiddleware(RequestDelegate next, IConfiguration configuration)
{
    private readonly long _limit = configuration.GetValue("Limits:MaxRequestBodyBytes", 1024L * 1024);

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var endpointLimit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        var limit = endpointLimit ?? _limit;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = ProblemExceptionHandler.TooLarge(),
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}

/// <summary>
/// What answers a bare status with no body of its own (an unknown address, a wrong method): people reading a page
/// get an Indonesian page, programs calling /api get problem details with an Indonesian title and detail.
/// </summary>
internal static class StatusCodeAnswers
{
    private static readonly Dictionary<int, (string Title, string Detail)> Texts = new()
    {
        [StatusCodes.Status400BadRequest] = ("Permintaan tidak valid", "Permintaan ini tidak dapat diproses."),
        [StatusCodes.Status401Unauthorized] = ("Belum masuk", "Masuk terlebih dahulu untuk memakai layanan ini."),
        [StatusCodes.Status403Forbidden] = ("Tidak diizinkan", "Anda tidak diizinkan melakukan ini."),
        [StatusCodes.Status404NotFound] = ("Tidak ditemukan", "Alamat ini tidak ada."),
        [StatusCodes.Status405MethodNotAllowed] = ("Metode tidak diizinkan", "Alamat ini ada, tetapi tidak menerima metode permintaan ini."),
        [StatusCodes.Status415UnsupportedMediaType] = ("Jenis isi tidak didukung", "Kirim isi permintaan sebagai JSON (application/json)."),
    };

    /// <summary>Gives a problem that carries only its status the Indonesian words for it; problems with their own words keep them.</summary>
    public static void Translate(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null || problem.Status is not { } status || !Texts.TryGetValue(status, out var text))
        {
            return;
        }

        problem.Title = text.Title;
        problem.Detail = status == StatusCodes.Status404NotFound
            ? $"Alamat {context.HttpContext.Request.Path} tidak ada."
            : text.Detail;
    }

    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        if (status == StatusCodes.Status404NotFound && IsPageRequest(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(NotFoundPage(http), http.RequestAborted);
            return;
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status },
        });
    }

    private static bool IsPageRequest(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api")
        && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private static string NotFoundPage(HttpContext http)
    {
        var assets = http.RequestServices.GetRequiredService<Web.ClientAssets>();
        var e = System.Text.Encodings.Web.HtmlEncoder.Default;
        var style = assets.BuildId is null ? "" : $"<link rel=\"stylesheet\" href=\"{e.Encode(assets.Style("signin"))}\">\n";
        return "<!doctype html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>Halaman tidak ditemukan · KinerjaWorkflow</title>\n"
            + "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n" + style
            + "</head>\n<body class=\"signin-body\">\n<main class=\"signin\" id=\"main\">\n"
            + "<div class=\"signin-form\">\n<h1>Halaman tidak ditemukan</h1>\n"
            + $"<p>Alamat <code>{e.Encode(http.Request.Path.Value ?? "/")}</code> tidak ada. Mungkin tautannya salah ketik atau halamannya sudah dipindahkan.</p>\n"
            + $"<p><a class=\"button-primary\" href=\"{Web.PagePaths.Inbox}\">Ke Kotak Tugas</a></p>\n"
            + "</div>\n</main>\n</body>\n</html>\n";
    }
}
