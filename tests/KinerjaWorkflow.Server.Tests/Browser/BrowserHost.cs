using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>
/// The service on a real loopback port (a browser needs a socket; the factory's in-memory server has none) and a
/// browser context of its own: a 1366×768 laptop, or a 390×844 phone with touch.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    private readonly KinerjaServer _server;
    private readonly WebApplicationFactory<Program> _factory;

    private BrowserHost(KinerjaServer server, WebApplicationFactory<Program> factory, Uri address, IBrowserContext browser)
    {
        _server = server;
        _factory = factory;
        Address = address;
        Browser = browser;
    }

    public Uri Address { get; }

    public IBrowserContext Browser { get; }

    public ManualClock Clock => _factory.Services.GetRequiredService<ManualClock>();

    public IServiceProvider Services => _factory.Services;

    /// <summary>A phone the size of a common Android or iPhone screen, at its real pixel density and with touch.</summary>
    public static BrowserNewContextOptions Phone => new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 3,
        IsMobile = true,
        HasTouch = true,
    };

    public static BrowserNewContextOptions Laptop => new() { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } };

    public static async Task<BrowserHost> StartAsync(Chromium chromium, BrowserNewContextOptions? device = null)
    {
        var server = new KinerjaServer();

        var factory = server.WithWebHostBuilder(b =>
        {
            // Without the live stream the header asks for notifications at this interval; a second keeps tests quick.
            b.UseSetting("Web:NotificationPollInterval", "00:00:01");

            // Documents and backups in this host's own folder on either database, not in the shared data folder.
            b.UseSetting("Attachments:Path", Path.Combine(server.Data.Folder, "attachments"));
            b.UseSetting("Backup:Folder", Path.Combine(server.Data.Folder, "backups"));

            // Seeding hashes every demo user's password; the production work factor costs seconds per test here.
            b.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
        });
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var options = device ?? Laptop;
        options.Locale = "id-ID";
        options.BaseURL = address.ToString().TrimEnd('/');
        var browser = await chromium.Browser.NewContextAsync(options);
        browser.SetDefaultTimeout(20_000);
        return new BrowserHost(server, factory, address, browser);
    }

    /// <summary>An API client signed in with a bearer token, for setting up and checking what the pages did.</summary>
    public async Task<HttpClient> ApiAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = Address };
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password = KinerjaServer.DemoPassword });
        response.EnsureSuccessStatusCode();
        var token = (await response.ReadJsonAsync()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A page signed in through the sign-in form, as a person does.</summary>
    public async Task<IPage> SignInAsync(string userName)
    {
        var page = Browser.Pages.Count > 0 ? Browser.Pages[0] : await Browser.NewPageAsync();
        await page.GotoAsync("/masuk");
        await page.GetByLabel("Nama pengguna").FillAsync(userName);
        await page.GetByLabel("Kata sandi").FillAsync(KinerjaServer.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        // On a phone the name sits in the folded header menu: there but not shown.
        await Assertions.Expect(page.Locator("#user-name")).ToBeAttachedAsync();
        return page;
    }

    /// <summary>
    /// Saves a screenshot in the test output's screenshots folder and, with KINERJA_UPDATE_SCREENSHOTS=1, also in
    /// docs/screenshots, so a plain test run leaves the repository unchanged.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");

        // Filling a field scrolls the page; the picture shows a page as it opens, from the top.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        if (Environment.GetEnvironmentVariable("KINERJA_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(RepositoryRoot.Path, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name + ".png"), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        await _factory.DisposeAsync();
        await _server.DisposeAsync();
        _server.Data.Dispose();
    }
}
