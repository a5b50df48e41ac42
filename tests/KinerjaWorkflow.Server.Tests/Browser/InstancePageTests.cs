using System.Net;
using System.Text.RegularExpressions;
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

    [Theory]
    [InlineData("erasukma", 1)]
    [InlineData("hendri.yuzal", 0)]
    public async Task Mulai_is_offered_only_to_whoever_may_start_the_SOP(string userName, int startButtons)
    {
        var page = await _host.SignInAsync(userName);

        await page.GetByRole(AriaRole.Link, new() { Name = "Proses berjalan", Exact = true }).ClickAsync();

        await Expect(page.Locator("main h1")).ToHaveTextAsync("Proses berjalan");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mulai", Exact = true })).ToHaveCountAsync(startButtons);
    }

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
        await page.GetByRole(AriaRole.Link, new() { Name = "Proses berjalan", Exact = true }).ClickAsync();
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

    [Fact]
    public async Task An_incident_shows_on_its_instance_by_step_name_and_an_admin_retries_it_there()
    {
        using var receiver = new LoopbackReceiver { Answer = (HttpStatusCode.InternalServerError, """{"error": "sedang gangguan"}""") };
        using var staf = await _host.ApiAsync("staf.uji");
        var instance = (await staf.StartAsync("uji-kirim-laporan", "insiden", new { tujuan = receiver.BaseUrl, triwulan = 4, satker = "Kantor Uji" })).Id();
        await receiver.WaitForRequestAsync(1);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        await receiver.WaitForRequestAsync(2);
        await WaitForAsync(staf, instance, v => v.GetProperty("incidents").GetArrayLength() == 1, "an incident after its service task failed twice");

        var staff = await _host.SignInAsync("staf.uji");
        await staff.GotoAsync($"/instans/{instance}");
        await Expect(staff.Locator("#diagram-missing")).ToContainTextAsync("Diagram tidak dapat ditampilkan");
        var incidents = staff.Locator("#incidents");
        await Expect(incidents).ToContainTextAsync("Kirim laporan ke web monitoring");
        await Expect(incidents).ToContainTextAsync("500");
        await Expect(incidents.GetByRole(AriaRole.Button, new() { Name = "Coba lagi" })).ToHaveCountAsync(0);

        await staff.GetByRole(AriaRole.Button, new() { Name = "Keluar" }).ClickAsync();
        await Expect(staff).ToHaveURLAsync(new Regex("/masuk$"));

        receiver.Answer = (HttpStatusCode.OK, """{"diterima": true}""");
        var admin = await _host.SignInAsync("kepala.uji");
        await admin.GotoAsync($"/instans/{instance}");
        await admin.Locator("#incidents").GetByRole(AriaRole.Button, new() { Name = "Coba lagi" }).ClickAsync();

        await Expect(admin.Locator("#incidents li")).ToHaveCountAsync(0);
        await receiver.WaitForRequestAsync(3);
        await WaitForAsync(staf, instance, v => v.GetProperty("activeSteps").GetArrayLength() == 1, "its next step after the retry");
        await admin.ReloadAsync();
        await Expect(admin.Locator("#active-steps")).ToContainTextAsync("Memeriksa tanggapan");
        receiver.Received.Should().HaveCount(3);
    }

    /// <summary>The service task runs after its command commits; the page shows what is stored when it loads.</summary>
    private static async Task WaitForAsync(HttpClient client, Guid instance, Func<System.Text.Json.JsonElement, bool> condition, string what)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (condition(await client.GetAsync($"/api/instances/{instance}").OkJsonAsync()))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Instance {instance} has not reached {what}.");
    }
}
