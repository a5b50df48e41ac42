using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DashboardPageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public DashboardPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_supervisor_sees_on_time_rates_per_sop_and_step_and_what_is_overdue_now()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var onTime = await office.StartAsync("2026-TW1");
        await office.CompleteAsync(onTime, "Langkah_01", "Langkah_02", "Langkah_03", "Langkah_04", "Langkah_05");
        var lateMeeting = await office.StartAsync("2026-TW2");
        await office.CompleteAsync(lateMeeting, "Langkah_01");
        _host.Clock.Advance(TimeSpan.FromHours(3));
        await office.CompleteAsync(lateMeeting, "Langkah_02", "Langkah_03", "Langkah_04", "Langkah_05");
        var stuck = await office.StartAsync("2026-TW3");
        await office.CompleteAsync(stuck, "Langkah_01", "Langkah_02");
        _host.Clock.Advance(TimeSpan.FromHours(2));
        await office.CompleteAsync(stuck, "Langkah_03");
        _host.Clock.Advance(TimeSpan.FromHours(1));

        var page = await _host.SignInAsync("hendri.yuzal");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dasbor" }).ClickAsync();

        await Expect(page.Locator("#period-label")).ToContainTextAsync("Triwulan IV 2026");
        await Expect(page.Locator("#stat-overdue .value")).ToHaveTextAsync("1");
        var perStep = page.GetByRole(AriaRole.Table, new() { Name = "Per langkah (tabel untuk kedua grafik)" });
        await Expect(perStep.GetByRole(AriaRole.Row).Filter(new() { HasText = "2. Rapat arahan dengan Tim SAKIP" })).ToContainTextAsync("66,7%");
        await Expect(perStep.GetByRole(AriaRole.Row).Filter(new() { HasText = "1. Memerintahkan" })).ToContainTextAsync("100%");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Tugas yang melewati tenggat" })).ToContainTextAsync("2026-TW3");
        await Expect(page.Locator("canvas#chart-sop-rate")).ToBeVisibleAsync();
        await Expect(page.Locator("canvas#chart-step-time")).ToBeVisibleAsync();
        await BrowserHost.ScreenshotAsync(page, "dashboard");

        await page.GetByLabel("Periode").SelectOptionAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tampilkan" }).ClickAsync();
        await Expect(page.Locator("#period-label")).ToContainTextAsync("Triwulan III 2026");
        await Expect(page.Locator("#dashboard-totals .stat").First.Locator(".value")).ToHaveTextAsync("0");
        await Expect(page.Locator("#stat-overdue .value")).ToHaveTextAsync("1");
    }
}
