using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Tests.Browser;
using Microsoft.Playwright;
using static KinerjaWorkflow.Server.Tests.Backup.BackupKit;
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

    [Fact]
    public async Task A_backup_that_takes_a_while_shows_as_running_until_it_ends()
    {
        var (_, document) = await WalkAsync(await _host.ApiAsync("staf.uji"), "halaman-1");
        var stored = await PipeTheDocumentAsync(_host.Services.GetRequiredService<AttachmentStore>().Root, document);
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/cadangan");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cadangkan sekarang" }).ClickAsync();

        await Expect(page.Locator("#backup-running")).ToContainTextAsync("Pencadangan sedang berjalan sejak");
        await Expect(page.Locator("#backup-now")).ToBeDisabledAsync();
        await File.WriteAllBytesAsync(stored, document);
        await Expect(page.Locator("#backup-last")).ToContainTextAsync("Pencadangan terakhir berhasil");
        await Expect(page.Locator("#backup-running")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cadangkan sekarang" })).ToBeEnabledAsync();
    }
}
