using System.Text.Encodings.Web;
using System.Text.Unicode;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Supervision;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>The task inbox around the tasks API: output documents, the supervisor's view, and user administration.</summary>
public static class InboxComposition
{
    public static IServiceCollection AddKinerjaInbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<TaskGate>();

        services.AddOptions<AttachmentOptions>()
            .Bind(configuration.GetSection(AttachmentOptions.SectionName))
            .Validate(o => o.MaxBytes > 0, "Attachments:MaxBytes must be positive.")
            .Validate<DatabaseSettings, IHostEnvironment>((o, database, environment) => o.NamesFolderForEveryNode(database, environment), AttachmentOptions.SharedFolderRequired)
            .ValidateOnStart();
        services.AddSingleton(sp => new AttachmentStore(
            sp.GetRequiredService<IOptions<AttachmentOptions>>().Value.ResolveFolder(
                sp.GetRequiredService<DatabaseSettings>(), sp.GetRequiredService<IHostEnvironment>()),
            sp.GetRequiredService<ILogger<AttachmentStore>>()));
        services.AddScoped<AttachmentService>();

        services.AddScoped<SupervisionService>();

        services.AddMemoryCache();
        services.AddSingleton<UsersAccountCheck>();
        services.AddScoped<UsersAdministration>();

        // Unreadable bodies and parameters (wrong JSON types, "abc" for a number) become exceptions, which the
        // exception handler answers as problem details in every environment, not only in Development.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Text people typed (comments, reasons, names) goes out with <, >, &, ' and " escaped, so a JSON answer
        // is inert even where something mistakes it for HTML; all other characters stay readable.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
        return services;
    }

    public static IEndpointRouteBuilder MapKinerjaInbox(this IEndpointRouteBuilder app)
    {
        app.MapAttachmentEndpoints(app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes);
        app.MapSupervisionEndpoints();
        app.MapUsersEndpoints();
        return app;
    }
}
