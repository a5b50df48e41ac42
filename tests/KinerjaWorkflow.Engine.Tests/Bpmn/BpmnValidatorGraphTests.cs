using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>Start and end events, links, and whether every element lies on a path from a start to an end.</summary>
public class BpmnValidatorGraphTests
{
    private static List<DefinitionProblem> Errors(string xml) =>
        Validate(xml).Where(p => p.Severity == ProblemSeverity.Error).ToList();

    private static string Parallel(string id) => $"""<bpmn:parallelGateway id="{id}" />""";

    [Fact]
    public void A_connected_process_has_no_errors()
    {
        Errors(Linear(("T", Task("T")))).Should().BeEmpty();
    }

    [Fact]
    public void A_process_without_start_event_is_one_error()
    {
        var xml = Process(Task("T") + End() + Flow("T", "End"));

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = ProcessId,
            ElementType = "process",
            Message = "Proses \"Proses Uji\" tidak memiliki peristiwa awal.",
        });
    }

    [Fact]
    public void A_process_without_end_event_is_an_error()
    {
        var xml = Process(Start() + Task("T") + Flow("Start", "T") + Flow("T", "Start"));

        Errors(xml).Select(p => p.Message).Should().Contain("Proses \"Proses Uji\" tidak memiliki peristiwa akhir.");
    }

    [Fact]
    public void An_empty_sub_process_lacks_its_own_start_and_end()
    {
        var xml = Linear(("Sub", """<bpmn:subProcess id="Sub" name="Verifikasi"><bpmn:userTask id="Di_dalam" sop:candidateGroups="Sekretaris" /></bpmn:subProcess>"""));

        Errors(xml).Select(p => (p.ElementId, p.Message)).Should().Equal(
            ("Sub", "Sub-proses \"Verifikasi\" tidak memiliki peristiwa awal."),
            ("Sub", "Sub-proses \"Verifikasi\" tidak memiliki peristiwa akhir."),
            ("Di_dalam", "Tugas \"Di_dalam\" tidak memiliki alur keluar; hanya peristiwa akhir yang boleh mengakhiri sebuah jalur."));
    }

    [Fact]
    public void A_second_none_start_event_is_an_error()
    {
        var xml = Process(Start("S1") + Start("S2") + End() + Flow("S1", "End") + Flow("S2", "End"));

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "S2",
            Message = "Peristiwa awal \"S2\" adalah peristiwa awal biasa kedua dalam Proses \"Proses Uji\"; hanya satu peristiwa awal biasa yang boleh ada, sebab proses tidak tahu harus mulai dari mana.",
        });
    }

    [Fact]
    public void A_timer_start_beside_a_none_start_is_allowed()
    {
        var xml = Process(Start("S1") + """
            <bpmn:startEvent id="S2"><bpmn:timerEventDefinition><bpmn:timeCycle>R/2025-01-01T08:00:00+07:00/P3M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
            """ + End() + Flow("S1", "End") + Flow("S2", "End"));

        Errors(xml).Should().BeEmpty();
    }

    [Fact]
    public void A_timer_start_inside_a_sub_process_is_an_error()
    {
        var xml = Linear(("Sub", """
            <bpmn:subProcess id="Sub">
              <bpmn:startEvent id="Awal_Sub"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
              <bpmn:endEvent id="Akhir_Sub" />
              <bpmn:sequenceFlow id="Sub_F" sourceRef="Awal_Sub" targetRef="Akhir_Sub" />
            </bpmn:subProcess>
            """));

        Errors(xml).Should().ContainSingle().Which.ElementId.Should().Be("Awal_Sub");
    }

    [Fact]
    public void Of_a_disconnected_chain_only_its_head_is_unreachable()
    {
        var xml = Process(Start() + Task("T", 1) + Task("A", 2) + Task("B", 3) + End() + Chain("Start", "T", "End") + Chain("A", "B", "End"));

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "A",
            ElementType = "userTask",
            Message = "Langkah 2 \"Tugas A\" tidak dapat dicapai dari peristiwa awal mana pun.",
        });
    }

    [Fact]
    public void Every_element_of_a_closed_loop_nothing_enters_is_unreachable()
    {
        var xml = Process(Start() + Task("T", 1) + Task("A", 2) + Task("B", 3) + End() + Chain("Start", "T", "End") + Chain("A", "B", "A"));

        Errors(xml).Where(p => p.Message.Contains("tidak dapat dicapai")).Select(p => p.ElementId).Should().BeEquivalentTo("A", "B");
    }

    [Fact]
    public void A_boundary_event_is_reachable_when_its_activity_is()
    {
        var xml = Process(Start() + Task("T") + End() + End("End_2") + Chain("Start", "T", "End") + """
            <bpmn:boundaryEvent id="Terlambat" attachedToRef="T" cancelActivity="false">
              <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            """ + Flow("Terlambat", "End_2"));

        Errors(xml).Should().BeEmpty();
    }

    [Fact]
    public void A_loop_without_way_out_can_never_reach_an_end()
    {
        var xml = Process(Start() + """<bpmn:exclusiveGateway id="G" default="G_End" />""" + Task("A", 1) + Task("B", 2) + End()
            + Flow("Start", "G") + Flow("G", "End") + Flow("G", "A", "ulang == true") + Chain("A", "B", "A"));

        Errors(xml).Select(p => (p.ElementId, p.Message)).Should().BeEquivalentTo(new[]
        {
            ("A", "Langkah 1 \"Tugas A\" tidak memiliki jalur menuju peristiwa akhir: setiap jalur darinya berputar tanpa jalan keluar."),
            ("B", "Langkah 2 \"Tugas B\" tidak memiliki jalur menuju peristiwa akhir: setiap jalur darinya berputar tanpa jalan keluar."),
        });
    }

    [Fact]
    public void A_dead_end_is_reported_once_not_at_every_element_before_it()
    {
        var xml = Process(Start() + Parallel("P") + Task("A", 1) + Task("B", 2) + End() + Chain("Start", "P", "End") + Chain("P", "A", "B"));

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "B",
            Message = "Langkah 2 \"Tugas B\" tidak memiliki alur keluar; hanya peristiwa akhir yang boleh mengakhiri sebuah jalur.",
        });
    }

    [Theory]
    [InlineData("Hilang", "T", "Alur \"Hilang_T\" berasal dari \"Hilang\", yang tidak ada dalam proses.")]
    [InlineData("T", "Hilang", "Alur \"T_Hilang\" menuju \"Hilang\", yang tidak ada dalam proses.")]
    public void A_flow_to_or_from_a_missing_element_is_an_error(string from, string to, string message)
    {
        var xml = Process(Start() + Task("T") + End() + Chain("Start", "T", "End") + Flow(from, to));

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new { ElementId = $"{from}_{to}", ElementType = "sequenceFlow", Message = message });
    }

    [Fact]
    public void A_model_built_in_code_is_validated_the_same_way()
    {
        var builder = new ProcessModelBuilder("dibangun", "Dibangun")
            .Add(new StartEvent { Id = "S", ElementType = "startEvent" })
            .Add(new EndEvent { Id = "E", ElementType = "endEvent" })
            .Add(new SequenceFlow { Id = "S_E", SourceId = "S", TargetId = "E" })
            .Add(new SequenceFlow { Id = "S_X", SourceId = "S", TargetId = "X" });
        var model = builder.Build();

        BpmnValidator.Validate(model, new ValidationOptions()).Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { ElementId = builder.DanglingFlows.Single().Id, Message = "Alur \"S_X\" menuju \"X\", yang tidak ada dalam proses." });
    }

    [Fact]
    public void A_flow_without_source_and_target_is_two_errors()
    {
        var xml = Process(Start() + End() + Flow("Start", "End") + """<bpmn:sequenceFlow id="Kosong" />""");

        Errors(xml).Select(p => p.Message).Should().Equal(
            "Alur \"Kosong\" tidak memiliki sumber (sourceRef).",
            "Alur \"Kosong\" tidak memiliki tujuan (targetRef).");
    }

    [Fact]
    public void An_element_whose_only_outgoing_flow_is_broken_is_not_reported_again()
    {
        var xml = Process(Start() + Parallel("P") + Task("T") + End() + Chain("Start", "P", "End") + Chain("P", "T", "Hilang"));

        Errors(xml).Should().ContainSingle().Which.ElementId.Should().Be("T_Hilang");
    }

    [Fact]
    public void A_flow_across_a_sub_process_boundary_is_an_error()
    {
        var xml = Process(Start() + """
            <bpmn:subProcess id="Sub">
              <bpmn:startEvent id="Awal_Sub" /><bpmn:endEvent id="Akhir_Sub" />
              <bpmn:sequenceFlow id="Sub_F" sourceRef="Awal_Sub" targetRef="Akhir_Sub" />
            </bpmn:subProcess>
            """ + End() + Chain("Start", "Sub", "End") + Flow("Start", "Akhir_Sub", id: "Menembus"));

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "Menembus",
            Message = "Alur \"Menembus\" menghubungkan Peristiwa awal \"Start\" dan Peristiwa akhir \"Akhir_Sub\", yang berada di cakupan berbeda; alur tidak boleh menembus batas sub-proses.",
        });
    }

    [Fact]
    public void A_start_event_with_an_incoming_flow_is_an_error()
    {
        var xml = Process(Start() + Task("T") + End() + Chain("Start", "T", "End") + Flow("T", "Start"));

        Errors(xml).Should().ContainSingle().Which.Message.Should().Be("Peristiwa awal \"Start\" tidak boleh memiliki alur masuk; peristiwa awal adalah awal proses.");
    }

    [Fact]
    public void An_end_event_with_an_outgoing_flow_is_an_error()
    {
        var xml = Process(Start() + Task("T") + End() + Chain("Start", "T", "End") + Flow("End", "T"));

        Errors(xml).Should().ContainSingle().Which.Message.Should().Be("Peristiwa akhir \"End\" tidak boleh memiliki alur keluar; peristiwa akhir mengakhiri jalurnya.");
    }

    [Fact]
    public void A_boundary_event_with_an_incoming_flow_is_an_error()
    {
        var xml = Process(Start() + Task("T") + End() + Chain("Start", "T", "End") + """
            <bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            """ + Flow("B", "End") + Flow("Start", "B"));

        Errors(xml).Should().ContainSingle().Which.ElementId.Should().Be("B");
    }

    [Fact]
    public void An_unsupported_element_keeps_the_graph_connected()
    {
        var xml = Process(Start() + """<bpmn:scriptTask id="Skrip" />""" + End() + Chain("Start", "Skrip", "End"));

        DefinitionCompiler.Compile(xml, new ValidationOptions()).Problems.Should().ContainSingle().Which.ElementId.Should().Be("Skrip");
    }

    [Fact]
    public void An_unsupported_start_event_still_starts_the_paths_behind_it()
    {
        var xml = Process("""<bpmn:startEvent id="Pesan"><bpmn:messageEventDefinition /></bpmn:startEvent>""" + Task("T") + End() + Chain("Pesan", "T", "End"));

        DefinitionCompiler.Compile(xml, new ValidationOptions()).Errors.Should().ContainSingle().Which.ElementId.Should().Be("Pesan");
    }
}
