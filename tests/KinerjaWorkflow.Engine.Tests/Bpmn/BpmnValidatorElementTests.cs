using KinerjaWorkflow.Engine.Bpmn;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>Rules for single elements: roles, step fields, Waktu, timers, multi-instance, service and call activities.</summary>
public class BpmnValidatorElementTests
{
    private static readonly ValidationOptions Office = new()
    {
        KnownRoles = new HashSet<string>(StringComparer.Ordinal) { "Sekretaris", "Kepala Dinas" },
    };

    private static List<DefinitionProblem> Errors(string xml, ValidationOptions? options = null) =>
        Validate(xml, options).Where(p => p.Severity == ProblemSeverity.Error).ToList();

    private static string InLane(string role, string nodeXml, string nodeId) => Process($"""
        <bpmn:laneSet id="LS"><bpmn:lane id="Lane_1" name="{role}"><bpmn:flowNodeRef>{nodeId}</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
        {Start()}{nodeXml}{End()}{Chain("Start", nodeId, "End")}
        """);

    private static string Timer(string kind, string expression) =>
        $"""<bpmn:timerEventDefinition><bpmn:{kind}>{expression}</bpmn:{kind}></bpmn:timerEventDefinition>""";

    [Fact]
    public void A_human_task_without_role_is_an_error()
    {
        Errors(Linear(("T", Task("T", 3, roles: "")))).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "T",
            ElementType = "userTask",
            Message = "Langkah 3 \"Tugas T\" tidak memiliki pelaksana: letakkan tugas ini di lajur (lane) yang bernama peran, atau isi candidateGroups.",
        });
    }

    [Fact]
    public void A_task_in_a_lane_has_the_lanes_role()
    {
        Errors(InLane("Sekretaris", Task("T", roles: ""), "T"), Office).Should().BeEmpty();
    }

    [Fact]
    public void A_lane_named_for_a_role_the_office_does_not_have_is_an_error()
    {
        Errors(InLane("Bendahara", Task("T", roles: ""), "T"), Office).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "Lane_1",
            ElementType = "lane",
            Message = "Lajur \"Bendahara\" adalah peran yang tidak terdaftar di kantor ini; tambahkan peran itu ke organisasi kantor atau ganti nama lajurnya.",
        });
    }

    [Fact]
    public void A_candidate_group_the_office_does_not_have_is_an_error()
    {
        Errors(Linear(("T", Task("T", roles: "Sekretaris,Bendahara"))), Office).Should().ContainSingle().Which.Message
            .Should().Be("Langkah 1 \"Tugas T\" menyebut peran \"Bendahara\" yang tidak terdaftar di kantor ini.");
    }

    [Fact]
    public void Roles_are_not_checked_without_known_roles()
    {
        Errors(InLane("Bendahara", Task("T", roles: "Bendahara"), "T")).Should().BeEmpty();
    }

    [Fact]
    public void A_step_without_waktu_is_a_warning()
    {
        Validate(Linear(("T", Task("T", 6)))).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Warning,
            ElementId = "T",
            Message = "Langkah 6 \"Tugas T\" tidak memiliki Waktu: tidak ada tenggat dan pengingat untuk langkah ini.",
        });
    }

    [Fact]
    public void A_step_without_number_is_a_warning()
    {
        var task = """<bpmn:userTask id="T" name="Periksa" sop:candidateGroups="Sekretaris"><bpmn:extensionElements><sop:step waktu="1 jam" /></bpmn:extensionElements></bpmn:userTask>""";

        Validate(Linear(("T", task))).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Warning,
            Message = "Tugas \"Periksa\" tidak memiliki nomor langkah (sop:step nomor), jadi tidak dapat dicocokkan dengan tabel SOP.",
        });
    }

    [Fact]
    public void A_task_without_sop_step_gets_both_warnings()
    {
        var task = """<bpmn:manualTask id="T" sop:candidateGroups="Sekretaris" />""";

        Validate(Linear(("T", task))).Select(p => p.Severity).Should().Equal(ProblemSeverity.Warning, ProblemSeverity.Warning);
    }

    [Fact]
    public void A_step_number_used_twice_is_a_warning()
    {
        var xml = Linear(("A", Task("A", 4, "1 jam")), ("B", Task("B", 4, "1 jam")));

        Validate(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Warning,
            ElementId = "B",
            Message = "Nomor langkah 4 dipakai oleh lebih dari satu tugas: \"Tugas A\" dan \"Tugas B\".",
        });
    }

    [Theory]
    [InlineData("15 Menit")]
    [InlineData("1 – 20 Hari Kerja")]
    [InlineData("2 hari")]
    public void A_readable_waktu_is_fine(string waktu)
    {
        Validate(Linear(("T", Task("T", 1, waktu)))).Should().BeEmpty();
    }

    [Fact]
    public void An_unreadable_waktu_is_an_error()
    {
        var problem = Errors(Linear(("T", Task("T", 2, "secepatnya")))).Should().ContainSingle().Subject;

        problem.ElementId.Should().Be("T");
        problem.Message.Should().StartWith("Langkah 2 \"Tugas T\": Waktu \"secepatnya\" tidak dapat dibaca");
    }

    [Fact]
    public void A_bare_number_waktu_takes_the_unit_of_the_column()
    {
        var xml = Process(Start() + Task("T", 1, "60") + End() + Chain("Start", "T", "End"), "sop:waktuSatuan=\"Menit\"");

        Validate(xml).Should().BeEmpty();
    }

    [Fact]
    public void A_bare_number_waktu_without_column_unit_is_an_error()
    {
        Errors(Linear(("T", Task("T", 1, "60")))).Should().ContainSingle().Which.ElementId.Should().Be("T");
    }

    [Fact]
    public void An_unknown_waktu_unit_is_an_error_on_the_process()
    {
        var xml = Process(Start() + Task("T", 1, "1 jam") + End() + Chain("Start", "T", "End"), "sop:waktuSatuan=\"detik\"");

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = ProcessId,
            ElementType = "process",
            Message = "Satuan Waktu \"detik\" (sop:waktuSatuan) pada Proses \"Proses Uji\" tidak dikenal; gunakan menit, jam, hari, hari kerja, minggu atau bulan.",
        });
    }

    public static TheoryData<string, string, bool> Timers => new()
    {
        { "timeDuration", "PT2H", true },
        { "timeDuration", "P1M", true },
        { "timeDuration", "2 Hari Kerja", true },
        { "timeDuration", "dua jam", false },
        { "timeDuration", "2H", false },
        { "timeDate", "2025-01-01T08:00:00+07:00", true },
        { "timeDate", "2025-01-01T08:00:00Z", true },
        { "timeDate", "besok pagi", false },
        { "timeDate", "01/02/2025", false },
    };

    [Theory]
    [MemberData(nameof(Timers))]
    public void Intermediate_timer_expressions_are_checked(string kind, string expression, bool valid)
    {
        var xml = Linear(("Tunggu", $"""<bpmn:intermediateCatchEvent id="Tunggu">{Timer(kind, expression)}</bpmn:intermediateCatchEvent>"""));

        Errors(xml).Select(p => p.ElementId).Should().Equal(valid ? [] : ["Tunggu"]);
    }

    [Theory]
    [InlineData("triwulan", true)]
    [InlineData("Triwulan", true)]
    [InlineData("R/2025-01-01T08:00:00+07:00/P3M", true)]
    [InlineData("R4/2025-01-01T08:00:00+07:00/P3M", true)]
    [InlineData("R/P1D", true)]
    [InlineData("setiap triwulan", false)]
    [InlineData("R/bukan-tanggal/P3M", false)]
    [InlineData("P3M", false)]
    public void Start_timer_cycles_are_checked(string expression, bool valid)
    {
        var xml = Process($"""<bpmn:startEvent id="Start">{Timer("timeCycle", expression)}</bpmn:startEvent>""" + End() + Flow("Start", "End"));

        Errors(xml).Select(p => p.ElementId).Should().Equal(valid ? [] : ["Start"]);
    }

    [Fact]
    public void A_cycle_on_a_boundary_timer_is_an_error()
    {
        var xml = Process(Start() + Task("T") + End() + Chain("Start", "T", "End")
            + $"""<bpmn:boundaryEvent id="B" attachedToRef="T">{Timer("timeCycle", "R/PT1H")}</bpmn:boundaryEvent>""" + Flow("B", "End"));

        Errors(xml).Should().ContainSingle().Which.Message.Should().Be(
            "Peristiwa batas \"B\" memakai timeCycle, yang hanya berlaku untuk peristiwa awal; gunakan timeDuration atau timeDate.");
    }

    [Fact]
    public void A_timer_without_expression_is_an_error()
    {
        var xml = Linear(("Tunggu", """<bpmn:intermediateCatchEvent id="Tunggu"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>"""));

        Errors(xml).Should().ContainSingle().Which.Message.Should().Be(
            "Peristiwa timer \"Tunggu\": timer tidak memiliki ekspresi waktu; isi timeDuration, timeDate atau timeCycle.");
    }

    [Theory]
    [InlineData("sop:collection=\"unitKerja\"", "")]
    [InlineData("", "<bpmn:loopCardinality>3</bpmn:loopCardinality>")]
    public void A_multi_instance_with_a_collection_or_cardinality_is_fine(string attributes, string content)
    {
        var task = $"""<bpmn:userTask id="T" sop:candidateGroups="Sekretaris"><bpmn:multiInstanceLoopCharacteristics {attributes}>{content}</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>""";

        Errors(Linear(("T", task))).Should().BeEmpty();
    }

    [Fact]
    public void A_multi_instance_without_collection_or_cardinality_is_an_error()
    {
        var task = """<bpmn:userTask id="T" name="Isi data" sop:candidateGroups="Sekretaris"><bpmn:multiInstanceLoopCharacteristics /></bpmn:userTask>""";

        Errors(Linear(("T", task))).Should().ContainSingle().Which.Message.Should().Be(
            "Tugas \"Isi data\" adalah multi-instance tanpa koleksi (sop:collection) maupun loopCardinality, jadi tidak diketahui berapa kali ia dijalankan.");
    }

    [Fact]
    public void A_multi_instance_with_zero_cardinality_is_an_error()
    {
        var task = """<bpmn:userTask id="T" sop:candidateGroups="Sekretaris"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>0</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>""";

        Errors(Linear(("T", task))).Should().ContainSingle().Which.Message.Should().Contain("loopCardinality 0 harus lebih dari nol");
    }

    [Fact]
    public void A_call_activity_without_called_element_is_an_error()
    {
        Errors(Linear(("C", """<bpmn:callActivity id="C" name="LKjIP" />"""))).Should().ContainSingle().Which.Message
            .Should().Be("Aktivitas panggilan \"LKjIP\" tidak menyebut definisi yang dipanggil (calledElement).");
    }

    [Theory]
    [InlineData(false, "Aktivitas panggilan \"C\" memanggil definisi \"penyusunan-lkjip\" yang belum di-deploy.")]
    [InlineData(true, null)]
    public void A_call_activity_must_call_a_deployed_definition(bool deployed, string? message)
    {
        var options = new ValidationOptions { DefinitionExists = key => deployed && key == "penyusunan-lkjip" };

        Errors(Linear(("C", """<bpmn:callActivity id="C" calledElement="penyusunan-lkjip" />""")), options).Select(p => p.Message)
            .Should().Equal(message is null ? [] : [message]);
    }

    [Fact]
    public void Called_definitions_are_not_checked_without_a_lookup()
    {
        Errors(Linear(("C", """<bpmn:callActivity id="C" calledElement="apa-saja" />"""))).Should().BeEmpty();
    }

    [Fact]
    public void A_boundary_event_on_a_gateway_is_an_error()
    {
        var xml = Process(Start() + """<bpmn:exclusiveGateway id="G" />""" + End() + Chain("Start", "G", "End")
            + $"""<bpmn:boundaryEvent id="B" attachedToRef="G">{Timer("timeDuration", "PT1H")}</bpmn:boundaryEvent>""" + Flow("B", "End"));

        Errors(xml).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = "B",
            Message = "Peristiwa batas \"B\" menempel pada Percabangan eksklusif \"G\"; peristiwa batas hanya boleh menempel pada tugas, sub-proses atau aktivitas panggilan.",
        });
    }

    [Theory]
    [InlineData("attachedToRef=\"Hilang\"", "Peristiwa batas \"B\" menempel pada \"Hilang\", yang tidak ada dalam proses.")]
    [InlineData("", "Peristiwa batas \"B\" tidak menempel pada aktivitas mana pun (attachedToRef).")]
    public void A_boundary_event_on_nothing_is_an_error(string attachedTo, string message)
    {
        var xml = Process(Start() + End() + Flow("Start", "End")
            + $"""<bpmn:boundaryEvent id="B" {attachedTo}>{Timer("timeDuration", "PT1H")}</bpmn:boundaryEvent>""" + Flow("B", "End"));

        Errors(xml).Should().ContainSingle().Which.Message.Should().Be(message);
    }

    [Fact]
    public void A_service_task_without_http_is_an_error()
    {
        Errors(Linear(("S", """<bpmn:serviceTask id="S" name="Kirim" />"""))).Should().ContainSingle().Which.Message
            .Should().Be("Tugas layanan \"Kirim\" tidak memiliki sop:http, jadi tidak ada yang dikerjakannya; tambahkan permintaan HTTP-nya.");
    }

    [Fact]
    public void A_send_task_without_notify_is_an_error()
    {
        Errors(Linear(("S", """<bpmn:sendTask id="S" name="Beritahu" />"""))).Should().ContainSingle().Which.Message
            .Should().Be("Tugas kirim \"Beritahu\" tidak memiliki sop:notify, jadi tidak ada pemberitahuan yang dikirimnya.");
    }

    [Theory]
    [InlineData("method=\"GET\" url=\"https://a.example/\"", null)]
    [InlineData("method=\"delete\" url=\"https://a.example/\"", null)]
    [InlineData("method=\"POST\"", "Tugas layanan \"S\": sop:http tidak memiliki url.")]
    [InlineData("url=\"https://a.example/\"", "Tugas layanan \"S\": sop:http tidak menyebut metode (method); gunakan GET, POST, PUT, PATCH atau DELETE.")]
    [InlineData("method=\"FETCH\" url=\"https://a.example/\"", "Tugas layanan \"S\": metode HTTP \"FETCH\" tidak didukung; gunakan GET, POST, PUT, PATCH atau DELETE.")]
    public void An_http_call_needs_a_url_and_a_known_method(string attributes, string? message)
    {
        var task = $"""<bpmn:serviceTask id="S"><bpmn:extensionElements><sop:http {attributes} /></bpmn:extensionElements></bpmn:serviceTask>""";

        Errors(Linear(("S", task))).Select(p => p.Message).Should().Equal(message is null ? [] : [message]);
    }

    [Fact]
    public void An_empty_notification_is_an_error()
    {
        var task = """<bpmn:sendTask id="S"><bpmn:extensionElements><sop:notify role="Sekretaris"> </sop:notify></bpmn:extensionElements></bpmn:sendTask>""";

        Errors(Linear(("S", task))).Should().ContainSingle().Which.Message.Should().Be("Tugas kirim \"S\": pesan sop:notify kosong.");
    }

    [Fact]
    public void A_notification_to_an_unknown_role_is_an_error()
    {
        var task = """<bpmn:sendTask id="S"><bpmn:extensionElements><sop:notify role="Bendahara">Laporan siap</sop:notify></bpmn:extensionElements></bpmn:sendTask>""";

        Errors(Linear(("S", task)), Office).Should().ContainSingle().Which.Message
            .Should().Be("Tugas kirim \"S\" memberi tahu peran \"Bendahara\" yang tidak terdaftar di kantor ini.");
    }
}
