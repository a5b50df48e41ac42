using KinerjaWorkflow.Engine.Bpmn;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>Input the reader refuses: it says what and where, and never throws.</summary>
public class BpmnReaderRefusalTests
{
    [Fact]
    public void Malformed_xml_is_one_error_with_line_and_column()
    {
        var xml = "<?xml version=\"1.0\"?>\n<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n  <bpmn:process id=\"p\">\n    <bpmn:startEvent id=\"S\">\n  </bpmn:process>\n</bpmn:definitions>";

        var result = BpmnReader.Read(xml);

        result.Model.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.Severity.Should().Be(ProblemSeverity.Error);
        (problem.Line, problem.Column).Should().Be((5, 5));
        problem.Message.Should().StartWith("Berkas BPMN bukan XML yang sah: ").And.EndWith(" (baris 5, kolom 5).");
    }

    [Theory]
    [InlineData("<a></b>", "tag pembuka <a> (baris 1, kolom 2) ditutup dengan tag penutup </b> yang tidak cocok (baris 1, kolom 6).")]
    [InlineData("<a><b>", "berkas berakhir sebelum elemen berikut ditutup: b, a (baris 1, kolom 7).")]
    [InlineData("<a b=1/>", "'1' tidak terduga di sini; yang diharapkan '\"' atau ''' (baris 1, kolom 6).")]
    [InlineData("<a><x:b/></a>", "awalan namespace 'x' belum dideklarasikan (xmlns:x) (baris 1, kolom 5).")]
    [InlineData("<a/><b/>", "ada lebih dari satu elemen utama (baris 1, kolom 6).")]
    [InlineData("<a>&foo;</a>", "entitas '&foo;' tidak dikenal; tulis tanda & sebagai &amp; (baris 1, kolom 5).")]
    [InlineData("<a b=\"1\" b=\"2\"/>", "atribut 'b' ditulis dua kali pada satu elemen (baris 1, kolom 10).")]
    public void Common_xml_faults_are_explained_in_bahasa(string xml, string explanation)
    {
        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.Message.Should().Be("Berkas BPMN bukan XML yang sah: " + explanation);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public void An_empty_file_is_an_error(string xml)
    {
        var result = BpmnReader.Read(xml);

        result.Model.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should().Be("Berkas BPMN kosong.");
    }

    [Fact]
    public void A_doctype_with_an_external_entity_is_refused_without_reading_the_entity()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"kinerja-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "RAHASIA-XXE");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE definitions [ <!ENTITY rahasia SYSTEM "file://{secret}"> ]>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">
                  <bpmn:process id="p" name="&rahasia;" isExecutable="true" />
                </bpmn:definitions>
                """;

            var result = BpmnReader.Read(xml);

            result.Model.Should().BeNull();
            var problem = result.Problems.Should().ContainSingle().Subject;
            (problem.Line, problem.Column).Should().Be((2, 1));
            problem.Message.Should().Contain("DOCTYPE").And.Contain("tidak diizinkan").And.NotContain("RAHASIA");
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void A_billion_laughs_entity_expansion_is_refused()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <lolz>&lol2;</lolz>
            """;

        BpmnReader.Read(xml).Should().BeEquivalentTo(new { Model = (object?)null, Problems = new[] { new { Severity = ProblemSeverity.Error, Line = 2 } } });
    }

    [Fact]
    public void A_doctype_inside_an_element_is_no_doctype_declaration()
    {
        var xml = "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n"
            + "<bpmn:documentation><![CDATA[<!DOCTYPE html>]]></bpmn:documentation>\n"
            + "<bpmn:process id=\"p\"></bpmn:proces>\n"
            + "</bpmn:definitions>";

        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.Message.Should().StartWith("Berkas BPMN bukan XML yang sah: ").And.Contain("(baris 3, kolom");
    }

    [Fact]
    public void A_document_that_is_not_bpmn_is_an_error()
    {
        var result = BpmnReader.Read("<workflow xmlns=\"urn:elsa\"><activity /></workflow>");

        result.Model.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should().StartWith("Berkas ini bukan definisi BPMN 2.0: elemen akarnya <workflow>");
    }

    [Theory]
    [InlineData("", "Berkas BPMN tidak memiliki proses.")]
    [InlineData("<bpmn:process id=\"p\" isExecutable=\"false\" />", "Berkas BPMN tidak memiliki proses yang dapat dijalankan: tandai satu proses dengan isExecutable=\"true\".")]
    [InlineData("<bpmn:process id=\"a\" /><bpmn:process id=\"b\" />", "Berkas BPMN tidak memiliki proses yang dapat dijalankan: tandai satu proses dengan isExecutable=\"true\".")]
    public void A_file_without_an_executable_process_has_no_model(string processes, string message)
    {
        var result = BpmnReader.Read(Definitions(processes));

        result.Model.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should().Be(message);
    }

    [Fact]
    public void A_second_executable_process_is_an_error_naming_it()
    {
        var xml = Definitions("""
            <bpmn:process id="pertama" isExecutable="true"><bpmn:startEvent id="S" /></bpmn:process>
            <bpmn:process id="kedua" name="Proses Kedua" isExecutable="true" />
            """);

        var result = BpmnReader.Read(xml);

        result.Model!.Key.Should().Be("pertama");
        result.Problems.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Severity = ProblemSeverity.Error,
            ElementId = "kedua",
            ElementType = "process",
            Message = "Proses \"Proses Kedua\" adalah proses kedua yang dapat dijalankan; satu berkas hanya boleh memiliki satu proses yang dapat dijalankan.",
        });
    }

    [Fact]
    public void A_collaboration_with_two_pools_and_a_message_flow_is_refused()
    {
        var xml = Definitions("""
            <bpmn:collaboration id="C">
              <bpmn:participant id="Pool_1" processRef="p" />
              <bpmn:participant id="Pool_2" name="Warga" />
              <bpmn:messageFlow id="Pesan" sourceRef="Pool_2" targetRef="Pool_1" />
            </bpmn:collaboration>
            <bpmn:process id="p" isExecutable="true" />
            """);

        BpmnReader.Read(xml).Problems.Select(p => (p.ElementId, p.ElementType)).Should().Equal(("Pool_2", "participant"), ("Pesan", "messageFlow"));
    }

    [Fact]
    public void A_pool_referring_to_another_process_is_an_error()
    {
        var xml = Definitions("""
            <bpmn:collaboration id="C"><bpmn:participant id="Pool_1" processRef="lain" /></bpmn:collaboration>
            <bpmn:process id="p" isExecutable="true" />
            """);

        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.ElementId.Should().Be("Pool_1");
    }

    public static TheoryData<string, string, string> UnsupportedElements => new()
    {
        { """<bpmn:scriptTask id="X" />""", "scriptTask", "mesin ini tidak menjalankan kode" },
        { """<bpmn:businessRuleTask id="X" />""", "businessRuleTask", "DMN" },
        { """<bpmn:receiveTask id="X" />""", "receiveTask", "pesan masuk" },
        { """<bpmn:eventBasedGateway id="X" />""", "eventBasedGateway", "percabangan (gateway) berbasis peristiwa" },
        { """<bpmn:complexGateway id="X" />""", "complexGateway", "percabangan kompleks" },
        { """<bpmn:transaction id="X"><bpmn:startEvent id="Di_dalam" /></bpmn:transaction>""", "transaction", "transaksi" },
        { """<bpmn:adHocSubProcess id="X" />""", "adHocSubProcess", "ad hoc" },
        { """<bpmn:subProcess id="X" triggeredByEvent="true" />""", "subProcess", "sub-proses peristiwa" },
        { """<bpmn:intermediateThrowEvent id="X" />""", "intermediateThrowEvent", "peristiwa lempar" },
        { """<bpmn:startEvent id="X"><bpmn:messageEventDefinition /></bpmn:startEvent>""", "startEvent", "peristiwa awal pesan (message)" },
        { """<bpmn:startEvent id="X"><bpmn:signalEventDefinition /></bpmn:startEvent>""", "startEvent", "peristiwa awal sinyal (signal)" },
        { """<bpmn:startEvent id="X"><bpmn:conditionalEventDefinition /></bpmn:startEvent>""", "startEvent", "kondisional" },
        { """<bpmn:endEvent id="X"><bpmn:errorEventDefinition /></bpmn:endEvent>""", "endEvent", "peristiwa akhir galat (error)" },
        { """<bpmn:endEvent id="X"><bpmn:escalationEventDefinition /></bpmn:endEvent>""", "endEvent", "eskalasi" },
        { """<bpmn:endEvent id="X"><bpmn:messageEventDefinition /></bpmn:endEvent>""", "endEvent", "peristiwa akhir pesan" },
        { """<bpmn:intermediateCatchEvent id="X"><bpmn:linkEventDefinition /></bpmn:intermediateCatchEvent>""", "intermediateCatchEvent", "tautan (link)" },
        { """<bpmn:intermediateCatchEvent id="X"><bpmn:messageEventDefinition /></bpmn:intermediateCatchEvent>""", "intermediateCatchEvent", "peristiwa tangkap pesan" },
        { """<bpmn:intermediateCatchEvent id="X" />""", "intermediateCatchEvent", "tanpa definisi" },
        { """<bpmn:startEvent id="X"><bpmn:timerEventDefinition /><bpmn:messageEventDefinition /></bpmn:startEvent>""", "startEvent", "lebih dari satu definisi" },
        { """<bpmn:callChoreography id="X" />""", "callChoreography", "di luar bagian BPMN yang didukung" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedElements))]
    public void Unsupported_elements_are_errors_naming_id_type_and_why(string element, string type, string why)
    {
        var problem = BpmnReader.Read(Process(element)).Problems.Should().ContainSingle().Subject;

        problem.Should().BeEquivalentTo(new { Severity = ProblemSeverity.Error, ElementId = "X", ElementType = type });
        problem.Message.Should().StartWith($"Elemen {type} ").And.Contain("\"X\"").And.Contain("tidak didukung: ").And.Contain(why);
    }

    [Fact]
    public void An_unsupported_boundary_event_is_an_error()
    {
        var xml = Process("""
            <bpmn:userTask id="T" />
            <bpmn:boundaryEvent id="X" attachedToRef="T"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
            """);

        BpmnReader.Read(xml).Problems.Should().ContainSingle().Which.Message.Should().Be("Elemen boundaryEvent \"X\" tidak didukung: ini peristiwa batas galat (error), sedangkan yang didukung hanya peristiwa batas timer.");
    }

    [Fact]
    public void The_message_names_an_unsupported_element_by_name_and_id()
    {
        BpmnReader.Read(Process("""<bpmn:scriptTask id="Skrip_1" name="Hitung&#10;nilai" />""")).Problems.Single().Message
            .Should().Be("Elemen scriptTask \"Hitung nilai\" (Skrip_1) tidak didukung: mesin ini tidak menjalankan kode; gunakan tugas layanan dengan sop:http.");
    }

    [Fact]
    public void Standard_loop_characteristics_are_an_error_on_the_activity()
    {
        var xml = Process("""<bpmn:userTask id="T"><bpmn:standardLoopCharacteristics /></bpmn:userTask>""");

        BpmnReader.Read(xml).Problems.Should().ContainSingle()
            .Which.Should().Match<DefinitionProblem>(p => p.ElementId == "T" && p.Message.Contains("standardLoopCharacteristics"));
    }

    [Fact]
    public void A_duplicate_id_is_an_error_and_the_second_element_is_dropped()
    {
        var xml = Process("""<bpmn:userTask id="T" name="Pertama" /><bpmn:manualTask id="T" name="Kedua" />""");

        var result = BpmnReader.Read(xml);

        result.Problems.Should().ContainSingle().Which.Message.Should().Be(
            "Id \"T\" dipakai lebih dari satu elemen (userTask dan manualTask); setiap elemen memerlukan id yang unik. Elemen manualTask ini diabaikan.");
        result.Model!.Node("T").Name.Should().Be("Pertama");
    }

    [Fact]
    public void An_element_without_id_is_an_error()
    {
        var result = BpmnReader.Read(Process("""<bpmn:userTask name="Periksa" />"""));

        result.Problems.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ElementId = (string?)null,
            ElementType = "userTask",
            Message = "Elemen userTask \"Periksa\" tidak memiliki id; setiap elemen proses memerlukan id yang unik.",
        });
    }
}
