using System.Globalization;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>
/// The step as the SOP writes it on the task page, the diagram's step numbers, readable labels and zoom buttons,
/// and the SOP-AP header in the designer.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SopStepPageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public SopStepPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_task_page_shows_the_step_number_its_full_Uraian_its_Mutu_Baku_and_where_each_outcome_leads()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW3");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02", "Langkah_03", "Langkah_04", "Langkah_05");
        await office.CompleteFormsAsync(instance, 5);
        await office.CompleteAsync(instance, "Langkah_07", "Langkah_08");
        var task = await office.Kepala.OpenTaskAsync(instance, "Langkah_09");

        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync($"/tugas/{task}");

        var step = page.Locator("#sop-step");
        await Expect(step.Locator("h2")).ToHaveTextAsync("Langkah 9 menurut SOP");
        await Expect(page.Locator("#sop-uraian")).ToHaveTextAsync(
            "Kepala Dinas, Sekretaris, Bidang bersama Tim SAKIP menganalisa hasil data kinerja yang telah direkapitulasi, apabila setuju akan digunakan sebagai bahan untuk pengukuran kinerja, jika tidak maka dikembalikan untuk dilengkapi sesuai arahan");
        await Expect(step.Locator("h3.mutu-baku")).ToHaveTextAsync("Mutu Baku");
        await Expect(page.Locator("#sop-kelengkapan")).ToHaveTextAsync("Laporan hasil rekapitulasi data kinerja");
        await Expect(page.Locator("#sop-waktu")).ToHaveTextAsync("1 jam");
        await Expect(page.Locator("#sop-output")).ToHaveTextAsync("Hasil Analisa data kinerja");
        await Expect(page.Locator("#sop-pelaksana")).ToHaveTextAsync("Kepala Dinas");
        await Expect(page.Locator("#sop-outcomes li")).ToHaveTextAsync([
            "Setuju: lanjut ke langkah 10 (Sekretaris)",
            "Dikembalikan: kembali ke langkah 6 (Bidang, Sekretaris)",
        ]);
        await Expect(page.Locator("#sheet-link")).ToHaveAttributeAsync("href", $"/sop/{BinaMarga.Key}/versi/1?instance={instance}");
        await BrowserHost.ScreenshotAsync(page, "task-sop-step");
    }

    [Fact]
    public async Task The_diagram_numbers_each_step_keeps_Dikembalikan_whole_clears_the_task_icon_and_zooms_with_its_buttons()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW3");

        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync($"/instans/{instance}");

        await Expect(page.Locator("#diagram .step-badge")).ToHaveCountAsync(11);
        await Expect(page.Locator("[data-element-id='Langkah_09'] .step-badge")).ToHaveTextAsync("9");
        await Expect(page.Locator("[data-element-id='Flow_Dikembalikan_label'] text tspan")).ToHaveTextAsync(["Dikembalikan"]);
        var firstLine = await page.Locator("[data-element-id='Langkah_05'] text.djs-label tspan").First.GetAttributeAsync("y");
        double.Parse(firstLine!, CultureInfo.InvariantCulture).Should().BeGreaterThan(24, "the first line of the name starts below the user icon in the task's top-left corner");

        await BrowserHost.ScreenshotAsync(page, "instance-step-numbers");
        var before = await ScaleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Perbesar" }).ClickAsync();
        var larger = await ScaleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Perkecil" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Perkecil" }).ClickAsync();
        var smaller = await ScaleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sesuaikan ke layar" }).ClickAsync();

        larger.Should().BeApproximately(before * 1.25, 0.01);
        smaller.Should().BeApproximately(before * 0.8, 0.01);
        (await ScaleAsync(page)).Should().BeApproximately(before, 0.01);
    }

    [Fact]
    public async Task The_designer_edits_every_SOP_AP_header_field_and_opens_the_sheet_of_the_published_version()
    {
        var admin = await _host.ApiAsync("erasukma");
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("versi 1 terbit");
        await Expect(page.Locator("[data-element-id='Langkah_09'] .step-badge")).ToHaveTextAsync("9");
        // The pool's name band, left of its lanes: selecting the pool shows the process's SOP identity.
        var pool = await page.Locator("[data-element-id='Participant_BinaMarga']").BoundingBoxAsync();
        await page.Mouse.ClickAsync(pool!.X + 12, pool.Y + (pool.Height / 2));

        await Expect(page.GetByLabel("Kualifikasi Pelaksana")).ToHaveValueAsync("Pendidikan minimal S1 atau sederajat\nMemiliki kemampuan untuk menganalisa data\nBisa mengoperasikan komputer");
        await page.GetByLabel("Dasar Hukum").FillAsync("Peraturan MENPAN dan RB Nomor 35 Tahun 2012\nPeraturan Gubernur Sumatera Barat tentang SAKIP");
        await page.GetByLabel("Tanggal revisi").FillAsync("2026-10-13");
        await page.GetByLabel("Pencatatan dan Pendataan").FillAsync("Disimpan dalam arsip Tim SAKIP");
        await page.GetByRole(AriaRole.Button, new() { Name = "Terbitkan versi baru" }).ClickAsync();
        var publish = page.GetByRole(AriaRole.Dialog, new() { Name = "Terbitkan versi baru?" });
        await publish.GetByLabel("Catatan perubahan").FillAsync("Kepala SOP-AP dilengkapi");
        await publish.GetByRole(AriaRole.Button, new() { Name = "Terbitkan", Exact = true }).ClickAsync();
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("Versi 2 diterbitkan");

        var identity = (await admin.GetAsync($"/api/definitions/{BinaMarga.Key}").OkJsonAsync()).GetProperty("identity");
        identity.GetProperty("legalBasis").EnumerateArray().Select(i => i.GetString()).Should().Equal(
            "Peraturan MENPAN dan RB Nomor 35 Tahun 2012", "Peraturan Gubernur Sumatera Barat tentang SAKIP");
        identity.GetProperty("revisionDate").GetString().Should().Be("2026-10-13");
        identity.GetProperty("recordKeeping").EnumerateArray().Select(i => i.GetString()).Should().Equal("Disimpan dalam arsip Tim SAKIP");
        identity.GetProperty("qualifications").GetArrayLength().Should().Be(3, "the fields left alone keep their items");

        var sheet = await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Lembar SOP" }).ClickAsync());
        await Expect(sheet).ToHaveURLAsync(new Regex($"/sop/{BinaMarga.Key}/versi/2$"));
        await Expect(sheet.Locator("#sheet-revised")).ToHaveTextAsync("13 Oktober 2026");
        await Expect(sheet.Locator("#sheet-legal li")).ToHaveCountAsync(2);
    }

    /// <summary>The canvas's zoom, read from the transform bpmn-js puts on its viewport.</summary>
    private static async Task<double> ScaleAsync(IPage page)
    {
        var transform = await page.Locator("#diagram svg g.viewport").First.GetAttributeAsync("transform");
        return double.Parse(Matrix().Match(transform!).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"matrix\(\s*([\d.eE+-]+)")]
    private static partial Regex Matrix();
}
