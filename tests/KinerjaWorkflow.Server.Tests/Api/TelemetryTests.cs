using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed class TelemetryTests
{
    [Fact]
    public void Without_an_endpoint_nothing_is_exported_but_the_meters_exist()
    {
        using var services = Services(new Dictionary<string, string?>());

        services.GetService<TracerProvider>().Should().BeNull();
        services.GetService<MeterProvider>().Should().BeNull();
        services.GetRequiredService<KinerjaMetrics>().Meter.Name.Should().Be(KinerjaMetrics.MeterName);
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public void With_an_endpoint_traces_and_metrics_are_exported(string protocol)
    {
        using var services = Services(new Dictionary<string, string?>
        {
            ["OpenTelemetry:Endpoint"] = "http://127.0.0.1:4317",
            ["OpenTelemetry:Protocol"] = protocol,
        });

        services.GetService<TracerProvider>().Should().NotBeNull();
        services.GetService<MeterProvider>().Should().NotBeNull();
    }

    [Fact]
    public void An_unknown_protocol_is_refused_with_the_ones_that_work()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenTelemetry:Endpoint"] = "http://127.0.0.1:4317",
            ["OpenTelemetry:Protocol"] = "zipkin",
        }).Build();

        var register = () => new ServiceCollection().AddKinerjaTelemetry(configuration);

        register.Should().Throw<InvalidOperationException>().WithMessage("*'zipkin'*grpc*http/protobuf*");
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKinerjaTelemetry(configuration);
        return services.BuildServiceProvider();
    }
}
