using System.Net;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Outbound;

public static class OutboundServiceCollectionExtensions
{
    /// <summary>The operator's outbound rules (<see cref="OutboundOptions"/>) and the guard that enforces them.</summary>
    public static IServiceCollection AddKinerjaOutbound(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutboundOptions>()
            .Bind(configuration.GetSection(OutboundOptions.SectionName))
            .Validate(o => o.MaxResponseBytes > 0, "Outbound:MaxResponseBytes must be positive.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Outbound:Timeout must be positive.")
            .Validate(o => o.MaxRedirects >= 0, "Outbound:MaxRedirects must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<HostResolver>(Dns.GetHostAddressesAsync);
        services.AddSingleton<OutboundGuard>();
        return services;
    }

    /// <summary>
    /// A named client for <see cref="IHttpClientFactory"/> that calls only what <see cref="OutboundGuard"/>
    /// allows, with the outbound timeout and answer cap; <paramref name="configure"/> may shorten the timeout.
    /// </summary>
    public static IHttpClientBuilder AddOutboundHttpClient(this IServiceCollection services, string name, Action<HttpClient>? configure = null) =>
        services.AddHttpClient(name)
            .ConfigureHttpClient((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<OutboundOptions>>().Value;
                client.Timeout = options.Timeout;
                client.MaxResponseContentBufferSize = options.MaxResponseBytes;
                configure?.Invoke(client);
            })
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<OutboundGuard>().CreatePrimaryHandler())
            .AddHttpMessageHandler(provider => new OutboundPolicyHandler(provider.GetRequiredService<OutboundGuard>()));
}
