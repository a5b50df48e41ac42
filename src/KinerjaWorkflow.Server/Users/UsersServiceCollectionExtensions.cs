namespace KinerjaWorkflow.Server.Users;

public static class UsersServiceCollectionExtensions
{
    /// <summary>User administration for an office's admins.</summary>
    public static IServiceCollection AddKinerjaUsers(this IServiceCollection services)
    {
        services.AddScoped<UsersAdministration>();
        return services;
    }
}
