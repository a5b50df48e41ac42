using KinerjaWorkflow.Server.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Backup;

[Collection(BrowserCollection.Name)]
public sealed class BackupPageTests(Chromium chromium) : IAsyncLifetime
{
    private BrowserHost _host = null!;

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_admin_backs_up_from_the_Cadangan_page_and_sees_the_result_and_the_backup_listed()
    {
        var page = await _host.SignInAsync("erasukma");
        await page.GetByRole(AriaRole.Link, new() { Name = "Cadangan" }).ClickAsync();
        await Expect(page.Locator("#backup-last")).ToContainTextAsync("Belum pernah ada pencadangan");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Cadangan yang disimpan, terbaru dulu" })).ToContainTextAsync("Belum ada cadangan");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cadangkan sekarang" }).ClickAsync();

        await Expect(page.Locator("#backup-last")).ToContainTextAsync("Pencadangan terakhir berhasil");
        var backups = page.GetByRole(AriaRole.Table, new() { Name = "Cadangan yang disimpan, terbaru dulu" });
        await Expect(backups.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Expect(backups).ToContainTextAsync("kinerja-");
    }
}
