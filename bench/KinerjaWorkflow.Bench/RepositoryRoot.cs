namespace KinerjaWorkflow.Bench;

/// <summary>The folder holding KinerjaWorkflow.sln, found upwards from the build output or the working folder.</summary>
internal static class RepositoryRoot
{
    private const string SolutionFile = "KinerjaWorkflow.sln";

    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException($"{SolutionFile} not found above {AppContext.BaseDirectory} or the working folder.");
    }
}
