using KinerjaWorkflow.Engine.Bpmn;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>A split that finds no flow to take leaves the instance stuck, so the validator refuses one that can.</summary>
public class BpmnValidatorGatewayTests
{
    private const string SplitWithoutDefault = "Percabangan eksklusif \"G\" bercabang ke 2 alur yang semuanya berkondisi tanpa alur default: bila tidak satu pun kondisi terpenuhi, proses berhenti di sini. Tambahkan alur default atau buat kondisinya mencakup semua kemungkinan.";

    private static List<DefinitionProblem> Errors(string xml) =>
        Validate(xml).Where(p => p.Severity == ProblemSeverity.Error).ToList();

    /// <summary>Start, a gateway splitting on two conditions to two end events.</summary>
    private static string Split(string first, string second, string gateway = "exclusiveGateway") =>
        Process(Start() + $"""<bpmn:{gateway} id="G" />""" + End("End_1") + End("End_2")
            + Flow("Start", "G") + Flow("G", "End_1", first) + Flow("G", "End_2", second));

    /// <summary>A review step with the given outcomes, then a gateway routing on them: back to the step, or on.</summary>
    private static string Review(string? declaredOutcomes, string forward, string back) =>
        Process(Start() + Task("Periksa", outcomes: declaredOutcomes) + """<bpmn:exclusiveGateway id="G" />""" + End()
            + Chain("Start", "Periksa", "G") + Flow("G", "End", forward) + Flow("G", "Periksa", back));

    [Fact]
    public void A_conditional_split_without_default_is_an_error()
    {
        Errors(Split("nilai >= 80", "nilai < 60")).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "G",
            ElementType = "exclusiveGateway",
            Message = SplitWithoutDefault,
        });
    }

    [Fact]
    public void An_inclusive_split_needs_a_default_too()
    {
        Errors(Split("a == 1", "b == 1", "inclusiveGateway")).Should().ContainSingle().Which.ElementId.Should().Be("G");
    }

    [Fact]
    public void A_split_with_a_default_flow_is_fine()
    {
        var xml = Process(Start() + """<bpmn:exclusiveGateway id="G" default="G_End_2" />""" + End("End_1") + End("End_2")
            + Flow("Start", "G") + Flow("G", "End_1", "nilai >= 80") + Flow("G", "End_2"));

        Errors(xml).Should().BeEmpty();
    }

    [Theory]
    [InlineData("setuju,revisi")]
    [InlineData(null)]
    public void Outcome_conditions_covering_every_outcome_of_the_step_need_no_default(string? declared)
    {
        Errors(Review(declared, "outcome == \"setuju\"", "outcome == \"revisi\"")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("outcome != \"revisi\"", "outcome == \"revisi\"")]
    [InlineData("outcome in [\"setuju\", \"setuju dengan catatan\"]", "outcome == \"revisi\"")]
    public void Any_outcome_conditions_that_hold_for_every_outcome_need_no_default(string forward, string back)
    {
        Errors(Review("setuju,setuju dengan catatan,revisi", forward, back)).Should().BeEmpty();
    }

    [Fact]
    public void An_outcome_no_condition_takes_is_an_error()
    {
        Errors(Review("setuju,revisi,tolak", "outcome == \"setuju\"", "outcome == \"revisi\"")).Should().ContainSingle().Which.ElementId.Should().Be("G");
    }

    [Fact]
    public void Conditions_reading_more_than_the_outcome_are_not_proven_exhaustive()
    {
        Errors(Review("setuju,revisi", "outcome == \"setuju\" && nilai >= 80", "outcome == \"revisi\"")).Should().ContainSingle().Which.ElementId.Should().Be("G");
    }

    [Theory]
    [InlineData("lengkap", "!lengkap")]
    [InlineData("lengkap == true", "!(lengkap == true)")]
    [InlineData("nilai >= 80", "not (nilai >= 80)")]
    [InlineData("nilai >= 80", "NOT nilai >= 80")]
    [InlineData("nilai >= 80", "!nilai >= 80")]
    [InlineData("a == 1 && b == \"x y\"", "!( a==1 &&  b == \"x y\" )")]
    [InlineData("!(triwulan == 4)", "triwulan == 4")]
    public void A_condition_and_its_negation_need_no_default(string condition, string negation)
    {
        Errors(Split(condition, negation)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("a == 1 && b == 2", "!a == 1 && b == 2")]
    [InlineData("x", "!y")]
    [InlineData("nama == \"a b\"", "!(nama == \"ab\")")]
    [InlineData("nilai >= 80", "nilai < 80")]
    public void Conditions_that_are_not_written_as_a_negation_pair_need_a_default(string first, string second)
    {
        Errors(Split(first, second)).Should().ContainSingle().Which.Message.Should().Be(SplitWithoutDefault);
    }

    [Fact]
    public void A_default_flow_that_does_not_leave_the_gateway_is_an_error()
    {
        var xml = Process(Start() + """<bpmn:exclusiveGateway id="G" default="Start_G" />""" + End("End_1") + End("End_2")
            + Flow("Start", "G") + Flow("G", "End_1", "a == 1") + Flow("G", "End_2", "a == 2"));

        Errors(xml).Should().ContainSingle().Which.Message.Should().Be(
            "Percabangan eksklusif \"G\" menyebut \"Start_G\" sebagai alur default, padahal itu bukan alur keluar dari percabangan ini.");
    }

    [Fact]
    public void A_condition_on_the_default_flow_is_a_warning()
    {
        var xml = Process(Start() + """<bpmn:exclusiveGateway id="G" default="G_End_2" />""" + End("End_1") + End("End_2")
            + Flow("Start", "G") + Flow("G", "End_1", "a == 1") + Flow("G", "End_2", "a == 2"));

        Validate(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Warning,
            ElementId = "G",
            Message = "Alur \"G_End_2\" adalah alur default Percabangan eksklusif \"G\", jadi kondisinya \"a == 2\" diabaikan.",
        });
    }

    [Fact]
    public void A_condition_out_of_a_parallel_gateway_is_an_error_on_the_flow()
    {
        var xml = Process(Start() + """<bpmn:parallelGateway id="P" />""" + End("End_1") + End("End_2")
            + Flow("Start", "P") + Flow("P", "End_1", "a == 1") + Flow("P", "End_2"));

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "P_End_1",
            ElementType = "sequenceFlow",
            Message = "Alur \"P_End_1\" keluar dari Percabangan paralel \"P\" tetapi memiliki kondisi; percabangan paralel selalu mengambil semua alur keluarnya. Hapus kondisinya atau gunakan percabangan eksklusif atau inklusif.",
        });
    }

    [Fact]
    public void A_default_flow_on_a_parallel_gateway_is_an_error()
    {
        var xml = Process(Start() + """<bpmn:parallelGateway id="P" default="P_End_1" />""" + End("End_1") + End("End_2")
            + Flow("Start", "P") + Flow("P", "End_1") + Flow("P", "End_2"));

        Errors(xml).Should().ContainSingle().Which.ElementId.Should().Be("P");
    }
}
