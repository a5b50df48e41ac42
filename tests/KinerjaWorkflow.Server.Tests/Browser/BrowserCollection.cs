using System.Diagnostics;
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
        await EnsureInstalledAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
        });
    }

    /// <summary>
    /// The README's one test command must pass on a fresh machine, so the first browser test brings the browser:
    /// as root it installs Debian's package (CI and containers run as root); anyone else is told how.
    /// </summary>
    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                $"Chromium is not at {ExecutablePath} and the tests do not run as root, so they cannot install it. " +
                "Install Debian's package once (sudo apt-get install chromium) and run dotnet test again.");
        }

        await AptGetAsync("update");
        await AptGetAsync("install", "-y", "chromium");
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"apt-get installed chromium, but {ExecutablePath} is still missing.");
        }
    }

    private static async Task AptGetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("apt-get")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Another apt-get (another test run, unattended upgrades) may hold the lock; wait for it rather than fail.
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("DPkg::Lock::Timeout=600");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var apt = Process.Start(start)
            ?? throw new InvalidOperationException("apt-get could not be started to install Chromium.");
        var output = apt.StandardOutput.ReadToEndAsync();
        var errors = apt.StandardError.ReadToEndAsync();
        await apt.WaitForExitAsync();
        if (apt.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"apt-get {string.Join(' ', arguments)} failed with exit code {apt.ExitCode} while installing Chromium for the browser tests:\n" +
                await errors + await output);
        }
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
