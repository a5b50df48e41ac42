using KinerjaWorkflow.Engine.Bpmn;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>Camunda settings the engine does not run are each a warning naming the setting and the element.</summary>
public class BpmnVendorExtensionTests
{
    private static IEnumerable<DefinitionProblem> Warnings(string xml) =>
        BpmnReader.Read(xml).Problems.Where(p => p.Severity == ProblemSeverity.Warning);

    public static TheoryData<string, string> Ignored => new()
    {
        {
            """<bpmn:userTask id="T" name="Periksa"><bpmn:extensionElements><camunda:taskListener event="create"><camunda:script scriptFormat="groovy">x()</camunda:script></camunda:taskListener></bpmn:extensionElements></bpmn:userTask>""",
            "Ekstensi camunda:taskListener pada Tugas \"Periksa\" diabaikan: pendengar (listener) dan skripnya tidak dijalankan."
        },
        {
            """<bpmn:userTask id="T" name="Periksa" camunda:dueDate="${tenggat}" />""",
            "Atribut camunda:dueDate pada Tugas \"Periksa\" diabaikan: tenggat langkah dihitung dari Waktu pada sop:step."
        },
        {
            """<bpmn:userTask id="T" name="Periksa" camunda:formKey="embedded:app:form.html" />""",
            "Atribut camunda:formKey pada Tugas \"Periksa\" diabaikan: formulir tidak dipakai; tugas menampilkan Kelengkapan dan Output langkahnya."
        },
        {
            """<bpmn:userTask id="T" name="Periksa" camunda:asyncBefore="true" />""",
            "Atribut camunda:asyncBefore pada Tugas \"Periksa\" diabaikan: mesin ini sudah menyimpan instans pada setiap titik tunggu."
        },
        {
            """<bpmn:serviceTask id="T" name="Kirim" camunda:class="id.go.Kirim" />""",
            "Atribut camunda:class pada Tugas layanan \"Kirim\" diabaikan: mesin ini tidak menjalankan kode; gunakan sop:http pada tugas layanan."
        },
        {
            """<bpmn:callActivity id="T" name="Panggil" calledElement="lain"><bpmn:extensionElements><camunda:in source="a" target="b" /></bpmn:extensionElements></bpmn:callActivity>""",
            "Ekstensi camunda:in pada Aktivitas panggilan \"Panggil\" diabaikan: definisi yang dipanggil selalu menerima salinan semua variabel."
        },
        {
            """<bpmn:callActivity id="T" name="Panggil" calledElement="lain"><bpmn:extensionElements><camunda:out variables="all" /></bpmn:extensionElements></bpmn:callActivity>""",
            "Ekstensi camunda:out pada Aktivitas panggilan \"Panggil\" diabaikan: semua variabel definisi yang dipanggil selalu kembali saat ia selesai."
        },
        {
            """<bpmn:task id="T" name="Periksa"><bpmn:extensionElements><camunda:executionListener event="start" class="x.Y" /></bpmn:extensionElements></bpmn:task>""",
            "Ekstensi camunda:executionListener pada Tugas \"Periksa\" diabaikan: pendengar (listener) dan skripnya tidak dijalankan."
        },
        {
            """<bpmn:userTask id="T" name="Periksa" camunda:versionTag="2" />""",
            "Atribut camunda:versionTag pada Tugas \"Periksa\" diabaikan: mesin ini tidak membacanya."
        },
    };

    [Theory]
    [MemberData(nameof(Ignored))]
    public void A_camunda_setting_the_engine_does_not_run_is_a_warning(string task, string warning)
    {
        var result = BpmnReader.Read(Process(task));

        result.Model.Should().NotBeNull();
        Warnings(Process(task)).Should().ContainSingle().Which.Should().BeEquivalentTo(new { ElementId = "T", Message = warning });
    }

    [Fact]
    public void Every_ignored_setting_of_a_file_is_reported_at_once()
    {
        var xml = Process("""
            <bpmn:userTask id="A" camunda:formKey="f" camunda:dueDate="d" />
            <bpmn:userTask id="B" camunda:asyncBefore="true"><bpmn:extensionElements><camunda:taskListener event="create" /></bpmn:extensionElements></bpmn:userTask>
            """);

        Warnings(xml).Select(p => (p.ElementId, p.Message[..p.Message.IndexOf(" pada", StringComparison.Ordinal)])).Should().BeEquivalentTo(
            [("A", "Atribut camunda:formKey"), ("A", "Atribut camunda:dueDate"), ("B", "Atribut camunda:asyncBefore"), ("B", "Ekstensi camunda:taskListener")]);
    }

    [Fact]
    public void The_camunda_settings_the_engine_reads_are_no_warning()
    {
        var xml = Process("""
            <bpmn:userTask id="T" camunda:candidateGroups="Sekretaris">
              <bpmn:multiInstanceLoopCharacteristics camunda:collection="${unitKerja}" camunda:elementVariable="unit" />
            </bpmn:userTask>
            """, processAttributes: """camunda:historyTimeToLive="180" """);

        Warnings(xml).Should().BeEmpty();
    }
}
