using KinerjaWorkflow.Server.Persistence;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Attachments;

public static class AttachmentsServiceCollectionExtensions
{
    /// <summary>A task's output documents: the Attachments section, the content-addressed store and the service.</summary>
    public static IServiceCollection AddKinerjaAttachments(this IServiceCollection services, IConfiguration configuration)
    {
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
        return services;
    }

    public static IEndpointRouteBuilder MapKinerjaAttachments(this IEndpointRouteBuilder app) =>
        app.MapAttachmentEndpoints(app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes);
}
