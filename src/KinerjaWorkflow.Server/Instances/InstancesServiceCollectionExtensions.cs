namespace KinerjaWorkflow.Server.Instances;

public static class InstancesServiceCollectionExtensions
{
    /// <summary>Running engine commands against stored instances, the instances API's service and the audit trail.</summary>
    public static IServiceCollection AddKinerjaInstances(this IServiceCollection services)
    {
        services.AddScoped<InstanceCommandRunner>();
        services.AddScoped<AuditTrail>();
        services.AddSingleton<KnownTrails>();
        services.AddSingleton<KnownStates>();
        services.AddScoped<CommandStatements>();
        services.AddScoped<CommandRows>();
        services.AddScoped<InstanceService>();
        return services;
    }
}
