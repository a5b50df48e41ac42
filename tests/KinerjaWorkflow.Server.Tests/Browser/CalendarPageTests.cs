using System.Text;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class CalendarPageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public CalendarPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_admin_closes_the_office_on_a_day_removes_it_and_uploads_the_year_the_dashboard_says_is_missing()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var page = await _host.SignInAsync("erasukma");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Kalender Libur" }).ClickAsync();
        var days = page.GetByRole(AriaRole.Table, new() { Name = "Hari libur dan penutupan kantor 2026" });
        await Expect(days).ToContainTextAsync("Kelahiran Yesus Kristus");

        await page.GetByLabel("Tanggal", new() { Exact = true }).FillAsync("2026-10-14");
        await page.GetByLabel("Nama", new() { Exact = true }).FillAsync("Hari Jadi Dinas");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tambah" }).ClickAsync();
        var closure = days.GetByRole(AriaRole.Row).Filter(new() { HasText = "Hari Jadi Dinas" });
        await Expect(closure).ToContainTextAsync("Kantor ini");
        await BrowserHost.ScreenshotAsync(page, "calendars");

        await closure.GetByRole(AriaRole.Button, new() { Name = "Hapus" }).ClickAsync();
        await Expect(closure).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Dasbor" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Unggah di Kalender Libur" }).ClickAsync();
        await Expect(page.Locator("#calendar-missing")).ToContainTextAsync("Kalender nasional tahun 2027 belum ada");
        await page.GetByLabel("Berkas CSV").SetInputFilesAsync(Csv("tanggal,nama,jenis\n2027-01-01,Tahun Baru (uji),libur-nasional\n2027-02-30,Salah,cuti-bersama\n"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Unggah" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("baris 3: tanggal \"2027-02-30\" tidak valid");

        await page.GetByLabel("Berkas CSV").SetInputFilesAsync(Csv("tanggal,nama,jenis\n2027-01-01,Tahun Baru (uji),libur-nasional\n"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Unggah" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Hari libur dan penutupan kantor 2027" })).ToContainTextAsync("Tahun Baru (uji)");
        await Expect(page.GetByText("Kalender nasional lengkap")).ToBeVisibleAsync();

        await page.GetByLabel("Tahun", new() { Exact = true }).FillAsync("2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tampilkan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Hari libur dan penutupan kantor 2026" })).ToContainTextAsync("Kelahiran Yesus Kristus");
    }

    private static FilePayload Csv(string text) =>
        new() { Name = "2027.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };
}
