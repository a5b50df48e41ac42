using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Tests.Time;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Model;

/// <summary>
/// The worked examples of docs/who-may-start.md, read from the document's table; the processes A to E are
/// written here as the document describes them.
/// </summary>
public class StartersDocumentTests
{
    private static readonly WorkedExamples Examples = new("who-may-start.md");

    private static readonly Dictionary<string, string> Processes = new(StringComparer.Ordinal)
    {
        ["A"] = SuratMasuk(string.Empty),
        ["B"] = Process($"""
            {Start()}<bpmn:parallelGateway id="Bagi" />
            {Task("Catat", 1, roles: "Subbag Umum")}{Task("Siapkan", 2, roles: "Bidang")}
            <bpmn:parallelGateway id="Gabung" />{End()}
            {Flow("Start", "Bagi")}{Flow("Bagi", "Catat")}{Flow("Bagi", "Siapkan")}
            {Flow("Catat", "Gabung")}{Flow("Siapkan", "Gabung")}{Flow("Gabung", "End")}
            """),
        ["C"] = Process($"""
            {Start()}<bpmn:serviceTask id="Ambil" name="Ambil data monev" />{Task("Periksa", 1)}{End()}
            {Chain("Start", "Ambil", "Periksa", "End")}
            """),
        ["D"] = Process($"""
            {Start()}
            <bpmn:subProcess id="Kumpul">
              {Start("Start_Dalam")}{Task("Kumpulkan", 1, roles: "Bidang")}{End("End_Dalam")}
              {Chain("Start_Dalam", "Kumpulkan", "End_Dalam")}
            </bpmn:subProcess>
            {Task("Setujui", 2, roles: "Kepala Dinas")}{End()}
            {Chain("Start", "Kumpul", "Setujui", "End")}
            """),
        ["E"] = SuratMasuk("""sop:starterRoles="Bidang,Kasubbag Program" """),
    };

    public static TheoryData<string> Rows() => Examples.Numbers();

    [Fact]
    public void The_document_has_an_example_for_every_process()
    {
        Examples.Rows.Select(r => r[1]).Distinct().Should().BeEquivalentTo(Processes.Keys);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Example(string number)
    {
        var row = Examples.Row(number);
        var model = ReadClean(Processes[row[1]]);
        var user = row[3].Split(',', StringSplitOptions.TrimEntries);
        var isAdmin = user.Any(u => u.StartsWith("admin", StringComparison.Ordinal));
        var roles = user.Where(u => !u.StartsWith("admin", StringComparison.Ordinal) && u != "tanpa peran")
            .ToHashSet(StringComparer.Ordinal);

        string.Join(", ", Starters.RolesOf(model)).Should().Be(row[2], $"row {number}: starter roles");
        (Starters.MayStart(model, roles, isAdmin) ? "ya" : "tidak").Should().Be(row[4], $"row {number}: may start");
    }

    private static string SuratMasuk(string processAttributes) => Process(
        $"""
        <bpmn:laneSet id="LS">
          <bpmn:lane id="Lane_Sekretaris" name="Sekretaris"><bpmn:flowNodeRef>Terima</bpmn:flowNodeRef></bpmn:lane>
          <bpmn:lane id="Lane_Kepala" name="Kepala Dinas"><bpmn:flowNodeRef>Disposisi</bpmn:flowNodeRef></bpmn:lane>
        </bpmn:laneSet>
        {Start()}{Task("Terima", 1, roles: "")}{Task("Disposisi", 2, roles: "")}{End()}
        {Chain("Start", "Terima", "Disposisi", "End")}
        """,
        processAttributes);
}
