using Hangfire;
using Hangfire.Dashboard;
using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KinerjaWorkflow.Server.Scheduling;

public static class HangfireHosting
{
    public const string DashboardPath = "/hangfire";

    /// <summary>
    /// Hangfire's dashboard at /hangfire for office admins, on the pages' sign-in cookie: anonymous visitors are sent
    /// to sign in, anyone else signed in gets a 403.
    /// </summary>
    public static WebApplication MapKinerjaScheduling(this WebApplication app)
    {
        app.UseWhen(
            http => http.Request.Path.StartsWithSegments(DashboardPath),
            branch => branch.Use(async (http, next) =>
            {
                var signedIn = await http.AuthenticateAsync(KinerjaAuthentication.CookieScheme);
                if (!signedIn.Succeeded)
                {
                    await http.ChallengeAsync(KinerjaAuthentication.CookieScheme);
                    return;
                }

                if (!IsAdmin(signedIn.Principal))
                {
                    http.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }

                http.User = signedIn.Principal;
                await next(http);
            }));
        app.UseHangfireDashboard(
            DashboardPath,
            new DashboardOptions
            {
                Authorization = [new AdminDashboardAuthorization()],
                AppPath = "/",
                DashboardTitle = "KinerjaWorkflow – jadwal",
                DisplayStorageConnectionString = false,
            },
            app.Services.GetRequiredService<JobStorage>());
        return app;
    }

    internal static bool IsAdmin(System.Security.Claims.ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && user.HasClaim(KinerjaClaims.Admin, "true");

    private sealed class AdminDashboardAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => IsAdmin(context.GetHttpContext().User);
    }
}

/// <summary>Ready when Hangfire's storage answers and at least one Hangfire server has sent a heartbeat lately.</summary>
internal sealed class HangfireHealthCheck(JobStorage storage) : IHealthCheck
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            // Hangfire stamps heartbeats with the machine's clock, not the service's (a moved Testing clock).
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var alive = servers.Count(s => s.Heartbeat is { } beat && now - beat < Heartbeat);
            var data = new Dictionary<string, object> { ["servers"] = servers.Count, ["alive"] = alive, ["storage"] = storage.GetType().Name };
            return Task.FromResult(alive > 0
                ? HealthCheckResult.Healthy($"Hangfire: {alive} server(s) alive", data)
                : HealthCheckResult.Unhealthy("Hangfire: no server has sent a heartbeat in the last minute", data: data));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire's storage does not answer", ex));
        }
    }
}
