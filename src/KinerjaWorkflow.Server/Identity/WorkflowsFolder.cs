namespace KinerjaWorkflow.Server.Identity;

/// <summary>Where the workflows/ folder (organization files, BPMN, calendars) is.</summary>
public static class WorkflowsFolder
{
    public const string ConfigurationKey = "Workflows:Path";

    /// <summary>
    /// <c>Workflows:Path</c> when set (relative to the content root), which must exist. Otherwise the first
    /// <c>workflows</c> folder found from the content root upwards, so running from the repository root, from
    /// the project folder or from a test's bin folder all find the repository's workflows; null when there is none.
    /// </summary>
    public static string? Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(configured, environment.ContentRootPath);
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"{ConfigurationKey} is '{configured}', but the folder {path} does not exist.");
        }

        for (var folder = new DirectoryInfo(environment.ContentRootPath); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "workflows");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
