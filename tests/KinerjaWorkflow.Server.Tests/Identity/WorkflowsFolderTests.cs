using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Tests.Persistence;
using Microsoft.Extensions.Configuration;

namespace KinerjaWorkflow.Server.Tests.Identity;

public sealed class WorkflowsFolderTests
{
    [Fact]
    public void Finds_the_workflows_folder_above_the_content_root()
    {
        using var root = new TempFolder();
        root.Write("workflows/dinas-bmcktr-sumbar/organization.yaml", OrganizationLoaderTests.Sumbar);
        var contentRoot = root.Write("src/Server/placeholder.txt", "");
        var environment = TestDatabase.Environment(Path.GetDirectoryName(contentRoot)!, "Testing");

        var found = WorkflowsFolder.Resolve(new ConfigurationBuilder().Build(), environment);

        found.Should().Be(Path.Combine(root.Path, "workflows"));
    }

    [Fact]
    public void A_configured_workflows_path_is_relative_to_the_content_root()
    {
        using var root = new TempFolder();
        root.Write("sops/dinas-uji/organization.yaml", "");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WorkflowsFolder.ConfigurationKey] = "sops" })
            .Build();

        WorkflowsFolder.Resolve(configuration, TestDatabase.Environment(root.Path, "Testing")).Should().Be(Path.Combine(root.Path, "sops"));
    }

    [Fact]
    public void A_configured_workflows_path_that_does_not_exist_is_an_error()
    {
        using var root = new TempFolder();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WorkflowsFolder.ConfigurationKey] = "missing" })
            .Build();

        var act = () => WorkflowsFolder.Resolve(configuration, TestDatabase.Environment(root.Path, "Testing"));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("Workflows:Path is 'missing'*does not exist*");
    }
}
