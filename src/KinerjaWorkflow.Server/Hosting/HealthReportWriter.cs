using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>/health/ready as JSON: the overall status and each check's status and description, so an operator sees why it is not Healthy.</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        });
    }
}
