using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Import;
using KinerjaWorkflow.Engine.Tests.Time;

namespace KinerjaWorkflow.Engine.Tests.Import;

/// <summary>
/// Each seed SOP, written as the table an office would type or paste, imports to a definition equivalent to
/// the one in workflows/: the same steps, roles per step, Waktu and flow.
/// </summary>
public class SopFixtureRoundTripTests
{
    public static TheoryData<string, string> Offices => new()
    {
        { "bps-bengkulu.tsv", "bps-bengkulu/pengumpulan-data-capaian-kinerja.bpmn" },
        { "bakesbangpol.tsv", "bakesbangpol/mekanisme-pengumpulan-data-kinerja.bpmn" },
        { "dinas-bina-marga-sumbar.csv", "dinas-bina-marga-sumbar/pengumpulan-data-kinerja.bpmn" },
        { "bpkpad-balangan.csv", "bpkpad-balangan/mekanisme-pengumpulan-data-kinerja.bpmn" },
        { "camat-batang-kapas.csv", "camat-batang-kapas/pengumpulan-data-kinerja.bpmn" },
    };

    [Theory]
    [MemberData(nameof(Offices))]
    public void The_table_imports_to_the_definition_in_workflows(string fixture, string workflow)
    {
        var written = Compile(File.ReadAllText(Path.Combine(TestCalendars.RepositoryRoot, "workflows", workflow)), null);
        var roles = written.Model!.Roles;

        var imported = Compile(SopImportFixtures.Import(fixture, roles), roles);

        StepGraph.Of(imported.Model!).Lines.Should().Equal(StepGraph.Of(written.Model!).Lines);
    }

    [Theory]
    [MemberData(nameof(Offices))]
    public void The_imported_definition_passes_deploy_validation(string fixture, string workflow)
    {
        var roles = Compile(File.ReadAllText(Path.Combine(TestCalendars.RepositoryRoot, "workflows", workflow)), null).Model!.Roles;

        var imported = DefinitionCompiler.Compile(SopImportFixtures.Import(fixture, roles), new ValidationOptions { KnownRoles = roles });

        imported.Errors.Should().BeEmpty();
    }

    private static CompiledDefinition Compile(string xml, IReadOnlySet<string>? roles)
    {
        var compiled = DefinitionCompiler.Compile(xml, new ValidationOptions { KnownRoles = roles });
        compiled.Errors.Should().BeEmpty();
        return compiled;
    }
}
