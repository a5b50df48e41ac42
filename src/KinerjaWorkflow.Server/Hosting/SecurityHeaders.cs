namespace KinerjaWorkflow.Server.Hosting;

/// <summary>
/// Headers on every answer: a Content-Security-Policy that runs only the service's own script files (no inline
/// script, no eval), refuses framing, and keeps the pages from sending data anywhere but here; no MIME sniffing;
/// no referrer leaving the site. Swagger UI (Swashbuckle 10) loads its configuration from index.js, so the same
/// policy serves it. Styles may be inline: the designer's diagram library sets style attributes.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = PagePolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return next(context);
    }
}
