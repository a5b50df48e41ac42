using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>Files as the modelers in use write them: bpmn-js, Camunda Modeler, no prefix, semantic: prefix.</summary>
public class BpmnReaderStyleTests
{
    [Theory]
    [InlineData("bpmn-js.bpmn", "bina-marga-pengumpulan-data-kinerja", 4)]
    [InlineData("camunda-modeler.bpmn", "bps-bengkulu-capaian-kinerja", 2)]
    [InlineData("default-namespace.bpmn", "kecamatan-data-kinerja", 2)]
    [InlineData("semantic-prefix.bpmn", "bpkpad-balangan-data-kinerja", 2)]
    public void Reads_each_modeler_style_without_problems(string file, string key, int steps)
    {
        var model = ReadClean(Fixture(file));

        model.Key.Should().Be(key);
        model.HumanTasks.Should().HaveCount(steps);
    }

    [Fact]
    public void BpmnJs_file_gives_lanes_as_roles()
    {
        var model = ReadClean(Fixture("bpmn-js.bpmn"));

        model.HumanTasks.ToDictionary(t => t.Id, t => t.Roles.Single()).Should().Equal(new Dictionary<string, string>
        {
            ["Langkah_01"] = "Kepala Dinas",
            ["Langkah_02"] = "Sekretaris",
            ["Langkah_03"] = "Bidang",
            ["Langkah_04"] = "Sekretaris",
        });
        model.Lanes.Select(l => (l.Id, l.Role)).Should().Equal(
            ("Lane_Kepala", "Kepala Dinas"), ("Lane_Sekretaris", "Sekretaris"), ("Lane_Bidang", "Bidang"));
    }

    [Fact]
    public void BpmnJs_file_takes_the_process_name_from_the_pool()
    {
        ReadClean(Fixture("bpmn-js.bpmn")).Name.Should().Be("Pengumpulan Data Kinerja");
    }

    [Fact]
    public void BpmnJs_file_gives_the_sop_identity_and_waktu_unit()
    {
        var model = ReadClean(Fixture("bpmn-js.bpmn"));

        model.Identity.Should().Be(new SopIdentity(
            "150.2/SOP-BMCKSTR/2024",
            "Pengumpulan Data Kinerja",
            "Dinas Bina Marga, Cipta Karya dan Tata Ruang Provinsi Sumatera Barat",
            "Kepala Dinas, ERASUKMA MUNAF, ST, MMI",
            "2024-01-11",
            "122 Hari 3 jam"));
        model.WaktuSatuan.Should().Be("menit");
    }

    [Fact]
    public void BpmnJs_file_gives_the_sop_fields_of_a_step()
    {
        var step = ((HumanTask)ReadClean(Fixture("bpmn-js.bpmn")).Node("Langkah_04")).Step;

        step.Should().BeEquivalentTo(new SopStep(
            4,
            "Data kinerja",
            "30",
            "Data kinerja lengkap",
            "jika tidak maka dikembalikan untuk dilengkapi",
            ["lengkap", "dikembalikan"]));
    }

    [Fact]
    public void BpmnJs_file_keeps_an_empty_keterangan_as_absent()
    {
        var step = ((HumanTask)ReadClean(Fixture("bpmn-js.bpmn")).Node("Langkah_01")).Step!;

        step.Keterangan.Should().BeNull();
        step.DeclaredOutcomes.Should().BeNull();
    }

    [Fact]
    public void BpmnJs_file_keeps_a_name_with_a_line_break_as_written()
    {
        ReadClean(Fixture("bpmn-js.bpmn")).Node("Langkah_01").Name.Should().Be("Memerintahkan pengumpulan\ndata kinerja");
    }

    [Fact]
    public void BpmnJs_file_gives_parsed_conditions_and_multi_instance()
    {
        var model = ReadClean(Fixture("bpmn-js.bpmn"));

        model.Flows["Flow_Selesai"].ConditionText.Should().Be("outcome == \"lengkap\"");
        model.Flows["Flow_Selesai"].Condition.Should().NotBeNull();
        ((HumanTask)model.Node("Langkah_03")).MultiInstance.Should().Be(new MultiInstance(false, "unitKerja", "unit", null));
    }

    [Fact]
    public void Camunda_file_reads_candidate_groups_split_by_comma()
    {
        var task = (HumanTask)ReadClean(Fixture("camunda-modeler.bpmn")).Node("Periksa");

        task.CandidateGroups.Should().Equal("Tim SAKIP", "Kepala");
        task.LaneRole.Should().BeNull();
    }

    [Fact]
    public void Camunda_file_reads_the_collection_out_of_its_expression()
    {
        var task = (HumanTask)ReadClean(Fixture("camunda-modeler.bpmn")).Node("Isi_Capaian");

        task.MultiInstance.Should().Be(new MultiInstance(true, "timKerja", "tim", null));
    }

    [Fact]
    public void Camunda_file_reads_timers()
    {
        var model = ReadClean(Fixture("camunda-modeler.bpmn"));

        ((StartEvent)model.Node("Start_Triwulan")).Timer.Should().Be(new TimerDefinition(TimerKind.Cycle, "triwulan"));
        var boundary = (BoundaryTimerEvent)model.Node("Pengingat");
        boundary.Timer.Should().Be(new TimerDefinition(TimerKind.Duration, "PT2H"));
        boundary.CancelActivity.Should().BeFalse();
        boundary.AttachedTo.Id.Should().Be("Isi_Capaian");
        model.Node("Isi_Capaian").BoundaryEvents.Should().ContainSingle().Which.Should().BeSameAs(boundary);
    }

    [Fact]
    public void Camunda_file_reads_the_default_flow()
    {
        ((Gateway)ReadClean(Fixture("camunda-modeler.bpmn")).Node("Ada_Revisi")).DefaultFlowId.Should().Be("Flow_Lanjut");
    }

    [Fact]
    public void Camunda_file_reads_an_http_call_under_another_sop_prefix()
    {
        var http = ((ServiceTask)ReadClean(Fixture("camunda-modeler.bpmn")).Node("Kirim_Monev")).Http!;

        http.Method.Should().Be("POST");
        http.Url.Should().Be("https://monev.example/api/fra/${triwulan}");
        http.Headers.Should().BeEquivalentTo([KeyValuePair.Create("Content-Type", "application/json")]);
        http.BodyTemplate.Should().Be("{\"satker\": \"${satker}\", \"triwulan\": ${triwulan}}");
        http.ResultVariable.Should().Be("monev");
    }

    [Fact]
    public void Camunda_file_reads_a_notification()
    {
        var task = (ServiceTask)ReadClean(Fixture("camunda-modeler.bpmn")).Node("Ingatkan_Tim");

        task.Notification.Should().Be(new NotificationSpec("Tim Kerja", "Capaian ${businessKey} belum diisi"));
        task.Http.Should().BeNull();
    }

    [Fact]
    public void Default_namespace_file_puts_sub_process_nodes_in_the_sub_process_scope()
    {
        var model = ReadClean(Fixture("default-namespace.bpmn"));

        var subProcess = (SubProcess)model.Node("Sub_Kumpul");
        subProcess.Inner.Nodes.Keys.Should().BeEquivalentTo("Sub_Start", "Kumpul", "Sub_End");
        model.Node("Kumpul").Scope.Should().BeSameAs(subProcess.Inner);
        model.Root.Nodes.Should().NotContainKey("Kumpul");
        subProcess.Inner.Flows.Select(f => f.Id).Should().BeEquivalentTo("Sub_Flow_1", "Sub_Flow_2");
    }

    [Fact]
    public void Default_namespace_file_gives_sub_process_tasks_the_lane_of_their_sub_process()
    {
        ((HumanTask)ReadClean(Fixture("default-namespace.bpmn")).Node("Kumpul")).LaneRole.Should().Be("Kasubag Umum dan Kepegawaian");
    }

    [Fact]
    public void Default_namespace_file_reads_call_activity_timer_and_parallel_gateways()
    {
        var model = ReadClean(Fixture("default-namespace.bpmn"));

        ((CallActivity)model.Node("Panggil_LKjIP")).CalledElement.Should().Be("penyusunan-lkjip");
        ((IntermediateTimerEvent)model.Node("Tunggu")).Timer.Should().Be(new TimerDefinition(TimerKind.Duration, "2 Hari Kerja"));
        ((Gateway)model.Node("Fork")).Kind.Should().Be(GatewayKind.Parallel);
        model.Node("Join").Incoming.Should().HaveCount(2);
    }

    [Fact]
    public void Semantic_prefix_file_lets_the_innermost_lane_win()
    {
        var model = ReadClean(Fixture("semantic-prefix.bpmn"));

        ((HumanTask)model.Node("Olah")).LaneRole.Should().Be("Kepala Seksi");
        ((HumanTask)model.Node("Telaah")).LaneRole.Should().Be("Kepala Bidang");
    }

    [Fact]
    public void Semantic_prefix_file_reads_task_kinds_inclusive_gateway_and_terminate_end()
    {
        var model = ReadClean(Fixture("semantic-prefix.bpmn"));

        ((HumanTask)model.Node("Telaah")).TaskKind.Should().Be(HumanTaskKind.Manual);
        ((HumanTask)model.Node("Olah")).TaskKind.Should().Be(HumanTaskKind.Plain);
        ((Gateway)model.Node("Pilih")).Should().BeEquivalentTo(new { Kind = GatewayKind.Inclusive, DefaultFlowId = "Flow_Lewati" });
        ((EndEvent)model.Node("End")).Terminate.Should().BeTrue();
    }

    [Fact]
    public void A_single_process_without_the_executable_flag_counts()
    {
        var xml = Definitions("""<bpmn:process id="p"><bpmn:startEvent id="S" /></bpmn:process>""");

        ReadClean(xml).Key.Should().Be("p");
    }

    [Fact]
    public void Non_executable_processes_beside_the_executable_one_are_ignored()
    {
        var xml = Definitions("""
            <bpmn:process id="lain" isExecutable="false"><bpmn:startEvent id="S_lain" /></bpmn:process>
            <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="S" /></bpmn:process>
            """);

        ReadClean(xml).Nodes.Keys.Should().Equal("S");
    }
}
