using System.Diagnostics;

namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>
/// The README's one test command must pass on a fresh machine, so tests that need a Debian program (Chromium,
/// nginx) bring it: as root they install the package (CI and containers run as root); anyone else is told how.
/// </summary>
public static class DebianPackages
{
    // Test collections run in parallel, and two apt-get runs in one process would fight over apt's lists lock.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task EnsureInstalledAsync(string executablePath, string package, string neededFor)
    {
        if (File.Exists(executablePath))
        {
            return;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                $"{package} is not at {executablePath} and the tests do not run as root, so they cannot install it. " +
                $"Install Debian's package once (sudo apt-get install {package}) and run dotnet test again.");
        }

        await OneAtATime.WaitAsync();
        try
        {
            if (File.Exists(executablePath))
            {
                return;
            }

            await AptGetAsync(package, neededFor, "update");
            await AptGetAsync(package, neededFor, "install", "-y", package);
            if (!File.Exists(executablePath))
            {
                throw new InvalidOperationException($"apt-get installed {package}, but {executablePath} is still missing.");
            }
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static async Task AptGetAsync(string package, string neededFor, params string[] arguments)
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
            ?? throw new InvalidOperationException($"apt-get could not be started to install {package}.");
        var output = apt.StandardOutput.ReadToEndAsync();
        var errors = apt.StandardError.ReadToEndAsync();
        await apt.WaitForExitAsync();
        if (apt.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"apt-get {string.Join(' ', arguments)} failed with exit code {apt.ExitCode} while installing {package} for {neededFor}:\n" +
                await errors + await output);
        }
    }
}
