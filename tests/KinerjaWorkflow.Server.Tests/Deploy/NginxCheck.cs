using System.Diagnostics;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Deploy;

/// <summary>
/// <c>nginx -t</c> on a site file, inside a throwaway main configuration of its own with a self-signed certificate in
/// place of the site's, so the check reads nothing of the machine's nginx set-up and changes none of it.
/// </summary>
public static class NginxCheck
{
    private const string Executable = "/usr/sbin/nginx";

    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> TestAsync(string site)
    {
        await DebianPackages.EnsureInstalledAsync(Executable, "nginx-light", "the deploy tests");
        var folder = Directory.CreateTempSubdirectory("kinerja-nginx-");
        try
        {
            var certificate = Path.Combine(folder.FullName, "kinerja.pem");
            var key = Path.Combine(folder.FullName, "kinerja.key");
            var openssl = await RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=kinerja.example.go.id", "-keyout", key, "-out", certificate]);
            if (openssl.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl could not make the test certificate:\n{openssl.Output}");
            }

            var sitePath = Path.Combine(folder.FullName, "site.conf");
            await File.WriteAllTextAsync(sitePath, site
                .Replace("/etc/ssl/certs/kinerja.pem", certificate, StringComparison.Ordinal)
                .Replace("/etc/ssl/private/kinerja.key", key, StringComparison.Ordinal));
            var main = Path.Combine(folder.FullName, "nginx.conf");
            await File.WriteAllTextAsync(main, $$"""
                error_log {{Path.Combine(folder.FullName, "error.log")}};
                pid {{Path.Combine(folder.FullName, "nginx.pid")}};
                events {}
                http {
                    access_log off;
                    include {{sitePath}};
                }
                """);
            return await RunAsync(Executable, ["-t", "-p", folder.FullName + "/", "-c", main]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<Result> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await errors + await output);
    }
}
