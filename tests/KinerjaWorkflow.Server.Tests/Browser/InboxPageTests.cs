using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class InboxPageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public InboxPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Staff_see_their_tasks_by_deadline_and_complete_one_from_the_inbox()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var late = await office.StartAsync("2026-TW3");
        await office.CompleteAsync(late, "Langkah_01", "Langkah_02");
        _host.Clock.Advance(TimeSpan.FromHours(2));
        var near = await office.StartAsync("2026-TW4");
        await office.CompleteAsync(near, "Langkah_01", "Langkah_02");
        _host.Clock.Advance(TimeSpan.FromMinutes(50));
        var onTime = await office.StartAsync("2026-SMT2");
        await office.CompleteAsync(onTime, "Langkah_01", "Langkah_02");

        var page = await _host.SignInAsync("nofriza.rahmi");

        await Expect(page).ToHaveURLAsync(new Regex("/tugas$"));
        var rows = page.Locator("#inbox-list tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("2026-TW3");
        await Expect(rows.Nth(0).Locator(".chip.state-overdue")).ToHaveTextAsync("Terlambat");
        await Expect(rows.Nth(1)).ToContainTextAsync("2026-TW4");
        await Expect(rows.Nth(1).Locator(".chip.state-near")).ToHaveTextAsync("Mendekati tenggat");
        await Expect(rows.Nth(2).Locator(".chip.state-ontime")).ToHaveTextAsync("Tepat waktu");
        await Expect(page.Locator("#user-office")).ToHaveTextAsync("Dinas BMCKTR Sumbar");
        await Expect(page.Locator("#user-name")).ToHaveTextAsync("Nofriza Rahmi, SE, M.Si");
        await BrowserHost.ScreenshotAsync(page, "inbox");

        await rows.Nth(1).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("#task-title")).ToHaveTextAsync("Langkah 3: Menyusun rencana kegiatan pengumpulan data kinerja");
        await Expect(page.Locator("#sop-kelengkapan")).ToHaveTextAsync("Notulen Rapat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ambil tugas" }).ClickAsync();
        await Expect(page.Locator("#task-status")).ToHaveTextAsync("Sedang dikerjakan");
        await page.GetByLabel("Komentar").FillAsync("Rencana kegiatan disusun bersama tim.");
        await BrowserHost.ScreenshotAsync(page, "task");
        await page.GetByRole(AriaRole.Button, new() { Name = "Selesaikan" }).ClickAsync();
        await Expect(page.Locator("#task-message")).ToContainTextAsync("Tugas diselesaikan dan diteruskan ke langkah 4. ");
        await Expect(page.Locator("#task-status")).ToHaveTextAsync("Selesai");

        (await office.Sakip.ActiveStepIdsAsync(near)).Should().Equal("Langkah_04");
        var history = await office.Sakip.GetAsync($"/api/instances/{near}/history").OkJsonAsync();
        history.EnumerateArray().Should().Contain(e =>
            e.GetProperty("action").GetString() == "task-completed"
            && e.GetProperty("fromStepId").GetString() == "Langkah_03"
            && e.GetProperty("user").GetString() == "nofriza.rahmi");

        await page.GetByRole(AriaRole.Link, new() { Name = "‹ Kotak Tugas" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Locator("#inbox-list")).ToContainTextAsync("4. Mengumpulkan dokumen yang diperlukan");
    }

    [Fact]
    public async Task A_task_that_arrives_while_the_inbox_is_open_appears_without_reloading()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var page = await _host.SignInAsync("nofriza.rahmi");
        await Expect(page.Locator("#inbox-list")).ToContainTextAsync("Tidak ada tugas");

        var instance = await office.StartAsync("2026-TW4");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02");

        await Expect(page.Locator("#inbox-list tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#inbox-list")).ToContainTextAsync("3. Menyusun rencana kegiatan pengumpulan data kinerja");
    }

    [Fact]
    public async Task A_document_uploaded_on_completion_reaches_the_next_step_and_a_task_can_be_delegated()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW4");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02");
        var step3 = await office.Sakip.OpenTaskAsync(instance, "Langkah_03");

        var page = await _host.SignInAsync("nofriza.rahmi");
        await page.GotoAsync($"/tugas/{step3}");
        await page.GetByLabel("Lampiran output").SetInputFilesAsync(new FilePayload
        {
            Name = "rencana-kegiatan.pdf",
            MimeType = "application/pdf",
            Buffer = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray(),
        });
        await page.GetByLabel("Komentar").FillAsync("Rencana terlampir.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Selesaikan" }).ClickAsync();
        await Expect(page.Locator("#task-message")).ToContainTextAsync("Tugas diselesaikan");

        var step4 = await office.Sakip.OpenTaskAsync(instance, "Langkah_04");
        await page.GotoAsync($"/tugas/{step4}");
        await Expect(page.Locator("#previous-heading")).ToContainTextAsync("3. Menyusun rencana kegiatan");
        await Expect(page.Locator(".previous-comment")).ToHaveTextAsync("Rencana terlampir.");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Dokumen terlampir" })
            .GetByRole(AriaRole.Link, new() { Name = "rencana-kegiatan.pdf" })).ToBeVisibleAsync();

        await page.GetByLabel("Delegasikan", new() { Exact = true }).SelectOptionAsync("arif.tanjung");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delegasikan" }).ClickAsync();
        await Expect(page.Locator("#task-message")).ToContainTextAsync("Tugas didelegasikan kepada Arif Budiman Tanjung, S.Kom.");
        var delegated = await office.Sakip.GetAsync($"/api/tasks/{step4}").OkJsonAsync();
        delegated.GetProperty("assignee").GetString().Should().Be("arif.tanjung");
        await Expect(page.Locator("main")).ToContainTextAsync("Tugas ini sedang dikerjakan oleh Arif Budiman Tanjung, S.Kom (Tim SAKIP).");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("arif.tanjung");

        await page.GotoAsync($"/instans/{instance}");
        await Expect(page.Locator("#active-steps")).ToContainTextAsync("Arif Budiman Tanjung, S.Kom (Tim SAKIP)");
        await Expect(page.Locator("#instance-head")).ToContainTextAsync("oleh Erasukma Munaf, ST, MMI (Kepala Dinas)");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("arif.tanjung");
    }
}
