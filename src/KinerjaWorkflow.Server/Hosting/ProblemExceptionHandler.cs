using System.Text.Json;
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
            ProblemException p => Describe(p),
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

    private static ProblemDetails Describe(ProblemException p)
    {
        var details = new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Message };
        foreach (var (key, value) in p.Extensions)
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
