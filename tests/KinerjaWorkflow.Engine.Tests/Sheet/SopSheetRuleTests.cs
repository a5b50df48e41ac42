using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Sheet;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Sheet;

/// <summary>The rules of docs/bpmn-extensions.md, "The SOP-AP sheet", one per test.</summary>
public sealed class SopSheetRuleTests
{
    [Fact]
    public void Kegiatan_is_the_steps_documentation_and_its_name_without_one()
    {
        var sheet = SheetOf(Linear(
            ("A", """
                <bpmn:userTask id="A" name="Rapat" sop:candidateGroups="Sekretaris">
                  <bpmn:documentation>Sekretaris melakukan rapat dengan tim SAKIP</bpmn:documentation>
                  <bpmn:extensionElements><sop:step nomor="1" /></bpmn:extensionElements>
                </bpmn:userTask>
                """),
            ("B", Task("B", 2))));

        sheet.Rows.Select(r => (r.Kegiatan, r.Name)).Should().Equal(("Sekretaris melakukan rapat dengan tim SAKIP", "Rapat"), ("Tugas B", "Tugas B"));
    }

    [Fact]
    public void The_first_and_last_rows_are_terminators_and_those_between_process_boxes()
    {
        var sheet = SheetOf(Linear(("A", Task("A", 1)), ("B", Task("B", 2)), ("C", Task("C", 3))));

        sheet.Rows.Select(r => r.Symbol).Should().Equal(SheetSymbol.Terminator, SheetSymbol.Process, SheetSymbol.Terminator);
    }

    [Fact]
    public void A_step_followed_by_an_exclusive_gateway_is_a_decision_whose_ways_carry_the_flow_name_or_else_the_outcome()
    {
        var sheet = SheetOf(Process($"""
            {Start()}
            {Task("A", 1)}
            {Task("B", 2, outcomes: "setuju,ulang,tolak")}
            <bpmn:exclusiveGateway id="G" />
            {Task("C", 3)}
            {End()}
            {Chain("Start", "A", "B", "G")}
            <bpmn:sequenceFlow id="Ya" name="Ya" sourceRef="G" targetRef="C"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">outcome == "setuju"</bpmn:conditionExpression></bpmn:sequenceFlow>
            {Flow("G", "A", "outcome == \"ulang\"")}
            {Flow("G", "End", "outcome == \"tolak\"")}
            {Flow("C", "End")}
            """));

        var decision = sheet.Rows[1];
        decision.Symbol.Should().Be(SheetSymbol.Decision);
        decision.Next.Select(n => (n.ToNo, n.Label, n.Outcome, n.Back)).Should().Equal(
            (3, "Ya", "setuju", false),
            (1, "ulang", "ulang", true),
            (null, "tolak", "tolak", false));
    }

    [Fact]
    public void Steps_are_rows_in_step_number_order_and_steps_without_a_number_come_last_in_flow_order()
    {
        var sheet = SheetOf(Linear(
            ("X", """<bpmn:userTask id="X" name="Tanpa nomor" sop:candidateGroups="Sekretaris" />"""),
            ("B", Task("B", 2)),
            ("A", Task("A", 1))));

        sheet.Rows.Select(r => (r.StepId, r.No)).Should().Equal(("A", 1), ("B", 2), ("X", 3));
    }

    [Fact]
    public void A_step_of_several_roles_has_its_symbol_in_its_lanes_column_and_the_others_take_part()
    {
        var sheet = SheetOf(Process($"""
            <bpmn:laneSet id="Lanes">
              <bpmn:lane id="L1" name="Kepala"><bpmn:flowNodeRef>A</bpmn:flowNodeRef></bpmn:lane>
              <bpmn:lane id="L2" name="Sekretaris" />
              <bpmn:lane id="L3" name="Bidang"><bpmn:flowNodeRef>B</bpmn:flowNodeRef></bpmn:lane>
            </bpmn:laneSet>
            {Start()}
            {Task("A", 1, roles: "")}
            {Task("B", 2, roles: "Sekretaris,Bidang,Kepala")}
            {End()}
            {Chain("Start", "A", "B", "End")}
            """));

        sheet.Pelaksana.Should().Equal("Kepala", "Sekretaris", "Bidang");
        sheet.Rows.Select(r => r.Columns).Should().BeEquivalentTo(new[] { new[] { 0 }, new[] { 2, 0, 1 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_way_out_of_a_multi_instance_sub_process_continues_after_it_and_its_steps_say_what_they_repeat_for()
    {
        var sheet = SheetOf(Process($"""
            {Start()}
            <bpmn:subProcess id="S">
              <bpmn:multiInstanceLoopCharacteristics sop:collection="timKerja" sop:elementVariable="tim" />
              <bpmn:startEvent id="S_Start" />
              {Task("A", 1)}
              <bpmn:endEvent id="S_End" />
              {Chain("S_Start", "A", "S_End")}
            </bpmn:subProcess>
            <bpmn:parallelGateway id="P" />
            {Task("B", 2)}
            {End()}
            {Chain("Start", "S", "P", "B", "End")}
            """));

        sheet.Rows[0].Next.Select(n => n.ToStepId).Should().Equal("B");
        sheet.Rows.Select(r => r.ForEach).Should().Equal("timKerja", null);
    }

    [Fact]
    public void The_header_carries_every_SOP_AP_identity_field_one_list_item_per_line()
    {
        var model = ReadClean(Process(
            $"""
            <bpmn:extensionElements>
              <sop:identity nomor="150.2/SOP-BMCKSTR/2024" judul="Pengumpulan Data Kinerja" kantor="Dinas Bina Marga"
                            tanggalPembuatan="11 Januari 2024" tanggalRevisi="20 Januari 2025" tanggalEfektif="2024-01-11"
                            disahkanOleh="Kepala Dinas">
                <sop:dasarHukum>Undang-undang Nomor 25 Tahun 2004
                  Undang-undang Nomor 23 Tahun 2014</sop:dasarHukum>
                <sop:kualifikasiPelaksana>Pendidikan minimal S1</sop:kualifikasiPelaksana>
                <sop:keterkaitan>Penyusunan Renstra</sop:keterkaitan>
                <sop:peralatanPerlengkapan>Komputer&#10;ATK</sop:peralatanPerlengkapan>
                <sop:peringatan>Jika SOP tidak dilaksanakan maka pengukuran kinerja terhambat</sop:peringatan>
                <sop:pencatatanPendataan>Disimpan sebagai data elektronik dan manual</sop:pencatatanPendataan>
              </sop:identity>
            </bpmn:extensionElements>
            {Start()}{Task("A")}{End()}{Chain("Start", "A", "End")}
            """));

        var identity = model.Identity!;
        (identity.Number, identity.MadeDate, identity.RevisionDate, identity.EffectiveDate, identity.ApprovedBy)
            .Should().Be(("150.2/SOP-BMCKSTR/2024", "11 Januari 2024", "20 Januari 2025", "2024-01-11", "Kepala Dinas"));
        identity.LegalBasis.Should().Equal("Undang-undang Nomor 25 Tahun 2004", "Undang-undang Nomor 23 Tahun 2014");
        identity.Qualifications.Should().Equal("Pendidikan minimal S1");
        identity.RelatedProcedures.Should().Equal("Penyusunan Renstra");
        identity.Equipment.Should().Equal("Komputer", "ATK");
        identity.Warnings.Should().Equal("Jika SOP tidak dilaksanakan maka pengukuran kinerja terhambat");
        identity.RecordKeeping.Should().Equal("Disimpan sebagai data elektronik dan manual");
    }

    [Fact]
    public void A_misspelt_header_field_is_a_warning_naming_the_fields_there_are()
    {
        var read = BpmnReader.Read(Process(
            $"""
            <bpmn:extensionElements><sop:identity nomor="1"><sop:dasarhukum>UU</sop:dasarhukum></sop:identity></bpmn:extensionElements>
            {Start()}{Task("A")}{End()}{Chain("Start", "A", "End")}
            """));

        read.Problems.Should().ContainSingle().Which.Message.Should().Contain("<dasarhukum>").And.Contain("sop:dasarHukum");
    }

    private static SopSheet SheetOf(string xml) => SopSheetBuilder.From(ReadClean(xml));
}
