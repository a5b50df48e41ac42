using KinerjaWorkflow.Engine.Bpmn;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

public class DefinitionCompilerTests
{
    private static readonly ValidationOptions Deployable = new()
    {
        KnownRoles = new HashSet<string>(StringComparer.Ordinal)
        {
            "Kepala Dinas", "Sekretaris", "Bidang", "Tim Kerja", "Tim SAKIP", "Kepala",
            "Kasubag Umum dan Kepegawaian", "Kepala Bidang", "Kepala Seksi",
        },
        DefinitionExists = key => key == "penyusunan-lkjip",
    };

    [Theory]
    [InlineData("bpmn-js.bpmn")]
    [InlineData("camunda-modeler.bpmn")]
    [InlineData("default-namespace.bpmn")]
    [InlineData("semantic-prefix.bpmn")]
    public void Each_modeler_style_fixture_compiles_without_problems(string file)
    {
        var compiled = DefinitionCompiler.Compile(Fixture(file), Deployable);

        compiled.Problems.Select(p => $"{p.ElementId}: {p.Message}").Should().BeEmpty();
        compiled.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Malformed_xml_compiles_to_no_model()
    {
        var compiled = DefinitionCompiler.Compile("<bpmn:definitions", Deployable);

        compiled.Model.Should().BeNull();
        compiled.IsValid.Should().BeFalse();
        compiled.Errors.Should().ContainSingle();
    }

    [Fact]
    public void Several_problems_are_all_listed_in_file_order_with_their_lines()
    {
        var xml = "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" xmlns:sop=\"https://kinerjaworkflow.id/schema/sop/1.0\">\n"
            + "<bpmn:process id=\"p\" isExecutable=\"true\">\n"
            + "<bpmn:startEvent id=\"Start\" />\n"
            + "<bpmn:scriptTask id=\"Skrip\" />\n"
            + "<bpmn:userTask id=\"Tanpa_Peran\"><bpmn:extensionElements><sop:step nomor=\"2\" waktu=\"1 jam\" /></bpmn:extensionElements></bpmn:userTask>\n"
            + "<bpmn:callActivity id=\"Panggil\" calledElement=\"tidak-ada\" />\n"
            + "<bpmn:endEvent id=\"End\" />\n"
            + "<bpmn:sequenceFlow id=\"F1\" sourceRef=\"Start\" targetRef=\"Skrip\" />\n"
            + "<bpmn:sequenceFlow id=\"F2\" sourceRef=\"Skrip\" targetRef=\"Tanpa_Peran\" />\n"
            + "<bpmn:sequenceFlow id=\"F3\" sourceRef=\"Tanpa_Peran\" targetRef=\"Panggil\"><bpmn:conditionExpression>outcome = 1</bpmn:conditionExpression></bpmn:sequenceFlow>\n"
            + "<bpmn:sequenceFlow id=\"F4\" sourceRef=\"Panggil\" targetRef=\"End\" />\n"
            + "</bpmn:process></bpmn:definitions>";

        var compiled = DefinitionCompiler.Compile(xml, Deployable);

        compiled.IsValid.Should().BeFalse();
        compiled.Model.Should().NotBeNull();
        compiled.Problems.Select(p => (p.Severity, p.ElementId, p.Line)).Should().Equal(
            (ProblemSeverity.Error, "Skrip", 4),
            (ProblemSeverity.Error, "Tanpa_Peran", 5),
            (ProblemSeverity.Error, "Panggil", 6),
            (ProblemSeverity.Error, "F3", 10));
    }

    [Fact]
    public void Validator_problems_point_at_their_element_in_the_file()
    {
        var xml = "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n"
            + "<bpmn:process id=\"p\" isExecutable=\"true\">\n"
            + "  <bpmn:startEvent id=\"Start\" />\n"
            + "</bpmn:process></bpmn:definitions>";

        var problems = DefinitionCompiler.Compile(xml, Deployable).Problems;

        problems.Select(p => (p.ElementId, p.Line, p.Column)).Should().Equal(("p", 2, 2), ("Start", 3, 4));
    }

    [Fact]
    public void Warnings_alone_leave_a_definition_valid()
    {
        var compiled = DefinitionCompiler.Compile(Linear(("T", Task("T"))), Deployable);

        compiled.IsValid.Should().BeTrue();
        compiled.Errors.Should().BeEmpty();
        compiled.Warnings.Should().ContainSingle().Which.ElementId.Should().Be("T");
    }
}
