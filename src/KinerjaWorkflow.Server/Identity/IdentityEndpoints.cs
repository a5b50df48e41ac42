using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KinerjaWorkflow.Server.Identity;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record AuthenticatedUser(string Username, string Name, string Office, IReadOnlyList<string> Roles, bool IsAdmin)
{
    public static AuthenticatedUser From(CurrentUser user) =>
        new(user.UserName, user.DisplayName, user.OfficeId, user.Roles.Order(StringComparer.Ordinal).ToList(), user.IsAdmin);
}

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt, AuthenticatedUser User);

public static class IdentityEndpoints
{
    /// <summary>One answer for an unknown user, a wrong password and a locked account, so it tells nothing about which.</summary>
    public const string InvalidCredentialsMessage =
        "Nama pengguna atau kata sandi salah. Setelah beberapa kali gagal, akun dikunci sebentar: coba lagi nanti atau minta admin kantor membukanya.";

    public const string DisabledMessage =
        "Akun ini dinonaktifkan, atau menunggu kata sandi baru dari admin kantor. Hubungi admin untuk mengaktifkannya kembali.";

    public const string ThrottledMessage = "Terlalu banyak percobaan masuk. Tunggu sebentar lalu coba lagi.";

    /// <summary>POST /api/auth/token (sign in, get a bearer token) and GET /api/auth/me (who am I).</summary>
    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/token", IssueTokenAsync)
            .AllowAnonymous()
            .WithName("IssueToken")
            .WithSummary("Sign in with a username and password; returns a bearer token.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapGet("/me", (ClaimsPrincipal principal) => TypedResults.Ok(AuthenticatedUser.From(principal.ToCurrentUser())))
            .RequireAuthorization()
            .WithName("CurrentUser")
            .WithSummary("The signed-in user.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapPost("/cookie", SignInWithCookieAsync)
            .AllowAnonymous()
            .WithName("SignInWithCookie")
            .WithSummary("Masuk untuk halaman web: kata sandi diperiksa, lalu cookie sesi (HttpOnly) dipasang.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", async (HttpContext http, UserSessions sessions, CancellationToken cancellationToken) =>
            {
                await SignOutAsync(http, sessions, cancellationToken);
                return TypedResults.NoContent();
            })
            .AllowAnonymous()
            .WithName("SignOut")
            .WithSummary("Keluar: sesi (token bearer atau cookie yang dipakai) diakhiri di server, dan aliran notifikasi langsung ditutup.");
        return app;
    }

    /// <summary>Ends the request's session on the server (token or cookie) and removes the cookie.</summary>
    public static async Task SignOutAsync(HttpContext http, UserSessions sessions, CancellationToken cancellationToken)
    {
        if (http.User.FindCurrentUser() is { } user && http.User.FindSessionId() is { } session)
        {
            await sessions.EndAsync(user.UserName, session, cancellationToken);
        }

        await http.SignOutAsync(KinerjaAuthentication.CookieScheme);
    }

    /// <summary>A cookie sign-in for the pages, on a new server-side session.</summary>
    private static async Task StartCookieSessionAsync(HttpContext http, UserSessions sessions, CurrentUser user, CancellationToken cancellationToken)
    {
        var session = await sessions.StartAsync(user.UserName, cancellationToken);
        await http.SignInAsync(KinerjaAuthentication.CookieScheme, user.ToClaimsPrincipal(KinerjaAuthentication.CookieScheme, session));
    }

    /// <summary>The client's address as the pipeline sees it (behind the proxy, the forwarded one).</summary>
    public static string? ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    private static Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request, UserSignIn signIn, KnownDevices devices, UserSessions sessions, TokenIssuer tokens, HttpContext http, CancellationToken cancellationToken) =>
        SignInThenAsync(request, signIn, devices, http, async user =>
        {
            var issued = tokens.Issue(user, await sessions.StartAsync(user.UserName, cancellationToken));
            return new TokenResponse(issued.Token, issued.ExpiresAt, AuthenticatedUser.From(user));
        }, cancellationToken);

    private static Task<Results<Ok<AuthenticatedUser>, ValidationProblem, ProblemHttpResult>> SignInWithCookieAsync(
        TokenRequest request, UserSignIn signIn, KnownDevices devices, UserSessions sessions, HttpContext http, CancellationToken cancellationToken) =>
        SignInThenAsync(request, signIn, devices, http, async user =>
        {
            await StartCookieSessionAsync(http, sessions, user, cancellationToken);
            return AuthenticatedUser.From(user);
        }, cancellationToken);

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> SignInThenAsync<T>(
        TokenRequest request,
        UserSignIn signIn,
        KnownDevices devices,
        HttpContext http,
        Func<CurrentUser, Task<T>> signedIn,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Username))
        {
            errors["username"] = ["Nama pengguna wajib diisi."];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["Kata sandi wajib diisi."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var knownDevice = devices.Recognize(http, UserSignIn.Normalize(request.Username!));
        var attempt = await signIn.SignInAsync(request.Username!, request.Password!, ClientAddress(http), knownDevice, cancellationToken);
        switch (attempt.Status)
        {
            case SignInStatus.Succeeded:
                devices.Remember(http, attempt.User!.UserName);
                return TypedResults.Ok(await signedIn(attempt.User));
            case SignInStatus.Disabled:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Akun dinonaktifkan",
                    detail: DisabledMessage);
            case SignInStatus.Throttled:
                http.Response.Headers.RetryAfter = RetryAfterSeconds(attempt.RetryAfter!.Value);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Terlalu banyak percobaan",
                    detail: ThrottledMessage);
            default:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Gagal masuk",
                    detail: InvalidCredentialsMessage);
        }
    }

    /// <summary>Whole seconds, rounded up, as Retry-After takes them.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
