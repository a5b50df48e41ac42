using KinerjaWorkflow.Server.Identity;
using Serilog;
using Serilog.Formatting.Json;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>
/// Serilog for the host: levels from the "Serilog" section, the console for a person watching, and a daily JSON
/// file at <c>Logs:Path</c> for tools. Each host builds its own logger (no static Log.Logger), so several hosts in
/// one process (the tests) never write into each other's files.
/// </summary>
public static class KinerjaLogging
{
    public const string DefaultPath = "data/logs/kinerja-.log";

    public static WebApplicationBuilder AddKinerjaLogging(this WebApplicationBuilder builder)
    {
        var logPath = LogPath(builder.Configuration, builder.Environment);
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(
                new JsonFormatter(renderMessage: true),
                logPath,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14));
        return builder;
    }

    /// <summary>One line per request with its route, status, time taken and the signed-in user.</summary>
    public static WebApplication UseKinerjaRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} ({Route}) by {User} answered {StatusCode} in {Elapsed:0.0} ms";
            o.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("Route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "-");
                diagnostics.Set("User", http.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : "-");
                if (http.User.FindFirst(KinerjaClaims.OfficeId)?.Value is { } office)
                {
                    diagnostics.Set("Office", office);
                }
            };
        });
        return app;
    }

    /// <summary>
    /// <c>Logs:Path</c>, relative to the content root unless rooted. Serilog puts the date before the extension
    /// (kinerja-20251006.log). Two services on one machine need a path each: a shared file interleaves them.
    /// </summary>
    public static string LogPath(IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration["Logs:Path"] ?? DefaultPath;
        return Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path);
    }
}
