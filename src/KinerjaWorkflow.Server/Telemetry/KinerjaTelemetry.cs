using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KinerjaWorkflow.Server.Telemetry;

/// <summary>The "OpenTelemetry" section: where traces and metrics go. Without an endpoint nothing is exported.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>The OTLP collector, e.g. http://otel-collector:4317 (gRPC) or http://otel-collector:4318 (HTTP).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>grpc (the default) or http/protobuf.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>service.name on every span and metric; one per node when several run.</summary>
    public string ServiceName { get; set; } = "KinerjaWorkflow";
}

public static class KinerjaTelemetry
{
    /// <summary>
    /// The service's meters always (dotnet-counters can read them); OpenTelemetry traces and metrics for ASP.NET
    /// Core, HttpClient, EF Core and those meters, exported over OTLP, only when OpenTelemetry:Endpoint is set.
    /// </summary>
    public static IServiceCollection AddKinerjaTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<KinerjaMetrics>();
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Endpoint is null)
        {
            return services;
        }

        var protocol = options.Protocol.Trim().ToLowerInvariant() switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InvalidOperationException(
                $"OpenTelemetry:Protocol '{options.Protocol}' is not supported; use 'grpc' (the default) or 'http/protobuf'."),
        };
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter(otlp => Export(otlp, options, protocol, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(KinerjaMetrics.MeterName, "Microsoft.EntityFrameworkCore")
                .AddOtlpExporter(otlp => Export(otlp, options, protocol, "v1/metrics")));
        return services;
    }

    /// <summary>Over HTTP each signal has its own path under the collector's address; gRPC takes the address as is.</summary>
    private static void Export(OtlpExporterOptions otlp, TelemetryOptions options, OtlpExportProtocol protocol, string httpPath)
    {
        otlp.Protocol = protocol;
        otlp.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(options.Endpoint!, httpPath)
            : options.Endpoint!;
    }
}
