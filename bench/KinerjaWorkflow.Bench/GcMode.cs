using System.Globalization;
using System.Text.Json;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The garbage collector the bench runs with, as the runtime reports it, and whether its settings are the service's:
/// the bench hosts the service in its own process, so it measures the service's GC only when both are built with the
/// same settings (bench/README.md, "GC mode").
/// </summary>
internal sealed record GcMode(string Description, string? DiffersFromService)
{
    /// <summary>The service's runtimeconfig, which the build copies beside the bench's.</summary>
    private const string ServiceRuntimeConfig = "KinerjaWorkflow.Server.runtimeconfig.json";

    private const string BenchRuntimeConfig = "KinerjaWorkflow.Bench.runtimeconfig.json";

    public static GcMode Current()
    {
        var variables = GC.GetConfigurationVariables();
        string Variable(string name) => variables.TryGetValue(name, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : "?";
        var server = Variable("ServerGC") == "True";
        var parts = new List<string>
        {
            server ? "server" : "workstation",
            Variable("ConcurrentGC") == "True" ? "concurrent" : "non-concurrent",
            $"{Variable("HeapCount")} heap(s)",
        };
        if (server)
        {
            parts.Add(Variable("GCDynamicAdaptationMode") == "1" ? "DATAS on" : "DATAS off");
        }

        parts.Add(string.Create(CultureInfo.InvariantCulture, $"gen0 budget at most {long.Parse(Variable("GCGen0MaxBudget"), CultureInfo.InvariantCulture) / (1 << 20)} MB"));
        if (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { } gen0Size)
        {
            parts.Add($"DOTNET_GCgen0size={gen0Size}");
        }

        var description = string.Join(", ", parts);
        var gcVariables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        var (service, bench) = (GcSettingsOf(ServiceRuntimeConfig), GcSettingsOf(BenchRuntimeConfig));
        string? differs = null;
        if (service is null || bench is null)
        {
            differs = $"{ServiceRuntimeConfig} or {BenchRuntimeConfig} was not found beside the bench";
        }
        else if (service != bench || gcVariables.Count > 0)
        {
            differs = $"the service is built with {(service.Length > 0 ? service : "the defaults")}, the bench with {(bench.Length > 0 ? bench : "the defaults")}"
                + (gcVariables.Count > 0 ? $", and {string.Join(", ", gcVariables)} set in the environment" : "");
        }

        return new GcMode(description, differs);
    }

    /// <summary>The System.GC settings of a runtimeconfig beside the bench, in a comparable text; null when it is not there.</summary>
    private static string? GcSettingsOf(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, fileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var config = JsonDocument.Parse(File.ReadAllText(path));
        return config.RootElement.TryGetProperty("runtimeOptions", out var options) && options.TryGetProperty("configProperties", out var properties)
            ? string.Join(", ", properties.EnumerateObject().Where(p => p.Name.StartsWith("System.GC.", StringComparison.Ordinal)).Select(p => $"{p.Name}={p.Value}").Order(StringComparer.Ordinal))
            : "";
    }
}
