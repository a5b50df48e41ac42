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
    public const string InvalidCredentialsMessage = "Nama pengguna atau kata sandi salah.";

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
            .ProducesProblem(StatusCodes.Status423Locked);
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
            .ProducesProblem(StatusCodes.Status423Locked);
        auth.MapPost("/logout", async (HttpContext http) =>
            {
                await http.SignOutAsync(KinerjaAuthentication.CookieScheme);
                return TypedResults.NoContent();
            })
            .AllowAnonymous()
            .WithName("SignOut")
            .WithSummary("Keluar: cookie sesi dihapus. Token bearer berlaku sampai kedaluwarsa (atau akun dinonaktifkan).");
        return app;
    }

    private static Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request, UserSignIn signIn, TokenIssuer tokens, TimeProvider timeProvider, HttpContext http, CancellationToken cancellationToken) =>
        SignInThenAsync(request, signIn, timeProvider, http, user =>
        {
            var issued = tokens.Issue(user);
            return Task.FromResult(new TokenResponse(issued.Token, issued.ExpiresAt, AuthenticatedUser.From(user)));
        }, cancellationToken);

    private static Task<Results<Ok<AuthenticatedUser>, ValidationProblem, ProblemHttpResult>> SignInWithCookieAsync(
        TokenRequest request, UserSignIn signIn, TimeProvider timeProvider, HttpContext http, CancellationToken cancellationToken) =>
        SignInThenAsync(request, signIn, timeProvider, http, async user =>
        {
            await http.SignInAsync(KinerjaAuthentication.CookieScheme, user.ToClaimsPrincipal(KinerjaAuthentication.CookieScheme));
            return AuthenticatedUser.From(user);
        }, cancellationToken);

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> SignInThenAsync<T>(
        TokenRequest request,
        UserSignIn signIn,
        TimeProvider timeProvider,
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

        var attempt = await signIn.SignInAsync(request.Username!, request.Password!, cancellationToken);
        switch (attempt.Status)
        {
            case SignInStatus.Succeeded:
                return TypedResults.Ok(await signedIn(attempt.User!));
            case SignInStatus.Disabled:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Akun dinonaktifkan",
                    detail: "Akun ini dinonaktifkan oleh admin kantor. Hubungi admin untuk mengaktifkannya kembali.");
            case SignInStatus.LockedOut:
                var wait = attempt.LockedUntil!.Value - timeProvider.GetUtcNow();
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status423Locked,
                    title: "Akun terkunci",
                    detail: $"Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {(seconds + 59) / 60} menit.");
            default:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Gagal masuk",
                    detail: InvalidCredentialsMessage);
        }
    }
}
