using System.Text;
using System.Text.Encodings.Web;
using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace KinerjaWorkflow.Server.Web;

/// <summary>
/// The sign-in page: a plain HTML form that works without script, posting to the same address. A good
/// username and password sign in with the cookie scheme, which the pages' calls to the JSON API then carry.
/// </summary>
public static partial class SignInPage
{
    public const string AntiforgeryField = "__af";

    public static IResult Show(HttpContext http, ClientAssets assets, string? returnUrl) =>
        http.User.FindCurrentUser() is not null
            ? Results.Redirect(SafeReturnUrl(returnUrl))
            : Render(http, assets, returnUrl, userName: null, error: null, StatusCodes.Status200OK);

    public static async Task<IResult> SubmitAsync(
        HttpContext http, UserSignIn signIn, KnownDevices devices, UserSessions sessions, IAntiforgery antiforgery, ClientAssets assets, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return Render(http, assets, null, null, "Kirim formulir masuk dari halaman ini.", StatusCodes.Status400BadRequest);
        }

        var form = await http.Request.ReadFormAsync(ct);
        var userName = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Render(http, assets, returnUrl, userName, "Formulir sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.", StatusCodes.Status400BadRequest);
        }

        if (userName.Length == 0 || password.Length == 0)
        {
            return Render(http, assets, returnUrl, userName, "Isi nama pengguna dan kata sandi.", StatusCodes.Status400BadRequest);
        }

        var attempt = await signIn.SignInAsync(userName, password, IdentityEndpoints.ClientAddress(http), devices.Recognize(http, UserSignIn.Normalize(userName)), ct);
        switch (attempt.Status)
        {
            case SignInStatus.Succeeded:
                devices.Remember(http, attempt.User!.UserName);
                var session = await sessions.StartAsync(attempt.User.UserName, ct);
                var principal = attempt.User.ToClaimsPrincipal(KinerjaAuthentication.CookieScheme, session);
                await http.SignInAsync(KinerjaAuthentication.CookieScheme, principal, new AuthenticationProperties { IssuedUtc = clock.GetUtcNow() });
                LogPageSignIn(loggers.CreateLogger(typeof(SignInPage)), attempt.User.UserName);
                return Results.Redirect(SafeReturnUrl(returnUrl));
            case SignInStatus.Throttled:
                http.Response.Headers.RetryAfter = IdentityEndpoints.RetryAfterSeconds(attempt.RetryAfter!.Value);
                return Render(http, assets, returnUrl, userName, IdentityEndpoints.ThrottledMessage, StatusCodes.Status429TooManyRequests);
            case SignInStatus.Disabled:
                return Render(http, assets, returnUrl, userName, IdentityEndpoints.DisabledMessage, StatusCodes.Status403Forbidden);
            default:
                return Render(http, assets, returnUrl, userName, IdentityEndpoints.InvalidCredentialsMessage, StatusCodes.Status401Unauthorized);
        }
    }

    public static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery, UserSessions sessions, CancellationToken ct)
    {
        if (await antiforgery.IsRequestValidAsync(http))
        {
            await IdentityEndpoints.SignOutAsync(http, sessions, ct);
        }

        return Results.Redirect(PagePaths.SignIn);
    }

    /// <summary>Only a path on this site: an absolute or protocol-relative address would make the form an open redirect.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl)
        && returnUrl.StartsWith('/')
        && !returnUrl.StartsWith("//", StringComparison.Ordinal)
        && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
        && !returnUrl.StartsWith(PagePaths.SignIn, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : PagePaths.Inbox;

    private static IResult Render(HttpContext http, ClientAssets assets, string? returnUrl, string? userName, string? error, int status)
    {
        if (assets.BuildId is null)
        {
            return Results.Content("Halaman web belum dibangun: jalankan dotnet build dengan Node.js dan npm terpasang.", "text/plain; charset=utf-8", statusCode: 503);
        }

        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var e = HtmlEncoder.Default;
        var html = new StringBuilder(2048);
        html.Append("<!doctype html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Masuk · KinerjaWorkflow</title>\n")
            .Append("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(e.Encode(assets.Style("signin"))).Append("\">\n")
            .Append("</head>\n<body class=\"signin-body\">\n<main class=\"signin\" id=\"main\">\n")
            .Append("<div class=\"signin-brand\"><span class=\"brand-mark\" aria-hidden=\"true\">K</span>")
            .Append("<div><p class=\"signin-product\">KinerjaWorkflow</p>")
            .Append("<p class=\"signin-tagline\">Standar Operasional Prosedur yang berjalan, tepat waktu.</p></div></div>\n")
            .Append("<form method=\"post\" action=\"").Append(PagePaths.SignIn).Append("\" class=\"signin-form\" novalidate>\n")
            .Append("<h1>Masuk</h1>\n");
        if (error is not null)
        {
            html.Append("<p class=\"form-error\" role=\"alert\" id=\"signin-error\">").Append(e.Encode(error)).Append("</p>\n");
        }

        html.Append("<input type=\"hidden\" name=\"").Append(AntiforgeryField).Append("\" value=\"").Append(e.Encode(tokens.RequestToken ?? "")).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(e.Encode(SafeReturnUrl(returnUrl))).Append("\">\n")
            .Append("<div class=\"field\"><label for=\"username\">Nama pengguna</label>")
            .Append("<input id=\"username\" name=\"username\" autocomplete=\"username\" required value=\"")
            .Append(e.Encode(userName ?? "")).Append('"');
        var focusPassword = !string.IsNullOrEmpty(userName);
        if (!focusPassword)
        {
            html.Append(" autofocus");
        }

        if (error is not null)
        {
            html.Append(" aria-describedby=\"signin-error\"");
        }

        html.Append("></div>\n")
            .Append("<div class=\"field\"><label for=\"password\">Kata sandi</label>")
            .Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required")
            .Append(focusPassword ? " autofocus" : "").Append("></div>\n")
            .Append("<button type=\"submit\" class=\"button-primary button-wide\">Masuk</button>\n")
            .Append("</form>\n<p class=\"signin-foot\">Gunakan akun yang diberikan admin kantor Anda.</p>\n</main>\n")
            .Append("</body>\n</html>\n");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} signed in to the web pages")]
    private static partial void LogPageSignIn(ILogger logger, string userName);
}
