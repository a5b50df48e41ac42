using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

public class BpmnReaderTests
{
    [Fact]
    public void Candidate_groups_on_a_task_override_its_lane()
    {
        var xml = Process("""
            <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Sekretaris"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:userTask id="T" sop:candidateGroups="Bidang, Tim SAKIP" />
            """);

        var task = (HumanTask)ReadClean(xml).Node("T");

        task.LaneRole.Should().Be("Sekretaris");
        task.Roles.Should().Equal("Bidang", "Tim SAKIP");
    }

    [Fact]
    public void A_lane_name_spread_over_lines_is_one_role()
    {
        var xml = Process("""
            <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Kepala&#10;Dinas"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:userTask id="T" />
            """);

        ((HumanTask)ReadClean(xml).Node("T")).LaneRole.Should().Be("Kepala Dinas");
    }

    [Fact]
    public void An_unnamed_parent_lane_only_groups_its_named_children()
    {
        var xml = Process("""
            <bpmn:laneSet id="LS">
              <bpmn:lane id="Induk">
                <bpmn:flowNodeRef>T</bpmn:flowNodeRef>
                <bpmn:childLaneSet id="CLS"><bpmn:lane id="Anak" name="Kasubbag"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane></bpmn:childLaneSet>
              </bpmn:lane>
            </bpmn:laneSet>
            <bpmn:userTask id="T" />
            """);

        var model = ReadClean(xml);

        ((HumanTask)model.Node("T")).LaneRole.Should().Be("Kasubbag");
        model.Lanes.Should().ContainSingle().Which.Should().BeEquivalentTo(new Lane("Anak", "Kasubbag", ["T"]));
    }

    [Fact]
    public void An_unnamed_lane_without_child_lanes_is_an_error()
    {
        var xml = Process("""
            <bpmn:laneSet id="LS"><bpmn:lane id="Lane_Kosong" name=" "><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:userTask id="T" />
            """);

        var result = BpmnReader.Read(xml);

        result.Problems.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Error,
            ElementId = "Lane_Kosong",
            ElementType = "lane",
            Message = "Lajur \"Lane_Kosong\" tidak memiliki nama; nama lajur adalah peran (Pelaksana) yang mengerjakan tugas di dalamnya.",
        });
        ((HumanTask)result.Model!.Node("T")).LaneRole.Should().BeNull();
    }

    [Fact]
    public void A_lane_listing_a_missing_element_is_a_warning()
    {
        var xml = Process("""
            <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Sekretaris"><bpmn:flowNodeRef>Hilang</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            """);

        BpmnReader.Read(xml).Problems.Should().ContainSingle()
            .Which.Should().Match<DefinitionProblem>(p => p.Severity == ProblemSeverity.Warning && p.ElementId == "L" && p.Message.Contains("\"Hilang\""));
    }

    [Theory]
    [InlineData("setuju,revisi", new[] { "setuju", "revisi" })]
    [InlineData(" setuju , dikembalikan untuk dilengkapi ,", new[] { "setuju", "dikembalikan untuk dilengkapi" })]
    [InlineData("setuju,setuju", new[] { "setuju" })]
    public void Declared_outcomes_are_split_by_comma_and_trimmed(string written, string[] expected)
    {
        var xml = Process($"""<bpmn:userTask id="T"><bpmn:extensionElements><sop:step outcomes="{written}" /></bpmn:extensionElements></bpmn:userTask>""");

        var task = (HumanTask)ReadClean(xml).Node("T");

        task.Step!.DeclaredOutcomes.Should().Equal(expected);
        task.Outcomes.Should().Equal(expected);
    }

    [Fact]
    public void An_empty_outcomes_attribute_declares_none()
    {
        var xml = Process("""<bpmn:userTask id="T"><bpmn:extensionElements><sop:step nomor="1" outcomes="" /></bpmn:extensionElements></bpmn:userTask>""");

        ((HumanTask)ReadClean(xml).Node("T")).Step!.DeclaredOutcomes.Should().BeNull();
    }

    [Theory]
    [InlineData("6", 6)]
    [InlineData(" 12 ", 12)]
    [InlineData("", null)]
    public void The_step_number_is_read(string nomor, int? expected)
    {
        var xml = Process($"""<bpmn:userTask id="T"><bpmn:extensionElements><sop:step nomor="{nomor}" /></bpmn:extensionElements></bpmn:userTask>""");

        ((HumanTask)ReadClean(xml).Node("T")).Step!.Number.Should().Be(expected);
    }

    [Theory]
    [InlineData("6a")]
    [InlineData("1.")]
    [InlineData("enam")]
    public void An_unreadable_step_number_is_an_error(string nomor)
    {
        var xml = Process($"""<bpmn:userTask id="T" name="Menganalisa"><bpmn:extensionElements><sop:step nomor="{nomor}" /></bpmn:extensionElements></bpmn:userTask>""");

        var result = BpmnReader.Read(xml);

        result.Problems.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Error,
            ElementId = "T",
            ElementType = "userTask",
            Message = $"Nomor langkah \"{nomor}\" pada Tugas \"Menganalisa\" bukan bilangan bulat.",
        });
        ((HumanTask)result.Model!.Node("T")).Step!.Number.Should().BeNull();
    }

    [Fact]
    public void A_condition_that_does_not_parse_is_an_error_on_its_flow_and_left_unparsed()
    {
        var xml = Process(Start() + End() + Flow("Start", "End", "outcome = \"setuju\"", id: "Flow_Setuju"));

        var result = BpmnReader.Read(xml);

        result.Problems.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Error,
            ElementId = "Flow_Setuju",
            ElementType = "sequenceFlow",
            Message = "Kondisi \"outcome = \"setuju\"\" pada Alur \"Flow_Setuju\" tidak dapat dibaca: Gunakan '==' untuk membandingkan, bukan '=' (posisi 8).",
        });
        var flow = result.Model!.Flows["Flow_Setuju"];
        flow.ConditionText.Should().Be("outcome = \"setuju\"");
        flow.Condition.Should().BeNull();
    }

    [Fact]
    public void A_camunda_expression_condition_gets_a_hint()
    {
        var xml = Process(Start() + End() + Flow("Start", "End", "${outcome == 'setuju'}"));

        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.Message.Should().EndWith("Tulis kondisinya tanpa pembungkus ${ }, misalnya outcome == \"setuju\".");
    }

    [Fact]
    public void A_condition_in_a_script_language_is_an_error()
    {
        var xml = Process(Start() + End() + """
            <bpmn:sequenceFlow id="F" sourceRef="Start" targetRef="End">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">outcome == "a"</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            """);

        var result = BpmnReader.Read(xml);

        result.Problems.Should().ContainSingle().Which.Message.Should().Contain("bahasa \"javascript\"");
        result.Model!.Flows["F"].Condition.Should().BeNull();
    }

    [Fact]
    public void An_empty_condition_expression_means_no_condition()
    {
        var xml = Process(Start() + End() + """
            <bpmn:sequenceFlow id="F" sourceRef="Start" targetRef="End"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"> </bpmn:conditionExpression></bpmn:sequenceFlow>
            """);

        ReadClean(xml).Flows["F"].ConditionText.Should().BeNull();
    }

    [Theory]
    [InlineData("timeDuration", "PT15M", TimerKind.Duration)]
    [InlineData("timeDate", "2025-01-01T08:00:00+07:00", TimerKind.Date)]
    [InlineData("timeCycle", "R/2025-01-01T08:00:00+07:00/P3M", TimerKind.Cycle)]
    public void Timer_expressions_are_read_by_kind(string element, string expression, TimerKind kind)
    {
        var xml = Process($"""
            <bpmn:startEvent id="S">
              <bpmn:timerEventDefinition><bpmn:{element} xsi:type="bpmn:tFormalExpression"> {expression} </bpmn:{element}></bpmn:timerEventDefinition>
            </bpmn:startEvent>
            """);

        ((StartEvent)ReadClean(xml).Node("S")).Timer.Should().Be(new TimerDefinition(kind, expression));
    }

    [Fact]
    public void A_timer_with_two_expressions_is_an_error()
    {
        var xml = Process("""
            <bpmn:intermediateCatchEvent id="Tunggu">
              <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration><bpmn:timeDate>2025-01-01T08:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            """);

        BpmnReader.Read(xml).Problems.Should().ContainSingle()
            .Which.Should().Match<DefinitionProblem>(p => p.ElementId == "Tunggu" && p.Message.Contains("tepat satu dari timeDuration, timeDate atau timeCycle"));
    }

    [Fact]
    public void A_boundary_event_interrupts_unless_told_otherwise()
    {
        var xml = Process("""
            <bpmn:userTask id="T" />
            <bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            """);

        ((BoundaryTimerEvent)ReadClean(xml).Node("B")).CancelActivity.Should().BeTrue();
    }

    [Theory]
    [InlineData("<bpmn:loopCardinality xsi:type=\"bpmn:tFormalExpression\">3</bpmn:loopCardinality>", null, 3)]
    [InlineData("", "unitKerja", null)]
    public void Multi_instance_takes_a_collection_or_a_cardinality(string content, string? collection, int? cardinality)
    {
        var attribute = collection is null ? string.Empty : $"sop:collection=\"{collection}\"";
        var xml = Process($"""<bpmn:userTask id="T"><bpmn:multiInstanceLoopCharacteristics {attribute}>{content}</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>""");

        ((HumanTask)ReadClean(xml).Node("T")).MultiInstance.Should().Be(new MultiInstance(false, collection, null, cardinality));
    }

    [Fact]
    public void A_cardinality_that_is_not_a_number_is_an_error()
    {
        var xml = Process("""<bpmn:userTask id="T"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>${n}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>""");

        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.Message.Should().Contain("loopCardinality \"${n}\" bukan bilangan bulat");
    }

    [Fact]
    public void A_completion_condition_is_an_error()
    {
        var xml = Process("""
            <bpmn:userTask id="T"><bpmn:multiInstanceLoopCharacteristics sop:collection="c"><bpmn:completionCondition>x</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
            """);

        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.Message.Should().Contain("completionCondition");
    }

    [Fact]
    public void A_call_activity_without_called_element_is_read_with_an_empty_key()
    {
        ((CallActivity)ReadClean(Process("""<bpmn:callActivity id="C" />""")).Node("C")).CalledElement.Should().BeEmpty();
    }

    [Fact]
    public void Documentation_data_and_annotations_are_ignored()
    {
        var xml = Process("""
            <bpmn:documentation>Catatan</bpmn:documentation>
            <bpmn:dataObject id="DataObject_1" />
            <bpmn:dataObjectReference id="DataRef_1" dataObjectRef="DataObject_1" />
            <bpmn:dataStoreReference id="Store_1" />
            <bpmn:textAnnotation id="Note_1"><bpmn:text>Catatan</bpmn:text></bpmn:textAnnotation>
            <bpmn:association id="Assoc_1" sourceRef="T" targetRef="Note_1" />
            <bpmn:group id="Group_1" />
            <bpmn:userTask id="T">
              <bpmn:documentation>Langkah</bpmn:documentation>
              <bpmn:dataOutputAssociation id="DOA_1"><bpmn:targetRef>DataRef_1</bpmn:targetRef></bpmn:dataOutputAssociation>
            </bpmn:userTask>
            """);

        ReadClean(xml).Nodes.Keys.Should().Equal("T");
    }

    [Fact]
    public void An_unknown_sop_extension_is_a_warning()
    {
        var xml = Process("""<bpmn:userTask id="T" name="Periksa"><bpmn:extensionElements><sop:stap nomor="1" /></bpmn:extensionElements></bpmn:userTask>""");

        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Warning,
            ElementId = "T",
            Message = "Ekstensi sop:stap pada Tugas \"Periksa\" tidak dikenal di sini dan diabaikan.",
        });
    }

    [Fact]
    public void Camunda_extensions_the_engine_does_not_use_are_each_a_warning_and_the_task_is_read()
    {
        var xml = Process("""
            <bpmn:userTask id="T" camunda:assignee="budi" camunda:formKey="form">
              <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="a">1</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
            </bpmn:userTask>
            """);

        var result = BpmnReader.Read(xml);

        result.Model!.Node("T").Should().BeOfType<HumanTask>();
        result.Problems.Should().OnlyContain(p => p.Severity == ProblemSeverity.Warning && p.ElementId == "T");
        result.Problems.Select(p => p.Message).Should().BeEquivalentTo(
            "Atribut camunda:assignee pada Tugas \"T\" diabaikan: pelaksana diambil dari lajur atau candidateGroups.",
            "Atribut camunda:formKey pada Tugas \"T\" diabaikan: formulir tidak dipakai; tugas menampilkan Kelengkapan dan Output langkahnya.",
            "Ekstensi camunda:inputOutput pada Tugas \"T\" diabaikan: pemetaan variabel masukan dan keluaran tidak dijalankan.");
    }

    [Fact]
    public void Problems_point_at_the_line_and_column_of_their_element()
    {
        var xml = "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n"
            + "<bpmn:process id=\"p\" isExecutable=\"true\">\n"
            + "  <bpmn:scriptTask id=\"Skrip\" />\n"
            + "</bpmn:process></bpmn:definitions>";

        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Line = 3, Column = 4 });
    }
}
