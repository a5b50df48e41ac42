using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>
/// Browser tests run one at a time (each starts a server, and the machine has two cores) and share one Chromium;
/// each test gets its own browser context, so no cookie or storage passes from one test to the next.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Browser";
}

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download cannot work here). Playwright gives the
/// browser a fresh temporary profile (user-data dir) at every launch.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await DebianPackages.EnsureInstalledAsync(ExecutablePath, "chromium", "the browser tests");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
