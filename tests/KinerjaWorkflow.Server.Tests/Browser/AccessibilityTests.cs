using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>
/// axe-core (ClientApp's devDependency, installed by the build's npm ci) run on every page on a laptop and on a
/// phone: no text below 4.5:1 contrast, and no other serious or critical accessibility problem.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests
{
    private static readonly Lazy<string> Axe = new(() => File.ReadAllText(
        Path.Combine(RepositoryRoot.Path, "src", "KinerjaWorkflow.Server", "ClientApp", "node_modules", "axe-core", "axe.min.js")));

    private readonly Chromium _chromium;

    public AccessibilityTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    [Theory]
    [InlineData("laptop")]
    [InlineData("phone")]
    public async Task Every_page_has_enough_contrast_and_no_serious_accessibility_problem(string device)
    {
        await using var host = await BrowserHost.StartAsync(_chromium, device == "phone" ? BrowserHost.Phone : BrowserHost.Laptop);
        await host.Browser.AddInitScriptAsync(Axe.Value);
        host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(host);
        var instance = await office.StartAsync("2026-TW4");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02");
        var late = await office.StartAsync("2026-TW3");
        await office.CompleteAsync(late, "Langkah_01");
        host.Clock.Advance(TimeSpan.FromHours(3));
        var step3 = await office.Sakip.OpenTaskAsync(instance, "Langkah_03");
        var problems = new List<string>();

        var signIn = await host.Browser.NewPageAsync();
        await signIn.GotoAsync("/masuk");
        problems.AddRange(await CheckAsync(signIn, "sign-in"));
        await signIn.GetByLabel("Nama pengguna").FillAsync("nofriza.rahmi");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        await Expect(signIn.Locator("#signin-error")).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(signIn, "sign-in with an error"));
        await signIn.CloseAsync();

        var page = await host.SignInAsync("nofriza.rahmi");
        await Expect(page.Locator("#inbox-list tbody tr")).ToHaveCountAsync(1);
        problems.AddRange(await CheckAsync(page, "inbox"));
        if (device == "phone")
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
            problems.AddRange(await CheckAsync(page, "inbox with the menu open"));
            await page.Keyboard.PressAsync("Escape");
        }

        await page.Locator("#notif-button").ClickAsync();
        problems.AddRange(await CheckAsync(page, "inbox with the notifications open"));

        await page.GotoAsync($"/tugas/{step3}");
        await Expect(page.Locator("#claim")).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "task"));
        await page.Locator("#claim").ClickAsync();
        await Expect(page.Locator("#task-message")).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "claimed task"));

        await page.GotoAsync("/desainer");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tidak diizinkan");
        problems.AddRange(await CheckAsync(page, "refusal"));

        await host.Browser.ClearCookiesAsync();
        page = await host.SignInAsync("erasukma");
        await page.GotoAsync("/instans");
        await Expect(page.Locator("main table tbody tr")).ToHaveCountAsync(2);
        problems.AddRange(await CheckAsync(page, "instances"));

        await page.GotoAsync($"/instans/{late}");
        await Expect(page.Locator("[data-element-id='Langkah_02'].marker-overdue")).ToHaveCountAsync(1);
        problems.AddRange(await CheckAsync(page, "instance"));

        await page.GotoAsync("/dasbor");
        await Expect(page.Locator("canvas#chart-step-time")).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "dashboard"));

        await page.GotoAsync("/kalender");
        await Expect(page.Locator("main table")).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "holiday calendar"));

        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("terbit");
        await page.Locator("[data-element-id='Langkah_02']").ClickAsync();
        await Expect(page.GetByLabel("Waktu (Mutu Baku)")).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "designer"));

        await page.GotoAsync($"/sop/{BinaMarga.Key}/versi/1?instance={late}");
        await Expect(page.Locator("body[data-sheet-ready='true']")).ToHaveCountAsync(1);
        problems.AddRange(await CheckAsync(page, "SOP-AP sheet"));

        await page.GotoAsync("/cadangan");
        await Expect(page.Locator("#backup-last")).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "backups"));

        await page.GotoAsync("/halaman-tidak-ada");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Halaman tidak ditemukan");
        problems.AddRange(await CheckAsync(page, "not found"));

        problems.Should().BeEmpty();
    }

    /// <summary>axe's violations on the page as it is now: every contrast failure, and every other serious or critical one.</summary>
    private static async Task<IEnumerable<string>> CheckAsync(IPage page, string name)
    {
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter((v) => v.id === 'color-contrast' || v.impact === 'serious' || v.impact === 'critical')
                .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')} [${(n.any[0]?.message ?? n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 160)}]`).join('; ')}`);
            }
            """);
        return violations.EnumerateArray().Select(v => $"{name}: {v.GetString()}").ToList();
    }
}
