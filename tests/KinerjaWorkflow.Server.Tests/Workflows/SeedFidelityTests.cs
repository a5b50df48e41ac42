using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>
/// The points where a seed SOP's own words decide the model (issue 13, "Faithful to the seeds"); each office's
/// workflows/&lt;office&gt;/README.md quotes the words.
/// </summary>
public sealed class SeedFidelityTests
{
    private static readonly string WorkflowsPath = Path.Combine(RepositoryRoot.Path, "workflows");

    [Fact]
    public void Bps_step_8_does_its_revision_within_the_review_and_goes_on_to_step_9()
    {
        var model = Model("bps-bengkulu");

        var step8 = Step(model, 8);
        step8.Outcomes.Should().BeEmpty("\"revisi / perbaikan dilaksanakan saat reviu atas FRA oleh tim/bagian\"");
        Successors(step8).Should().Equal("Langkah_09");
        Predecessors(Step(model, 3)).Should().Equal("Laporan_PerTim");
    }

    [Fact]
    public void Bakesbangpol_steps_10_11_and_12_run_in_a_straight_line()
    {
        var model = Model("bakesbangpol");

        Step(model, 10).Outcomes.Should().BeEmpty();
        Successors(Step(model, 10)).Should().Equal("Langkah_11");
        Successors(Step(model, 11)).Should().Equal("Langkah_12");
        Predecessors(Step(model, 7)).Should().Equal("Langkah_06");
        model.Nodes.Values.OfType<Gateway>().Should().BeEmpty("the flowchart has no decision");
    }

    [Fact]
    public void Bakesbangpol_step_3_has_the_draf_in_its_output()
    {
        var step3 = Step(Model("bakesbangpol"), 3).Step!;

        step3.Kelengkapan.Should().Be("Form Pengumpulan Data Kinerja");
        step3.Output.Should().Be("Draf masukan dan arahan");
    }

    [Fact]
    public void Bakesbangpol_step_5_is_the_meeting_of_the_three_marked_roles()
    {
        var step5 = Step(Model("bakesbangpol"), 5);

        step5.Name.Should().StartWith("Melaksanakan");
        step5.Roles.Should().Equal("Sekretaris", "Kepala Badan", "Perencana / Kasubbag Perencanaan");
    }

    [Fact]
    public void Bina_marga_has_the_fifth_pelaksana_perencanaan_who_archives_at_step_11()
    {
        var model = Model("dinas-bina-marga-sumbar");
        var organization = Organization("dinas-bina-marga-sumbar");

        model.Lanes.Select(l => l.Role).Should().Equal("Kepala Dinas", "Sekretaris", "Bidang", "Tim SAKIP", "Perencanaan");
        Step(model, 11).Roles.Should().Equal("Perencanaan");
        organization.SupervisorOf("Perencanaan").Should().Be("Sekretaris");
        organization.Users.Should().Contain(u => u.Roles.Contains("Perencanaan"));
    }

    [Fact]
    public void Camat_step_9_is_the_kasi_as_the_twin_bpkpad_sop_marks_its_kepala_seksi()
    {
        Step(Model("camat-batang-kapas"), 9).Roles.Should().Equal("Kasi");
        Step(Model("bpkpad-balangan"), 9).Roles.Should().Equal("Kepala Seksi");
    }

    [Theory]
    [InlineData("bakesbangpol", "Anggota Tim / Bidang", "Kepala Badan")]
    [InlineData("dinas-bina-marga-sumbar", "Bidang", "Kepala Dinas")]
    public void A_bidang_answers_to_the_head_of_office(string office, string bidang, string head)
    {
        var organization = Organization(office);

        organization.SupervisorOf(bidang).Should().Be(head);
        organization.HeadRole.Should().Be(head);
    }

    private static ProcessModel Model(string office)
    {
        var file = Directory.EnumerateFiles(Path.Combine(WorkflowsPath, office), "*.bpmn").Single();
        var compiled = DefinitionCompiler.Compile(File.ReadAllText(file), new ValidationOptions());
        compiled.Errors.Should().BeEmpty();
        return compiled.Model!;
    }

    private static Organization Organization(string office) =>
        OrganizationLoader.LoadFile(Path.Combine(WorkflowsPath, office, OrganizationLoader.FileName));

    private static HumanTask Step(ProcessModel model, int number) => model.HumanTasks.Single(t => t.Step?.Number == number);

    private static IEnumerable<string> Successors(FlowNode node) => node.Outgoing.Select(f => f.TargetId);

    private static IEnumerable<string> Predecessors(FlowNode node) => node.Incoming.Select(f => f.SourceId);
}
