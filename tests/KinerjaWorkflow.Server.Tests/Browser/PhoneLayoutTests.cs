using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>
/// The pages on a 390×844 phone (3× pixels, touch), as staff in a district office use them: nothing scrolls
/// sideways, and every control can be scrolled to and tapped without something else in the way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneLayoutTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public PhoneLayoutTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium, BrowserHost.Phone);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_inbox_shows_tasks_as_cards_and_the_header_menu_folds_behind_a_button()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        foreach (var key in new[] { "2026-TW3", "2026-TW4" })
        {
            await office.CompleteAsync(await office.StartAsync(key), "Langkah_01", "Langkah_02");
        }

        var page = await _host.SignInAsync("nofriza.rahmi");

        var cards = page.Locator("#inbox-list tbody tr");
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(page.Locator("#inbox-list thead")).Not.ToBeInViewportAsync();
        var card = await cards.First.BoundingBoxAsync();
        card!.Width.Should().BeGreaterThan(300, "a card spans the screen");
        var step = await cards.First.Locator(".task-link").BoundingBoxAsync();
        (step!.Y - card.Y).Should().BeLessThan(20, "the step is the card's title");
        await ScreenFit.AssertFitsAsync(page, "the inbox");
        await BrowserHost.ScreenshotAsync(page, "phone-inbox");

        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Keluar" });
        await Expect(signOut).Not.ToBeVisibleAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await menu.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Kotak Tugas", Exact = true })).ToBeFocusedAsync();
        await Expect(signOut).ToBeInViewportAsync();
        (await ScreenFit.UnreachableControlsAsync(page, "header")).Should().BeEmpty("every menu entry and Keluar can be tapped");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await BrowserHost.ScreenshotAsync(page, "phone-menu");
        await page.Keyboard.PressAsync("Escape");
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(menu).ToBeFocusedAsync();
        await Expect(signOut).Not.ToBeVisibleAsync();

        await menu.TapAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Proses berjalan", Exact = true }).TapAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Proses berjalan");
        await ScreenFit.AssertFitsAsync(page, "the list of instances");
    }

    [Fact]
    public async Task A_task_is_claimed_given_a_document_and_completed_on_a_phone()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW4");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02");
        var step3 = await office.Sakip.OpenTaskAsync(instance, "Langkah_03");

        var page = await _host.SignInAsync("nofriza.rahmi");
        await page.GotoAsync($"/tugas/{step3}");
        var claim = page.GetByRole(AriaRole.Button, new() { Name = "Ambil tugas" });
        await Expect(claim).ToBeVisibleAsync();
        await ScreenFit.AssertFitsAsync(page, "an open task");
        var history = await page.Locator("#history-heading").BoundingBoxAsync();
        var actions = await page.Locator("#act-heading").BoundingBoxAsync();
        history!.Y.Should().BeGreaterThan(actions!.Y, "the history comes under the task's actions, not beside them");

        await claim.TapAsync();
        await Expect(page.Locator("#task-status")).ToHaveTextAsync("Sedang dikerjakan");
        await page.GetByLabel("Lampiran output").SetInputFilesAsync(new FilePayload
        {
            Name = "rencana-kegiatan.pdf",
            MimeType = "application/pdf",
            Buffer = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray(),
        });
        await page.GetByLabel("Komentar").FillAsync("Rencana terlampir.");
        await ScreenFit.AssertFitsAsync(page, "a claimed task");
        await BrowserHost.ScreenshotAsync(page, "phone-task");

        await page.GetByRole(AriaRole.Button, new() { Name = "Selesaikan" }).TapAsync();
        await Expect(page.Locator("#task-message")).ToContainTextAsync("Tugas diselesaikan");
        await ScreenFit.AssertFitsAsync(page, "a completed task");
        var done = await office.Sakip.GetAsync($"/api/tasks/{step3}").OkJsonAsync();
        done.GetProperty("status").GetString().Should().Be("completed");
        done.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).Should().Equal("rencana-kegiatan.pdf");
    }

    [Fact]
    public async Task The_instance_diagram_spans_the_screen_above_the_active_steps_and_history()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW3");
        await office.CompleteAsync(instance, "Langkah_01", "Langkah_02", "Langkah_03", "Langkah_04", "Langkah_05");
        await office.CompleteFormsAsync(instance, 2);
        _host.Clock.Advance(TimeSpan.FromDays(6));

        var page = await _host.SignInAsync("hendri.yuzal");
        await page.GotoAsync($"/instans/{instance}");
        await Expect(page.Locator("[data-element-id='Langkah_06'].marker-overdue")).ToHaveCountAsync(1);

        var diagram = await page.Locator("#diagram").BoundingBoxAsync();
        diagram!.Width.Should().BeGreaterThan(380, "the diagram uses the whole width of a 390 px screen");
        diagram.Height.Should().BeGreaterThan(300);
        var active = await page.Locator("#active-steps").BoundingBoxAsync();
        var history = await page.Locator("#history").BoundingBoxAsync();
        active!.Y.Should().BeGreaterThan(diagram.Y + diagram.Height);
        history!.Y.Should().BeGreaterThan(active.Y + active.Height - 1, "active steps and history stack in one column");
        await ScreenFit.AssertFitsAsync(page, "an instance");
        await BrowserHost.ScreenshotAsync(page, "phone-instance");
    }

    [Fact]
    public async Task The_dashboard_stacks_its_charts()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var done = await office.StartAsync("2026-TW1");
        await office.CompleteAsync(done, "Langkah_01", "Langkah_02", "Langkah_03");
        var stuck = await office.StartAsync("2026-TW3");
        await office.CompleteAsync(stuck, "Langkah_01", "Langkah_02");
        _host.Clock.Advance(TimeSpan.FromHours(3));

        var page = await _host.SignInAsync("hendri.yuzal");
        await page.GotoAsync("/dasbor");
        await Expect(page.Locator("canvas#chart-step-time")).ToBeVisibleAsync();
        // Measured in one go: the dashboard redraws itself when live events arrive, replacing these elements.
        var boxes = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            """
            () => Object.fromEntries(Object.entries({
              perSop: 'canvas#chart-sop-rate', overdue: '#overdue-heading', perStep: 'canvas#chart-step-rate', stepTime: 'canvas#chart-step-time',
            }).map(([name, selector]) => {
              const r = document.querySelector(selector).getBoundingClientRect();
              return [name, { y: r.top + window.scrollY, height: r.height, width: r.width }];
            }))
            """);
        var (perSop, overdue, perStep, stepTime) = (Box(boxes, "perSop"), Box(boxes, "overdue"), Box(boxes, "perStep"), Box(boxes, "stepTime"));
        overdue.Y.Should().BeGreaterThan(perSop.Y + perSop.Height, "the overdue list comes under the chart per SOP");
        stepTime.Y.Should().BeGreaterThan(perStep.Y + perStep.Height, "the two step charts stack");
        perStep.Width.Should().BeGreaterThan(300, "a chart spans the screen");
        await ScreenFit.AssertFitsAsync(page, "the dashboard");
        await BrowserHost.ScreenshotAsync(page, "phone-dashboard");
    }

    [Fact]
    public async Task The_other_pages_fit_a_phone_and_the_designer_says_it_is_easier_on_a_wider_screen()
    {
        var anonymous = await _host.Browser.NewPageAsync();
        await anonymous.GotoAsync("/masuk");
        await ScreenFit.AssertFitsAsync(anonymous, "the sign-in page");
        await BrowserHost.ScreenshotAsync(anonymous, "phone-signin");
        await anonymous.CloseAsync();

        var page = await _host.SignInAsync("erasukma");
        await page.GotoAsync("/kalender");
        await Expect(page.Locator("main table")).ToBeVisibleAsync();
        await ScreenFit.AssertFitsAsync(page, "the holiday calendar");

        await page.GotoAsync("/desainer");
        await Expect(page.Locator("#designer-status")).ToContainTextAsync("terbit");
        await Expect(page.Locator(".narrow-notice")).ToContainTextAsync("layar lebar");
        (await ScreenFit.OverflowAsync(page)).Should().Be(0, "the designer must not scroll sideways");
        (await ScreenFit.UnreachableControlsAsync(page, ".designer-bar")).Should().BeEmpty();
        await BrowserHost.ScreenshotAsync(page, "phone-designer");

        await _host.Browser.ClearCookiesAsync();
        var forbidden = await _host.SignInAsync("nofriza.rahmi");
        await forbidden.GotoAsync("/desainer");
        await Expect(forbidden.Locator("h1")).ToHaveTextAsync("Tidak diizinkan");
        await ScreenFit.AssertFitsAsync(forbidden, "the refusal page");
    }

    private static (double Y, double Height, double Width) Box(System.Text.Json.JsonElement boxes, string name)
    {
        var box = boxes.GetProperty(name);
        return (box.GetProperty("y").GetDouble(), box.GetProperty("height").GetDouble(), box.GetProperty("width").GetDouble());
    }
}
