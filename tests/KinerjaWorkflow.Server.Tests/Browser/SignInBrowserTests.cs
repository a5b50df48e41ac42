using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SignInBrowserTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public SignInBrowserTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_person_signs_in_and_opens_a_task_with_the_keyboard_alone()
    {
        var page = await _host.Browser.NewPageAsync();
        await page.GotoAsync("/tugas");
        await Expect(page).ToHaveURLAsync(new Regex("/masuk\\?ReturnUrl=%2Ftugas$"));

        await page.Keyboard.TypeAsync("nofriza.rahmi");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("bukan-kata-sandinya");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(IdentityEndpoints.InvalidCredentialsMessage);
        await Expect(page.GetByLabel("Kata sandi")).ToBeFocusedAsync();
        await BrowserHost.ScreenshotAsync(page, "signin");

        await page.Keyboard.TypeAsync(KinerjaServer.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/tugas$"));
        await Expect(page.Locator("#user-name")).ToHaveTextAsync("Nofriza Rahmi, SE, M.Si");

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Langsung ke isi halaman" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Signing_out_from_the_header_returns_to_the_sign_in_page()
    {
        var page = await _host.SignInAsync("devi.kurnia");

        await page.GetByRole(AriaRole.Button, new() { Name = "Keluar" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/masuk$"));
        await page.GotoAsync("/tugas");
        await Expect(page).ToHaveURLAsync(new Regex("/masuk\\?ReturnUrl=%2Ftugas$"));
    }
}
