using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>The five SOPs in workflows/ are the acceptance material: each must compile against its office.</summary>
public sealed class SeedWorkflowTests
{
    private static readonly string WorkflowsPath = Path.Combine(RepositoryRoot.Path, "workflows");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(WorkflowsPath, "*.bpmn", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(WorkflowsPath, file));
        }

        return data;
    }

    [Fact]
    public void There_is_one_sop_for_each_of_the_five_offices()
    {
        Directory.EnumerateDirectories(WorkflowsPath).Where(d => Directory.EnumerateFiles(d, "*.bpmn").Any()).Select(Path.GetFileName).Should().BeEquivalentTo(
            "bps-bengkulu", "bakesbangpol", "dinas-bina-marga-sumbar", "bpkpad-balangan", "camat-batang-kapas");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_sop_compiles_without_errors_against_its_office_roles(string file)
    {
        var office = OrganizationLoader.LoadFile(Path.Combine(WorkflowsPath, Path.GetDirectoryName(file)!, OrganizationLoader.FileName));

        var compiled = DefinitionCompiler.Compile(
            File.ReadAllText(Path.Combine(WorkflowsPath, file)),
            new ValidationOptions { KnownRoles = office.Roles.Select(r => r.Name).ToHashSet(StringComparer.Ordinal) });

        compiled.Errors.Should().BeEmpty();
        compiled.Model!.HumanTasks.Should().OnlyContain(t => t.Step != null && t.Step.Number != null, "every step carries its SOP number");
    }

    [Theory]
    [InlineData("camat-batang-kapas", new[] { "Langkah_06", "Langkah_07", "Langkah_08", "Langkah_09" })]
    [InlineData("bakesbangpol", new[] { "Langkah_08", "Langkah_09" })]
    [InlineData("dinas-bina-marga-sumbar", new string[0])]
    [InlineData("bpkpad-balangan", new string[0])]
    [InlineData("bps-bengkulu", new string[0])]
    public void Warnings_are_only_for_steps_whose_waktu_the_sop_really_lacks(string office, string[] stepsWithoutWaktu)
    {
        var file = Directory.EnumerateFiles(Path.Combine(WorkflowsPath, office), "*.bpmn").Single();
        var compiled = DefinitionCompiler.Compile(File.ReadAllText(file), new ValidationOptions());

        compiled.Warnings.Select(w => w.ElementId).Should().BeEquivalentTo(stepsWithoutWaktu);
    }
}
