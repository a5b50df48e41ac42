using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class InstancePageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public InstancePageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_diagram_marks_completed_active_and_overdue_steps_with_who_holds_them_and_the_history()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW3");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02", "Langkah_03", "Langkah_04", "Langkah_05");
        await office.CompleteFormsAsync(instance, 2);
        _host.Clock.Advance(TimeSpan.FromDays(6));

        var page = await _host.SignInAsync("hendri.yuzal");
        await page.GetByRole(AriaRole.Link, new() { Name = "Instans", Exact = true }).ClickAsync();
        await Expect(page.Locator("main table tbody tr")).ToHaveCountAsync(1);
        await BrowserHost.ScreenshotAsync(page, "instances");
        await page.GetByRole(AriaRole.Link, new() { Name = "Pengumpulan Data Kinerja" }).ClickAsync();

        await Expect(page.Locator("#instance-status")).ToHaveTextAsync("Berjalan");
        foreach (var step in new[] { "Langkah_01", "Langkah_02", "Langkah_03", "Langkah_04", "Langkah_05" })
        {
            await Expect(page.Locator($"[data-element-id='{step}'].marker-completed")).ToHaveCountAsync(1);
        }

        await Expect(page.Locator("[data-element-id='Langkah_06'].marker-overdue")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-element-id='Langkah_07'].marker-completed")).ToHaveCountAsync(0);
        await Expect(page.Locator(".holder-badge.late")).ToContainTextAsync("3 tugas");
        await Expect(page.Locator("#active-steps tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#active-steps")).ToContainTextAsync("Bidang Tata Ruang");
        await Expect(page.Locator("#history .timeline li")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#history")).ToContainTextAsync("Tugas diselesaikan");
        var started = page.Locator("#history .timeline li[data-sequence='1']");
        await Expect(started).ToContainTextAsync("#1");
        await Expect(started).ToContainTextAsync("Erasukma Munaf, ST, MMI (Kepala Dinas)");
        await Expect(page.Locator("#history .timeline li.action-task-created").First).ToContainTextAsync("Mesin alur kerja");
        await Expect(page.Locator("#history .timeline li.action-task-completed").First).ToContainTextAsync("Selesai sesuai SOP");
        await Expect(page.Locator("#history .timeline li.action-task-completed .item").First).ToContainTextAsync("(untuk Sekretariat)");
        await BrowserHost.ScreenshotAsync(page, "instance");
    }
}
