using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using KinerjaWorkflow.Server.Access;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Dashboard;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Outbound;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Supervision;
using KinerjaWorkflow.Server.Tasks;
using KinerjaWorkflow.Server.Telemetry;
using KinerjaWorkflow.Server.Users;
using KinerjaWorkflow.Server.Web;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>How the host is put together: services, pipeline, and the start-up work.</summary>
public static class ServerComposition
{
    public const string TestingEnvironment = "Testing";

    public static IServiceCollection AddKinerjaServer(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsEnvironment(TestingEnvironment))
        {
            services.AddSingleton(new ManualClock(TimeProvider.System));
            services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<ManualClock>());
            services.AddSingleton<TestingClock>();
            services.AddHostedService(sp => sp.GetRequiredService<TestingClock>());
        }
        else
        {
            services.AddSingleton(TimeProvider.System);
        }

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });

        // Unreadable bodies and parameters (wrong JSON types, "abc" for a number) become exceptions, which the
        // exception handler answers as problem details in every environment, not only in Development.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Text people typed (comments, reasons, names) goes out with <, >, &, ' and " escaped, so a JSON answer
        // is inert even where something mistakes it for HTML; all other characters stay readable.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
        services.AddKinerjaTelemetry(configuration);
        services.AddKinerjaProductionSafety(configuration, environment);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = StatusCodeAnswers.Translate);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(OpenApiDocumentation.Configure);
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        services.AddKinerjaPersistence(configuration, environment);
        services.AddKinerjaOutbound(configuration);
        services.AddKinerjaIdentity(configuration, environment);

        services.AddKinerjaDefinitions(configuration);
        services.AddKinerjaOffices();
        services.AddKinerjaTaskAccess();
        services.AddKinerjaAttachments(configuration);
        services.AddKinerjaInstances();
        services.AddKinerjaTasks();
        services.AddKinerjaNotifications(configuration);
        services.AddKinerjaSupervision();
        services.AddKinerjaUsers();

        services.AddKinerjaScheduling(configuration);
        services.AddKinerjaDashboard();
        services.AddKinerjaBackup(configuration);
        services.AddKinerjaWeb(configuration);
        return services;
    }

    public static WebApplication UseKinerjaPipeline(this WebApplication app)
    {
        app.UseKinerjaProductionSafety();
        app.UseKinerjaRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeAnswers.WriteAsync);
        app.UseMiddleware<RequestSizeLimitMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<UsersAccountMiddleware>();
        app.UseAuthorization();
        app.MapKinerjaScheduling();

        app.MapKinerjaApiDocs();
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });

        app.MapIdentityEndpoints();
        app.MapDefinitionEndpoints();
        app.MapSopImportEndpoints();
        app.MapInstanceEndpoints();
        app.MapTaskEndpoints();
        app.MapKinerjaAttachments();
        app.MapSupervisionEndpoints();
        app.MapUsersEndpoints();
        app.MapNotificationEndpoints();
        app.MapCalendarEndpoints();
        app.MapBackupEndpoints();
        app.MapKinerjaWeb();
        if (app.Environment.IsEnvironment(TestingEnvironment))
        {
            app.MapTestingEndpoints();
        }

        return app;
    }

    /// <summary>The lock against a restore, schema, offices and users, then every workflow in workflows/: all before the first request.</summary>
    public static async Task PrepareKinerjaAsync(this WebApplication app, CancellationToken ct = default)
    {
        await app.Services.GetRequiredService<RunningServiceLock>().HoldAsync(ct);
        await app.Services.ApplyKinerjaSchemaAsync(ct);
        if (app.Environment.IsEnvironment(TestingEnvironment))
        {
            await app.Services.GetRequiredService<TestingClock>().RestoreAsync(ct);
        }

        await app.Services.SeedOrganizationsAsync(ct);
        await app.Services.SeedCalendarsAsync(ct);
        var workflowsPath = WorkflowsFolder.Resolve(app.Configuration, app.Environment);
        if (workflowsPath is null)
        {
            return;
        }

        using var scope = app.Services.CreateScope();
        var deployed = await scope.ServiceProvider.GetRequiredService<WorkflowDeployer>().DeployAllAsync(workflowsPath, ct);
        app.Logger.LogInformation("Deployed {Count} workflow file(s) from {WorkflowsPath}", deployed, workflowsPath);
    }
}
