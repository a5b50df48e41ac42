using KinerjaWorkflow.Engine.Bpmn;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>Settings for deploying definitions (section "Definitions").</summary>
public sealed class DefinitionOptions
{
    public const string SectionName = "Definitions";

    /// <summary>The least time between two firings of a timer start cycle; a shorter cycle is refused at deploy.</summary>
    public TimeSpan MinimumStartCycle { get; set; } = ValidationOptions.DefaultMinimumStartCycle;
}

public static class DefinitionsComposition
{
    public static IServiceCollection AddKinerjaDefinitions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DefinitionOptions>()
            .Bind(configuration.GetSection(DefinitionOptions.SectionName))
            .Validate(o => o.MinimumStartCycle > TimeSpan.Zero, "Definitions:MinimumStartCycle must be more than zero.")
            .ValidateOnStart();
        services.AddSingleton<DefinitionCatalog>();
        services.AddScoped<DefinitionService>();
        services.AddScoped<SopTableImporter>();
        services.AddScoped<DefinitionQueries>();
        services.AddScoped<WorkflowDeployer>();
        return services;
    }
}
