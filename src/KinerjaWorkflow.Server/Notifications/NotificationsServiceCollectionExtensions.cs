using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Outbound;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// In-app notifications, the sender behind <see cref="INotificationSender"/>, the outbox's deliveries on
    /// the schedule with their email (Smtp section, off by default) and webhook channels, and the live stream's
    /// broadcaster with its relay between the nodes on PostgreSQL.
    /// </summary>
    public static IServiceCollection AddKinerjaNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection(NotificationOptions.SectionName))
            .ValidateOnStart();
        services.AddOptions<SmtpOptions>()
            .Bind(configuration.GetSection(SmtpOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();

        services.AddScoped<NotificationService>();
        services.AddScoped<IRoleNotifier>(sp => sp.GetRequiredService<NotificationService>());
        services.AddScoped<INotificationSender, NotificationSender>();
        services.AddScoped<HandoverNotices>();
        services.AddSingleton<LiveNotifications>();
        services.AddSingleton<IUserStreams>(sp => sp.GetRequiredService<LiveNotifications>());
        services.AddHostedService<PostgresLiveRelay>();
        services.AddSingleton<ICommittedCommandListener>(sp => sp.GetRequiredService<LiveNotifications>());
        services.AddSingleton<IScheduledItemRearm, DeliveryRearm>();
        services.AddScoped<IDeliveryChannel, EmailChannel>();
        services.AddScoped<IDeliveryChannel, WebhookChannel>();
        services.AddOutboundHttpClient(WebhookChannel.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddScoped<IScheduledItemPerformer, NotificationDeliveries>();
        return services;
    }

    private sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
    {
        public ValidateOptionsResult Validate(string? name, SmtpOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }

    private sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
    {
        public ValidateOptionsResult Validate(string? name, NotificationOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
