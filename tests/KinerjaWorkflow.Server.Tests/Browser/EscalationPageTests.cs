using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class EscalationPageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public EscalationPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_supervisor_sees_an_escalation_arrive_live_when_the_clock_passes_a_deadline()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW4");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02");

        var page = await _host.SignInAsync("hendri.yuzal");
        await page.GotoAsync("/dasbor");
        await Expect(page.Locator("#stat-escalations .value")).ToHaveTextAsync("0");

        // Step 3 (Tim SAKIP, 1 Jam) is due at 09:00; its escalation goes to their supervisor, the Sekretaris.
        using var moved = await office.Sekretaris.PostAsJsonAsync("/api/testing/clock", new { advanceBy = "02:00:00" });
        moved.EnsureSuccessStatusCode();

        await Expect(page.Locator(".toast.kind-escalation")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#notif-count")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("#stat-escalations .value")).ToHaveTextAsync("1");
        await Expect(page.Locator("#stat-overdue .value")).ToHaveTextAsync("1");
        await Expect(page.Locator("#open-escalations li")).ToHaveCountAsync(1);
        await BrowserHost.ScreenshotAsync(page, "escalation");

        await page.Locator("#my-escalations").GetByRole(AriaRole.Button, new() { Name = "Tandai sudah ditindaklanjuti" }).ClickAsync();
        await Expect(page.Locator("#stat-escalations .value")).ToHaveTextAsync("0");
        await Expect(page.Locator("#open-escalations li")).ToHaveCountAsync(0);
        await Expect(page.Locator("#stat-overdue .value")).ToHaveTextAsync("1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Notifikasi, 1 belum dibaca" }).ClickAsync();
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Notifikasi" });
        await Expect(panel.Locator(".kind-chip.kind-escalation")).ToHaveTextAsync("Eskalasi");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Tandai dibaca" }).ClickAsync();
        await Expect(page.Locator("#notif-count")).ToHaveTextAsync("0");
    }
}
