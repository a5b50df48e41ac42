using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>
/// Closing the loop in the pages: a supervisor acts on escalations from the dashboard and keeps their own tasks
/// apart from the team's; work sent back carries its reason; a running SOP is cancelled from its page; and no
/// English is left where staff read.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LoopPageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public LoopPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Alihkan_from_the_dashboard_shows_the_escalation_handled_and_the_new_holder_sees_the_task_live()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW4-alih");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02");
        var step3 = await office.Sakip.OpenTaskAsync(instance, "Langkah_03");
        await office.Sakip.PostAsync($"/api/tasks/{step3}/claim", null).OkJsonAsync();
        await using var arifContext = await SecondPersonAsync("arif.tanjung");
        var arif = arifContext.Pages[0];
        await arif.GotoAsync("/tugas");
        await Expect(arif.Locator($"#inbox-list a[href='/tugas/{step3}']")).ToBeVisibleAsync();

        var page = await _host.SignInAsync("hendri.yuzal");
        await page.GotoAsync("/tugas");
        await Expect(page.Locator($"#team-tasks a[href='/tugas/{step3}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#team-heading")).ToHaveTextAsync("Tugas tim (1)");
        await Expect(page.Locator($"#inbox-list a[href='/tugas/{step3}']")).ToHaveCountAsync(0);

        await page.GotoAsync("/dasbor");
        using var moved = await office.Sekretaris.PostAsJsonAsync("/api/testing/clock", new { advanceBy = "02:00:00" });
        moved.EnsureSuccessStatusCode();
        var open = page.Locator("#open-escalations li");
        await Expect(open).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await open.GetByLabel("Alihkan kepada").SelectOptionAsync("arif.tanjung");
        await open.GetByLabel("Alasan pengalihan").FillAsync("Nofriza sedang dinas luar");
        await open.GetByRole(AriaRole.Button, new() { Name = "Alihkan", Exact = true }).ClickAsync();

        await Expect(page.Locator("#open-escalations li")).ToHaveCountAsync(0);
        await Expect(page.Locator("#handled-escalations .handled-by")).ToContainTextAsync("Dialihkan oleh Hendri");
        await Expect(page.Locator("#handled-escalations .handled-by")).ToContainTextAsync("kepada Arif Budiman Tanjung, S.Kom (Tim SAKIP)");
        await Expect(page.Locator("#stat-escalations .value")).ToHaveTextAsync("0");
        var row = arif.Locator("#inbox-list tr", new() { Has = arif.Locator($"a[href='/tugas/{step3}']") });
        await Expect(row).ToContainTextAsync("Saya");
        await Expect(arif.Locator("#notif-count")).Not.ToHaveTextAsync("0");
    }

    [Fact]
    public async Task Tandai_sudah_ditindaklanjuti_records_who_and_takes_the_escalation_off_the_open_list()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW4-tandai");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02");
        var page = await _host.SignInAsync("hendri.yuzal");
        await page.GotoAsync("/dasbor");
        using var moved = await office.Sekretaris.PostAsJsonAsync("/api/testing/clock", new { advanceBy = "02:00:00" });
        moved.EnsureSuccessStatusCode();
        await Expect(page.Locator("#open-escalations li")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Tandai sudah ditindaklanjuti" }).ClickAsync();

        await Expect(page.Locator("#open-escalations li")).ToHaveCountAsync(0);
        await Expect(page.Locator("#handled-escalations .handled-by")).ToContainTextAsync("Ditindaklanjuti oleh Hendri");
    }

    [Fact]
    public async Task Sending_work_back_asks_for_the_reason_and_whoever_gets_it_back_reads_it()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW4-kembali");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02", "Langkah_03", "Langkah_04", "Langkah_05");
        await office.CompleteFormsAsync(instance, 100);
        await office.CompleteAsync(instance, "Langkah_07", "Langkah_08");
        var step9 = await office.Kepala.OpenTaskAsync(instance, "Langkah_09");

        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync($"/tugas/{step9}");
        await page.Locator("button[data-outcome='dikembalikan']").ClickAsync();
        await Expect(page.Locator("#reason-missing")).ToContainTextAsync("tuliskan alasannya");
        await page.GetByLabel("Komentar").FillAsync("Data Bidang Jalan belum lengkap.");
        await page.Locator("button[data-outcome='dikembalikan']").ClickAsync();
        await Expect(page.Locator("#task-message")).ToBeVisibleAsync();

        var form = await office.Bidang.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        var redo = form.GetProperty("activeSteps").EnumerateArray().First(s => s.GetProperty("stepId").GetString() == "Langkah_06").GetProperty("taskId").GetGuid();
        await using var bidangContext = await SecondPersonAsync("devi.kurnia");
        var bidang = bidangContext.Pages[0];
        await bidang.GotoAsync($"/tugas/{redo}");
        await Expect(bidang.Locator("#sent-back")).ToContainTextAsync("Dikembalikan oleh");
        await Expect(bidang.Locator("#sent-back-reason")).ToHaveTextAsync("Data Bidang Jalan belum lengkap.");
        await Expect(bidang.Locator("#attachment-button")).ToHaveTextAsync("Pilih berkas…");
        await bidang.GotoAsync("/tugas");
        await Expect(bidang.Locator(".sent-back-line").First).ToContainTextAsync("Data Bidang Jalan belum lengkap.");
    }

    [Fact]
    public async Task The_starter_cancels_from_the_instance_page_with_a_reason()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW4-batal");
        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync($"/instans/{instance}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Batalkan proses…" }).ClickAsync();
        await page.Locator("#cancel-confirm").ClickAsync();
        await Expect(page.Locator("#cancel-errors")).ToContainTextAsync("Tuliskan alasan pembatalan");
        await page.GetByLabel("Alasan pembatalan (wajib)").FillAsync("Salah memilih triwulan.");
        await page.Locator("#cancel-confirm").ClickAsync();

        await Expect(page.Locator("#instance-status")).ToHaveTextAsync("Dibatalkan");
        await Expect(page.Locator("#history")).ToContainTextAsync("Salah memilih triwulan.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Batalkan proses…" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_unknown_page_is_in_indonesian_and_the_designer_palette_has_no_english()
    {
        var page = await _host.SignInAsync("erasukma");
        var response = await page.GotoAsync("/halaman-tidak-ada");
        response!.Status.Should().Be(404);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Halaman tidak ditemukan");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ke Kotak Tugas" })).ToBeVisibleAsync();

        await page.GotoAsync("/desainer");
        await Expect(page.Locator(".djs-palette .entry").First).ToBeVisibleAsync();
        var titles = await page.Locator(".djs-palette .entry").EvaluateAllAsync<string[]>("entries => entries.map(e => e.getAttribute('aria-label') || e.title).filter(t => t)");
        titles.Should().NotBeEmpty();
        titles.Should().OnlyContain(t => !English.Any(w => t.Contains(w, StringComparison.OrdinalIgnoreCase)), "the palette speaks Indonesian");
        titles.Should().Contain("Buat peristiwa awal");
        await page.Locator("[data-element-id='Langkah_02']").ClickAsync();
        var pad = await page.Locator(".djs-context-pad .entry").EvaluateAllAsync<string[]>("entries => entries.map(e => e.getAttribute('aria-label') || e.title).filter(t => t)");
        pad.Should().NotBeEmpty().And.OnlyContain(t => !English.Any(w => t.Contains(w, StringComparison.OrdinalIgnoreCase)));
        await Expect(page.Locator(".bio-properties-panel-header-type")).Not.ToContainTextAsync("Task");
    }

    private static readonly string[] English = ["Create", "Activate", "Append", "Add ", "event", "task", "gateway", "tool", "Connect", "Change", "Delete", "annotation"];

    /// <summary>A second person in their own browser context, signed in, with their inbox open.</summary>
    private async Task<IBrowserContext> SecondPersonAsync(string userName)
    {
        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = "id-ID",
            BaseURL = _host.Address.ToString().TrimEnd('/'),
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/masuk");
        await page.GetByLabel("Nama pengguna").FillAsync(userName);
        await page.GetByLabel("Kata sandi").FillAsync(KinerjaServer.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        await Expect(page.Locator("#user-name")).ToBeVisibleAsync();
        return context;
    }
}
