using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Model;

/// <summary>The starter-role rule beyond the document's examples: what the table does not show.</summary>
public class StartersTests
{
    private static readonly ValidationOptions Office = new()
    {
        KnownRoles = new HashSet<string>(StringComparer.Ordinal) { "Sekretaris", "Bidang" },
    };

    private static string TimerStart(string id) => $"""
        <bpmn:startEvent id="{id}"><bpmn:timerEventDefinition><bpmn:timeCycle>triwulan</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
        """;

    [Fact]
    public void An_unknown_starter_role_refuses_the_file_naming_it()
    {
        var xml = Process($"{Start()}{Task("T", 1)}{End()}{Chain("Start", "T", "End")}", """sop:starterRoles="Bidang, Lurah" """);

        Validate(xml, Office).Where(p => p.Severity == ProblemSeverity.Error).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = ProcessId,
            ElementType = "process",
            Message = "Peran pemrakarsa \"Lurah\" (sop:starterRoles) pada Proses \"Proses Uji\" tidak terdaftar di kantor ini; tulis nama peran seperti pada lajur atau organisasi kantor.",
        });
    }

    [Fact]
    public void Known_starter_roles_are_read_trimmed_in_the_written_order()
    {
        var model = ReadClean(Process($"{Start()}{Task("T", 1)}{End()}{Chain("Start", "T", "End")}", """sop:starterRoles=" Bidang , Sekretaris" """));

        Starters.RolesOf(model).Should().Equal("Bidang", "Sekretaris");
        BpmnValidator.Validate(model, Office).Where(p => p.Severity == ProblemSeverity.Error).Should().BeEmpty();
    }

    [Fact]
    public void An_empty_attribute_falls_back_to_the_first_step()
    {
        var model = ReadClean(Process($"{Start()}{Task("T", 1, roles: "Bidang")}{End()}{Chain("Start", "T", "End")}", """sop:starterRoles=" " """));

        Starters.RolesOf(model).Should().Equal("Bidang");
    }

    [Fact]
    public void A_timer_start_event_does_not_give_the_first_step()
    {
        var model = ReadClean(Process($"""
            {TimerStart("Jadwal")}{Task("Otomatis", 1, roles: "Bidang")}
            {Start()}{Task("Manual", 2, roles: "Sekretaris")}{End()}
            {Chain("Jadwal", "Otomatis", "End")}{Chain("Start", "Manual", "End")}
            """));

        Starters.RolesOf(model).Should().Equal("Sekretaris");
    }

    [Fact]
    public void A_call_activity_first_gives_no_role_so_only_admins_may_start()
    {
        var model = ReadClean(Process($"""
            {Start()}<bpmn:callActivity id="Panggil" calledElement="lain" />{Task("T", 1, roles: "Bidang")}{End()}
            {Chain("Start", "Panggil", "T", "End")}
            """));

        Starters.RolesOf(model).Should().BeEmpty();
        Starters.MayStart(model, new HashSet<string> { "Bidang" }, isAdmin: false).Should().BeFalse();
        Starters.MayStart(model, new HashSet<string>(), isAdmin: true).Should().BeTrue();
    }

    [Fact]
    public void A_sub_process_without_a_human_step_is_passed_through()
    {
        var model = ReadClean(Process($"""
            {Start()}
            <bpmn:subProcess id="Otomatis">
              {Start("Start_Dalam")}<bpmn:serviceTask id="Kirim" />{End("End_Dalam")}
              {Chain("Start_Dalam", "Kirim", "End_Dalam")}
            </bpmn:subProcess>
            {Task("T", 1, roles: "Bidang")}{End()}
            {Chain("Start", "Otomatis", "T", "End")}
            """));

        Starters.RolesOf(model).Should().Equal("Bidang");
    }

    [Fact]
    public void A_loop_back_to_the_start_does_not_repeat_roles()
    {
        var model = ReadClean(Process($"""
            {Start()}<bpmn:exclusiveGateway id="G" />{Task("T", 1, outcomes: "ulang,selesai")}<bpmn:exclusiveGateway id="H" />{End()}
            {Flow("Start", "G")}{Flow("G", "T")}{Flow("T", "H")}
            {Flow("H", "G", "outcome == \"ulang\"")}{Flow("H", "End", "outcome == \"selesai\"")}
            """));

        Starters.RolesOf(model).Should().Equal("Sekretaris");
    }
}
