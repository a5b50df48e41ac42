using System.Net.Http.Headers;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KinerjaWorkflow.Server.Tests.Identity;

/// <summary>
/// A minimal web application with only persistence and identity, on a SQLite file under its content root, with
/// workflows/ next to it and a clock the test moves.
/// </summary>
internal sealed class IdentityTestHost : IAsyncDisposable
{
    public const string AdminOnlyPath = "/api/testing/admin-only";
    public const string PagePath = "/halaman";
    public const string CookieSignInPath = "/masuk";

    private readonly WebApplication _app;

    private IdentityTestHost(WebApplication app, string contentRoot)
    {
        _app = app;
        ContentRoot = contentRoot;
        Client = app.GetTestClient();
    }

    public string ContentRoot { get; }
    public HttpClient Client { get; }

    public static async Task<IdentityTestHost> StartAsync(
        string contentRoot, TimeProvider clock, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = contentRoot,
        });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        // Tests try many sign-ins from one (absent) address; the limits have tests of their own.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Identity:SignInsPerAddress"] = "1000000",
            ["Identity:SignInBurstPerAddress"] = "1000000",
            ["Identity:SignInsPerUser"] = "1000000",

            // Its clock is a FakeTimeProvider that moves only when a test advances it: a refusal waiting out its
            // answer time on that clock would never answer.
            ["Identity:RefusedSignInAnswerTime"] = "00:00:00",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton(clock);
        builder.Services.AddKinerjaPersistence(builder.Configuration, builder.Environment);
        builder.Services.AddKinerjaIdentity(builder.Configuration, builder.Environment);
        builder.Services.AddKinerjaOffices();
        builder.Services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapIdentityEndpoints();
        app.MapGet(AdminOnlyPath, () => "ok").RequireAuthorization(KinerjaPolicies.Admin);
        app.MapGet(PagePath, (System.Security.Claims.ClaimsPrincipal user) => user.ToCurrentUser().UserName).RequireAuthorization();
        app.MapPost(CookieSignInPath, async (TokenRequest request, UserSignIn signIn, HttpContext http) =>
        {
            var attempt = await signIn.SignInAsync(request.Username!, request.Password!, null, null, http.RequestAborted);
            await http.SignInAsync(KinerjaAuthentication.CookieScheme, attempt.User!.ToClaimsPrincipal(KinerjaAuthentication.CookieScheme));
        });

        await app.Services.ApplyKinerjaSchemaAsync(CancellationToken.None);
        await app.Services.SeedOrganizationsAsync(CancellationToken.None);
        await app.StartAsync();
        return new IdentityTestHost(app, contentRoot);
    }

    public Task<HttpResponseMessage> RequestTokenAsync(string username, string password) =>
        Client.PostAsJsonAsync("/api/auth/token", new { username, password });

    public async Task<TokenResponse> SignInAsync(string username, string password = "kinerja2025")
    {
        using var response = await RequestTokenAsync(username, password);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
