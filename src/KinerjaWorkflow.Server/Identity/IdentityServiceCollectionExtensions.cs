using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Authentication (bearer tokens and a sign-in cookie), the "admin" policy, sign-in with lockout, token
    /// issuing, the check that a signed-in account is still active, and a data protection key ring kept in the database. Needs
    /// <c>AddKinerjaPersistence</c>.
    /// </summary>
    public static IServiceCollection AddKinerjaIdentity(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KinerjaIdentityOptions>()
            .Bind(configuration.GetSection(KinerjaIdentityOptions.SectionName))
            .Validate(o => o.TokenLifetime > TimeSpan.Zero, "Identity:TokenLifetime must be positive.")
            .Validate(o => o.MaxFailedSignIns > 0, "Identity:MaxFailedSignIns must be positive.")
            .Validate(o => o.LockoutDuration > TimeSpan.Zero, "Identity:LockoutDuration must be positive.")
            .Validate(o => o.MaxLockoutDuration >= o.LockoutDuration, "Identity:MaxLockoutDuration must be at least Identity:LockoutDuration.")
            .Validate(o => o.SignInsPerAddress > 0 && o.SignInsPerUser > 0, "Identity:SignInsPerAddress and Identity:SignInsPerUser must be positive.")
            .Validate(o => o.SignInWindow > TimeSpan.Zero, "Identity:SignInWindow must be positive.")
            .Validate(o => o.KnownDeviceLifetime > TimeSpan.Zero, "Identity:KnownDeviceLifetime must be positive.")
            .Validate(o => o.RefusedSignInAnswerTime >= TimeSpan.Zero, "Identity:RefusedSignInAnswerTime must not be negative.")
            .Validate(o => o.SignInBurstPerAddress > 0 && o.SignInBurstWindow > TimeSpan.Zero, "Identity:SignInBurstPerAddress and Identity:SignInBurstWindow must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        services.TryAddScoped<UserSignIn>();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<KnownDevices>();
        services.AddMemoryCache();
        services.TryAddSingleton<UserSessions>();
        services.TryAddSingleton<UsersAccountCheck>();
        services.TryAddSingleton<TokenIssuer>();

        services.AddDataProtection().SetApplicationName("KinerjaWorkflow");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDbContextFactory<KinerjaDbContext>>((o, contexts) => o.XmlRepository = new DatabaseXmlRepository(contexts));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = KinerjaAuthentication.DefaultScheme;
                o.DefaultSignInScheme = KinerjaAuthentication.CookieScheme;
                o.DefaultSignOutScheme = KinerjaAuthentication.CookieScheme;
            })
            .AddPolicyScheme(KinerjaAuthentication.DefaultScheme, "Kinerja", o => o.ForwardDefaultSelector = SelectScheme)
            .AddBearerToken(KinerjaAuthentication.BearerScheme)
            .AddCookie(KinerjaAuthentication.CookieScheme, o =>
            {
                o.Cookie.Name = KinerjaAuthentication.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = environment.IsDevelopment() || environment.IsEnvironment("Testing")
                    ? CookieSecurePolicy.SameAsRequest
                    : CookieSecurePolicy.Always;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => RefuseApiRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => RefuseApiRedirect(context, StatusCodes.Status403Forbidden);
            });
        services.AddOptions<BearerTokenOptions>(KinerjaAuthentication.BearerScheme)
            .Configure<IOptions<KinerjaIdentityOptions>>((o, identity) => o.BearerTokenExpiration = identity.Value.TokenLifetime);
        services.AddOptions<CookieAuthenticationOptions>(KinerjaAuthentication.CookieScheme)
            .Configure<IOptions<KinerjaIdentityOptions>>((o, identity) => o.ExpireTimeSpan = identity.Value.TokenLifetime);

        services.AddAuthorizationBuilder()
            .AddPolicy(KinerjaPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireClaim(KinerjaClaims.Admin, "true"));
        return services;
    }

    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return KinerjaAuthentication.BearerScheme;
        }

        if (context.Request.Cookies.ContainsKey(KinerjaAuthentication.CookieName))
        {
            return KinerjaAuthentication.CookieScheme;
        }

        return IsApi(context.Request) ? KinerjaAuthentication.BearerScheme : KinerjaAuthentication.CookieScheme;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task RefuseApiRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int statusCode)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = statusCode;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
