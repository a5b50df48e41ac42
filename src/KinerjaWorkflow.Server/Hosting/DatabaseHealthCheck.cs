using KinerjaWorkflow.Server.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KinerjaWorkflow.Server.Hosting;

internal sealed class DatabaseHealthCheck(KinerjaDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Basis data dapat dihubungi.")
            : HealthCheckResult.Unhealthy("Basis data tidak dapat dihubungi.");
}
