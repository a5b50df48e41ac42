using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>The SOP-AP sheet page of each of the five SOPs, printed to PDF by Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SheetPageTests : IAsyncLifetime
{
    private readonly Chromium _chromium;
    private BrowserHost _host = null!;

    public SheetPageTests(Chromium chromium)
    {
        _chromium = chromium;
    }

    public static TheoryData<string, string, string, int, int, int> Sops => new()
    {
        // office folder, admin, definition key, rows, Pelaksana columns, decision diamonds
        { "bakesbangpol", "hasanuddin.amir", "bakesbangpol-mekanisme-pengumpulan-data-kinerja", 15, 4, 0 },
        { "bpkpad-balangan", "fakiriyanto", "bpkpad-balangan-mekanisme-pengumpulan-data-kinerja", 9, 5, 2 },
        { "bps-bengkulu", "winrizal", "bps-bengkulu-pengumpulan-data-capaian-kinerja", 14, 4, 3 },
        { "camat-batang-kapas", "legiandru", "camat-batang-kapas-pengumpulan-data-kinerja", 9, 5, 2 },
        { "dinas-bina-marga-sumbar", "erasukma", BinaMarga.Key, 11, 5, 1 },
    };

    public async Task InitializeAsync() => _host = await BrowserHost.StartAsync(_chromium);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(Sops))]
    public async Task The_sheet_shows_the_header_a_row_per_step_a_symbol_per_row_and_prints_to_an_A4_landscape_PDF(
        string office, string admin, string key, int rows, int pelaksana, int decisions)
    {
        var page = await _host.SignInAsync(admin);

        await page.GotoAsync($"/sop/{key}/versi/1");

        await Expect(page.Locator("body[data-sheet-ready='true']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#sheet-legal, #sheet-qualifications, #sheet-related, #sheet-equipment, #sheet-warnings, #sheet-records")).ToHaveCountAsync(6);
        await Expect(page.Locator(".sop-table tbody tr")).ToHaveCountAsync(rows);
        await Expect(page.Locator(".sop-table").First.Locator("thead th.col-role")).ToHaveCountAsync(pelaksana);
        await Expect(page.Locator(".sheet-flow .symbol[data-step-id]")).ToHaveCountAsync(rows);
        await Expect(page.Locator(".sheet-flow .symbol-decision")).ToHaveCountAsync(decisions);
        await Expect(page.Locator(".sheet-flow .symbol-terminator")).ToHaveCountAsync(2);
        await Expect(page.Locator(".sop-table tbody tr").First.Locator(".col-no")).ToHaveTextAsync("1");
        (await page.Locator(".sheet-flow .off-page").CountAsync() % 2).Should().Be(0, "every off-page connector has its twin on the page the arrow continues");

        await SaveSheetPictureAsync(page, $"sheet-{office}");
        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });

        Encoding.ASCII.GetString(pdf, 0, 5).Should().Be("%PDF-");
        var pages = await page.Locator(".sheet-page").CountAsync();
        var boxes = MediaBox().Matches(Encoding.Latin1.GetString(pdf))
            .Select(m => (Width: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Height: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
        boxes.Should().HaveCount(pages, "one printed page per sheet page: the identity page and the procedure pages");
        boxes.Should().OnlyContain(b => Math.Abs(b.Width - 841.9) < 2 && Math.Abs(b.Height - 595.3) < 2, "A4 landscape is 297 × 210 mm, 842 × 595 points");
    }

    [Fact]
    public async Task The_sheet_of_an_instance_marks_its_active_step_and_the_instance_page_links_to_it()
    {
        _host.Clock.SetTo(BinaMarga.TuesdayMorning);
        var office = await BinaMarga.SignInAsync(_host);
        var instance = await office.StartAsync("2026-TW3");
        await office.CompleteAsync(instance, "Langkah_01");

        var page = await _host.SignInAsync("hendri.yuzal");
        await page.GotoAsync($"/instans/{instance}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Lembar SOP" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/sop/{BinaMarga.Key}/versi/1\\?instance={instance}$"));
        await Expect(page.Locator(".sop-table tr.row-active")).ToHaveCountAsync(1);
        await Expect(page.Locator(".sop-table tr.row-active")).ToHaveAttributeAsync("data-step-id", "Langkah_02");
        await Expect(page.Locator(".sheet-flow .symbol-active[data-step-id='Langkah_02']")).ToHaveCountAsync(1);
    }

    /// <summary>
    /// The sheet's pages as one picture in the test output and, with KINERJA_UPDATE_SCREENSHOTS=1, in docs/screenshots
    /// (as <see cref="BrowserHost.ScreenshotAsync"/> does for whole windows).
    /// </summary>
    private static async Task SaveSheetPictureAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.Locator("#sheet").ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        if (Environment.GetEnvironmentVariable("KINERJA_UPDATE_SCREENSHOTS") == "1")
        {
            File.Copy(path, Path.Combine(RepositoryRoot.Path, "docs", "screenshots", name + ".png"), overwrite: true);
        }
    }

    [GeneratedRegex(@"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")]
    private static partial Regex MediaBox();
}
