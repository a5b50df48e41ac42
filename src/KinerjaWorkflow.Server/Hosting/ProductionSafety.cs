using System.Net;
using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>Who may read the API documentation (Swagger UI and the OpenAPI document): <c>Hosting:ApiDocs</c>.</summary>
public enum ApiDocsAccess
{
    /// <summary>Anyone; the default in Development and Testing.</summary>
    Public,

    /// <summary>Signed-in admins only; the default elsewhere.</summary>
    Admins,

    /// <summary>Not served at all.</summary>
    Off,
}

/// <summary>
/// The "Hosting" section's safety settings. Outside Development and Testing the defaults are the safe ones:
/// HTTPS with HSTS, client addresses and scheme taken from the reverse proxy of deploy/ only, and the API
/// documentation for admins.
/// </summary>
public sealed class HostingSafetyOptions
{
    public const string SectionName = "Hosting";

    public bool RequireHttps { get; set; }

    /// <summary>The port HTTPS redirects go to, the proxy's.</summary>
    public int HttpsPort { get; set; } = 443;

    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; loopback is always one.</summary>
    public List<string> KnownProxies { get; set; } = [];

    public ApiDocsAccess ApiDocs { get; set; }

    public static HostingSafetyOptions From(IConfiguration configuration, IHostEnvironment environment)
    {
        var relaxed = environment.IsDevelopment() || environment.IsEnvironment(ServerComposition.TestingEnvironment);
        var options = new HostingSafetyOptions
        {
            RequireHttps = !relaxed,
            ApiDocs = relaxed ? ApiDocsAccess.Public : ApiDocsAccess.Admins,
        };
        configuration.GetSection(SectionName).Bind(options);
        return options;
    }
}

public static class ProductionSafety
{
    /// <summary>Configuration is read when first needed, so settings a test host adds late still count.</summary>
    public static IServiceCollection AddKinerjaProductionSafety(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(_ => HostingSafetyOptions.From(configuration, environment));
        services.Configure<AntiforgeryOptions>(o => o.SuppressXFrameOptionsHeader = true);
        services.AddOptions<ForwardedHeadersOptions>().Configure<HostingSafetyOptions>((o, safety) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in safety.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddOptions<HstsOptions>().Configure<HostingSafetyOptions>((o, safety) =>
        {
            o.MaxAge = safety.HstsMaxAge;
            o.IncludeSubDomains = false;
        });
        services.AddOptions<HttpsRedirectionOptions>().Configure<HostingSafetyOptions>((o, safety) => o.HttpsPort = safety.HttpsPort);
        return services;
    }

    /// <summary>First in the pipeline: the proxy's client address and scheme, then HTTPS, then the security headers.</summary>
    public static WebApplication UseKinerjaProductionSafety(this WebApplication app)
    {
        var safety = app.Services.GetRequiredService<HostingSafetyOptions>();
        app.UseForwardedHeaders();
        if (safety.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }

    /// <summary>The OpenAPI document and Swagger UI, as <see cref="HostingSafetyOptions.ApiDocs"/> says; after authentication.</summary>
    public static WebApplication MapKinerjaApiDocs(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<HostingSafetyOptions>().ApiDocs;
        if (access == ApiDocsAccess.Off)
        {
            return app;
        }

        var document = app.MapOpenApi();
        if (access == ApiDocsAccess.Admins)
        {
            document.RequireAuthorization(KinerjaPolicies.Admin);
            app.UseWhen(c => c.Request.Path.StartsWithSegments("/swagger"), swagger => swagger.Use(async (context, next) =>
            {
                if (context.User.FindCurrentUser() is null)
                {
                    await context.ChallengeAsync();
                }
                else if (!context.User.HasClaim(KinerjaClaims.Admin, "true"))
                {
                    await context.ForbidAsync();
                }
                else
                {
                    await next(context);
                }
            }));
        }

        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "KinerjaWorkflow API");
            o.RoutePrefix = "swagger";
        });
        return app;
    }
}
