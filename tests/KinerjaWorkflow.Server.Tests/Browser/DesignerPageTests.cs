using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DesignerPageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public DesignerPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_admin_changes_a_steps_Waktu_sees_how_the_service_reads_it_and_publishes_a_new_version()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var admin = await _host.ApiAsync("erasukma");
        var page = await _host.SignInAsync("erasukma");
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Text);

        await page.GetByRole(AriaRole.Link, new() { Name = "Desainer SOP" }).ClickAsync();
        await Expect(page.Locator("#designer-status")).ToContainTextAsync($"{BinaMarga.Key} · versi 1 terbit");
        console.Should().NotContain(m => m.Contains("unsupported configuration"), "bpmn-js binds its keyboard to the canvas itself");
        await Expect(page.Locator("#sop-select")).ToHaveValueAsync(BinaMarga.Key);
        await page.Locator("[data-element-id='Langkah_02']").ClickAsync();

        var waktu = page.GetByLabel("Waktu (Mutu Baku)");
        await Expect(waktu).ToHaveValueAsync("2 Jam");
        await waktu.FillAsync("1 - 3 hari kerja");
        await Expect(page.Locator("#waktu-preview .waktu-deadline")).ToHaveTextAsync("3 hari kerja");
        await Expect(page.Locator("#waktu-preview")).ToContainTextAsync("Waktu harapan1 hari kerja");
        await Expect(page.Locator("#waktu-preview .waktu-due")).ToHaveTextAsync("Jum, 16 Okt 2026, 08.00 WIB");
        await BrowserHost.ScreenshotAsync(page, "designer");

        await PublishAsync(page, "Waktu langkah 2 menjadi 1 - 3 hari kerja");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("Versi 2 diterbitkan");

        var definition = await admin.GetAsync($"/api/definitions/{BinaMarga.Key}").OkJsonAsync();
        definition.GetProperty("version").GetInt32().Should().Be(2);
        var published = definition.GetProperty("versions").EnumerateArray().Last();
        published.GetProperty("publishedBy").GetString().Should().Be("erasukma");
        published.GetProperty("changeNote").GetString().Should().Be("Waktu langkah 2 menjadi 1 - 3 hari kerja");
        var step2 = definition.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "Langkah_02");
        step2.GetProperty("waktu").GetString().Should().Be("1 - 3 hari kerja");
        definition.GetProperty("steps").GetArrayLength().Should().Be(11, "the designer keeps every SOP field of the other steps");
        var step9 = definition.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "Langkah_09");
        step9.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).Should().Equal("setuju", "dikembalikan");
    }

    [Fact]
    public async Task A_Waktu_the_service_cannot_read_is_shown_in_the_preview_and_marked_on_its_step_by_the_server()
    {
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("versi 1 terbit");
        await page.Locator("[data-element-id='Langkah_04']").ClickAsync();

        await page.GetByLabel("Waktu (Mutu Baku)").FillAsync("secepatnya");
        await Expect(page.Locator("#waktu-preview")).ToContainTextAsync("tidak dapat dibaca");
        await page.GetByRole(AriaRole.Button, new() { Name = "Periksa" }).ClickAsync();

        await Expect(page.Locator("#problems")).ToContainTextAsync("Langkah_04");
        await Expect(page.Locator("[data-element-id='Langkah_04'].problem-error")).ToHaveCountAsync(1);
        await Expect(page.Locator(".djs-overlay .problem-badge.error")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_new_SOP_from_the_blank_template_has_the_offices_roles_as_lanes_and_publishes()
    {
        var admin = await _host.ApiAsync("erasukma");
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("versi 1 terbit");

        await page.GetByRole(AriaRole.Button, new() { Name = "SOP baru" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Nama SOP").FillAsync("Pelaporan Insidental");
        await Expect(dialog.GetByLabel("Kunci (ID proses)")).ToHaveValueAsync("pelaporan-insidental");
        await dialog.GetByLabel("Bidang").UncheckAsync();
        await dialog.GetByLabel("Perencanaan").UncheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Buat" }).ClickAsync();

        await Expect(page.Locator("#designer-status")).ToContainTextAsync("pelaporan-insidental · belum pernah diterbitkan");
        foreach (var lane in new[] { "Kepala Dinas", "Sekretaris", "Tim SAKIP" })
        {
            await Expect(page.Locator(".djs-shape[data-element-id^='Lajur_']").Filter(new() { HasText = lane })).ToHaveCountAsync(1);
        }

        await Expect(page.Locator(".djs-shape[data-element-id^='Lajur_']")).ToHaveCountAsync(3);
        await page.Locator("[data-element-id='Lajur_2']").ClickAsync(new() { Position = new() { X = 60, Y = 20 } });
        var role = page.GetByLabel("Peran (Pelaksana)");
        await Expect(role).ToHaveValueAsync("Sekretaris");
        await Expect(role.Locator("option")).ToHaveTextAsync(["Kepala Dinas", "Sekretaris", "Bidang", "Tim SAKIP", "Perencanaan"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "Periksa" }).ClickAsync();
        await Expect(page.Locator(".toast.flash-success")).ToContainTextAsync("Tidak ada masalah: siap diterbitkan.");
        await PublishAsync(page, "SOP baru untuk pelaporan insidental");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("Versi 1 diterbitkan");

        var definition = await admin.GetAsync("/api/definitions/pelaporan-insidental").OkJsonAsync();
        definition.GetProperty("name").GetString().Should().Be("Pelaporan Insidental");
        definition.GetProperty("steps").EnumerateArray().Single().GetProperty("waktu").GetString().Should().Be("1 Hari Kerja");
    }

    [Fact]
    public async Task Publishing_shows_what_changes_and_needs_a_change_note_which_the_version_history_keeps()
    {
        var admin = await _host.ApiAsync("erasukma");
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync($"{BinaMarga.Key} · versi 1 terbit");
        await page.Locator("#version-history summary").ClickAsync();
        await Expect(page.Locator("#version-history")).ToContainTextAsync(
            "Diterbitkan dari berkas workflows/dinas-bina-marga-sumbar/pengumpulan-data-kinerja.bpmn");
        await page.Locator("[data-element-id='Langkah_05']").ClickAsync();
        await page.GetByLabel("Waktu (Mutu Baku)").FillAsync("3 Jam");

        await page.GetByRole(AriaRole.Button, new() { Name = "Terbitkan versi baru" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Terbitkan versi baru?" });
        await Expect(dialog.Locator("#publish-key")).ToHaveTextAsync(BinaMarga.Key);
        await Expect(dialog.Locator("#publish-version")).ToHaveTextAsync("versi 1 → versi 2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Batal" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Terbitkan versi baru" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Terbitkan", Exact = true }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        (await dialog.GetByLabel("Catatan perubahan").EvaluateAsync<bool>("e => e.validity.valueMissing")).Should().BeTrue();
        (await dialog.GetByLabel("Catatan perubahan").EvaluateAsync<string>("e => e.validationMessage"))
            .Should().Be("Catatan perubahan wajib diisi sebelum menerbitkan.");
        (await admin.GetAsync($"/api/definitions/{BinaMarga.Key}").OkJsonAsync()).GetProperty("version").GetInt32()
            .Should().Be(1, "neither cancelling nor an empty note publishes anything");

        await dialog.GetByLabel("Catatan perubahan").FillAsync("Waktu langkah 5 menjadi 3 Jam");
        await BrowserHost.ScreenshotAsync(page, "designer-publish");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Terbitkan", Exact = true }).ClickAsync();
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("Versi 2 diterbitkan");
        await Expect(page.Locator("#version-history summary")).ToHaveTextAsync("Riwayat versi (2)");
        await Expect(page.Locator("#version-history .version-item").First).ToContainTextAsync("Versi 2");
        await Expect(page.Locator("#version-history .version-item").First).ToContainTextAsync("Erasukma Munaf, ST, MMI (Kepala Dinas)");
        await Expect(page.Locator("#version-history .version-item").First).ToContainTextAsync("Waktu langkah 5 menjadi 3 Jam");

        var definition = await admin.GetAsync($"/api/definitions/{BinaMarga.Key}").OkJsonAsync();
        var published = definition.GetProperty("versions")[1];
        published.GetProperty("source").GetString().Should().Be("designer");
        published.GetProperty("publishedByName").GetString().Should().Be("Erasukma Munaf, ST, MMI (Kepala Dinas)");
        published.GetProperty("changeNote").GetString().Should().Be("Waktu langkah 5 menjadi 3 Jam");
    }

    [Fact]
    public async Task A_draft_saved_in_the_browser_is_offered_again_and_the_bpmn_downloads()
    {
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("versi 1 terbit");
        await page.Locator("[data-element-id='Langkah_05']").ClickAsync();
        await page.GetByLabel("Waktu (Mutu Baku)").FillAsync("4 Jam");
        await Expect(page.Locator("#waktu-preview .waktu-deadline")).ToHaveTextAsync("4 jam");

        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan draf" }).ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Unduh .bpmn" }).ClickAsync());
        download.SuggestedFilename.Should().Be($"{BinaMarga.Key}.bpmn");
        var file = await File.ReadAllTextAsync((await download.PathAsync())!);
        file.Should().Contain("waktu=\"4 Jam\"").And.Contain("xmlns:sop=\"https://kinerjaworkflow.id/schema/sop/1.0\"");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pulihkan draf" }).ClickAsync();
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("Draf dipulihkan");
        await page.Locator("[data-element-id='Langkah_05']").ClickAsync();
        await Expect(page.GetByLabel("Waktu (Mutu Baku)")).ToHaveValueAsync("4 Jam");
    }

    [Fact]
    public async Task Camunda_settings_the_engine_ignores_are_warned_of_in_the_deploy_answer_and_marked_in_the_designer()
    {
        var admin = await _host.ApiAsync("erasukma");
        using var file = new StringContent(FromCamundaModeler, System.Text.Encoding.UTF8, "application/xml");
        using var deployed = await admin.PostAsync("/api/definitions?changeNote=Dari%20Camunda%20Modeler", file);
        deployed.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        var warnings = (await deployed.ReadJsonAsync()).GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("message").GetString()).ToList();
        string[] expected =
        [
            "Atribut camunda:asyncBefore pada Peristiwa awal \"Mulai\" diabaikan",
            "Atribut camunda:dueDate pada Tugas \"Periksa\" diabaikan",
            "Atribut camunda:formKey pada Tugas \"Periksa\" diabaikan",
            "Ekstensi camunda:taskListener pada Tugas \"Periksa\" diabaikan",
            "Atribut camunda:class pada Tugas layanan \"Kirim\" diabaikan",
        ];
        warnings.Should().HaveCount(expected.Length).And.SatisfyRespectively(expected.Select(e => (Action<string?>)(w => w.Should().StartWith(e))));

        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("versi 1 terbit");
        await page.Locator("#sop-select").SelectOptionAsync("dari-camunda");
        await page.GetByRole(AriaRole.Button, new() { Name = "Buka" }).ClickAsync();
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("dari-camunda · versi 1 terbit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Periksa" }).ClickAsync();

        await Expect(page.Locator("#problems-heading")).ToHaveTextAsync("Hasil pemeriksaan: 0 kesalahan, 5 peringatan");
        foreach (var warning in expected)
        {
            await Expect(page.Locator("#problems")).ToContainTextAsync(warning);
        }

        await Expect(page.Locator("[data-element-id='Periksa'].problem-warning")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-element-id='Kirim'].problem-warning")).ToHaveCountAsync(1);
    }

    /// <summary>An SOP as Camunda Modeler saves it: its engine's listener, due date, form, async flag and Java class, which this engine runs none of.</summary>
    private const string FromCamundaModeler = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0" id="Definitions_Camunda" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="dari-camunda" name="Dari Camunda" isExecutable="true" camunda:historyTimeToLive="180">
            <bpmn:startEvent id="Mulai" name="Mulai" camunda:asyncBefore="true" />
            <bpmn:sequenceFlow id="Alur_1" sourceRef="Mulai" targetRef="Periksa" />
            <bpmn:userTask id="Periksa" name="Periksa" sop:candidateGroups="Kepala Dinas" camunda:dueDate="${tenggat}" camunda:formKey="embedded:app:forms/periksa.html">
              <bpmn:extensionElements>
                <sop:step nomor="1" waktu="1 jam" />
                <camunda:taskListener event="create"><camunda:script scriptFormat="javascript">java.lang.Runtime.getRuntime().exec("id")</camunda:script></camunda:taskListener>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="Alur_2" sourceRef="Periksa" targetRef="Kirim" />
            <bpmn:serviceTask id="Kirim" name="Kirim" camunda:class="org.contoh.Kirim">
              <bpmn:extensionElements><sop:http method="POST" url="https://monev.example/api/laporan" /></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="Alur_3" sourceRef="Kirim" targetRef="Selesai" />
            <bpmn:endEvent id="Selesai" name="Selesai" />
          </bpmn:process>
          <bpmndi:BPMNDiagram id="Diagram">
            <bpmndi:BPMNPlane id="Plane" bpmnElement="dari-camunda">
              <bpmndi:BPMNShape id="Mulai_di" bpmnElement="Mulai"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="Periksa_di" bpmnElement="Periksa"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="Kirim_di" bpmnElement="Kirim"><dc:Bounds x="360" y="78" width="100" height="80" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="Selesai_di" bpmnElement="Selesai"><dc:Bounds x="520" y="100" width="36" height="36" /></bpmndi:BPMNShape>
              <bpmndi:BPMNEdge id="Alur_1_di" bpmnElement="Alur_1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="Alur_2_di" bpmnElement="Alur_2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="Alur_3_di" bpmnElement="Alur_3"><di:waypoint x="460" y="118" /><di:waypoint x="520" y="118" /></bpmndi:BPMNEdge>
            </bpmndi:BPMNPlane>
          </bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    private static async Task PublishAsync(IPage page, string changeNote)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Terbitkan versi baru" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Terbitkan versi baru?" });
        await dialog.GetByLabel("Catatan perubahan").FillAsync(changeNote);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Terbitkan", Exact = true }).ClickAsync();
    }
}
