using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SopImportPageTests : IAsyncLifetime
{
    private static readonly string BinaMargaTable =
        Path.Combine(RepositoryRoot.Path, "tests", "KinerjaWorkflow.Engine.Tests", "Import", "Fixtures", "dinas-bina-marga-sumbar.csv");

    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public SopImportPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_admin_imports_a_table_file_sees_its_steps_in_the_modeler_as_an_unsaved_draft_and_publishes_it()
    {
        var admin = await _host.ApiAsync("erasukma");
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("versi 1 terbit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Impor tabel SOP" }).ClickAsync();
        await page.GetByLabel("Berkas tabel (.csv, .tsv, .xlsx)").SetInputFilesAsync(BinaMargaTable);
        await page.GetByLabel("Nama SOP (bila tabel tidak memuat baris \"Nama SOP\")").FillAsync("Pengumpulan Data Kinerja Impor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Impor", Exact = true }).ClickAsync();

        await Expect(page.Locator("#designer-status")).ToContainTextAsync("pengumpulan-data-kinerja-impor · belum pernah diterbitkan · ada perubahan belum diterbitkan");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("impor tabel: 11 langkah");
        await Expect(page.Locator(".djs-element[data-element-id^='Langkah_']:not(.djs-connection)")).ToHaveCountAsync(11);
        await Expect(page.Locator("[data-element-id='Langkah_09']")).ToContainTextAsync("Kepala Dinas, Sekretaris, Bidang");
        await Expect(page.Locator("[data-element-id='Keputusan_09']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-element-id='Lane_05']")).ToContainTextAsync("Perencanaan");
        await BrowserHost.ScreenshotAsync(page, "designer-import");
        (await admin.GetAsync("/api/definitions/pengumpulan-data-kinerja-impor")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound, "an import is a draft until published");

        await page.GetByRole(AriaRole.Button, new() { Name = "Terbitkan versi baru" }).ClickAsync();
        var publish = page.GetByRole(AriaRole.Dialog, new() { Name = "Terbitkan versi baru?" });
        await publish.GetByLabel("Catatan perubahan").FillAsync("Diimpor dari tabel SOP");
        await publish.GetByRole(AriaRole.Button, new() { Name = "Terbitkan", Exact = true }).ClickAsync();
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("Versi 1 diterbitkan");
        var definition = await admin.GetAsync("/api/definitions/pengumpulan-data-kinerja-impor").OkJsonAsync();
        definition.GetProperty("steps").GetArrayLength().Should().Be(11);
    }

    [Fact]
    public async Task A_pasted_table_with_a_bad_row_is_refused_in_the_dialog_naming_the_row_and_column()
    {
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("versi 1 terbit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Impor tabel SOP" }).ClickAsync();
        await page.GetByLabel("Atau tempel tabel dari pengolah kata").FillAsync(
            "Nama SOP\tRapat Uji\nNo\tKegiatan\tKepala Dinas\tSekretaris\tKelengkapan\tWaktu\tOutput\tKeterangan\n1\tRapat\tx\t\tNota\tsegera\tNotulen\t\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Impor", Exact = true }).ClickAsync();

        await Expect(page.Locator("#import-errors")).ToContainTextAsync("Baris 3 (langkah 1), kolom \"Waktu\" (F): waktu \"segera\" tidak dapat dibaca");
        await Expect(page.Locator("#import-sop-dialog")).ToBeVisibleAsync();
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("versi 1 terbit");
    }
}
