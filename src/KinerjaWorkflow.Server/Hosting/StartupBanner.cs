using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>Tells the person who just ran the service where it is and how to sign in.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app) => Console.WriteLine(Text(app.Services));

    public static string Text(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? [];
        var url = addresses.FirstOrDefault() ?? "http://localhost:5080";
        var environment = services.GetRequiredService<IHostEnvironment>();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var users = db.Users.OrderBy(u => u.OfficeId).ThenBy(u => u.UserName)
            .Select(u => new BannerUser(u.UserName, u.OfficeId, u.IsAdmin, u.PasswordHash != "" && !u.NeedsNewPassword && !u.IsDisabled))
            .ToList();

        // The seeder decides whether demo users got the demo password; the banner repeats its decision.
        var demoPasswordsOn = scope.ServiceProvider.GetRequiredService<OrganizationSeeder>().DemoPasswordsAllowed;
        var demoPassword = services.GetRequiredService<IOptions<KinerjaIdentityOptions>>().Value.DemoPassword;
        return Text(url, environment.EnvironmentName, demoPasswordsOn ? demoPassword : null, users);
    }

    /// <summary>
    /// The banner for the service at <paramref name="url"/>. Without demo passwords it names each office whose
    /// admins cannot sign in yet (a fresh Production database), and how the operator lets the first one in.
    /// </summary>
    public static string Text(string url, string environmentName, string? demoPassword, IReadOnlyList<BannerUser> users)
    {
        var lines = new List<string>
        {
            string.Empty,
            $"KinerjaWorkflow berjalan di {url} (lingkungan {environmentName})",
            "  API       " + url + "/api   (OpenAPI: " + url + "/openapi/v1.json, Swagger UI: " + url + "/swagger)",
            "  Kesehatan " + url + "/health/ready",
        };
        if (string.Equals(environmentName, ServerComposition.TestingEnvironment, StringComparison.OrdinalIgnoreCase))
        {
            lines.Add("  Jam uji   " + url + "/api/testing/clock   (POST {\"advanceBy\":\"1.02:00:00\"} memajukan jam server)");
        }

        if (demoPassword is not null)
        {
            lines.Add($"Masuk sebagai pengguna demo (kata sandi \"{demoPassword}\"):");
            foreach (var office in users.GroupBy(u => u.OfficeId))
            {
                lines.Add($"  {office.Key}: {string.Join(", ", office.Select(u => u.IsAdmin ? u.UserName + " (admin)" : u.UserName))}");
            }

            lines.Add($"  curl -s -X POST {url}/api/auth/token -H 'Content-Type: application/json' -d '{{\"username\":\"{(users.Count > 0 ? users[0].UserName : null)}\",\"password\":\"{demoPassword}\"}}'");
            return string.Join(Environment.NewLine, lines);
        }

        lines.Add($"{users.Count} pengguna terdaftar; kata sandi demo hanya aktif di lingkungan Development dan Testing.");
        var locked = users.GroupBy(u => u.OfficeId)
            .Where(office => office.Any(u => u.IsAdmin) && !office.Any(u => u.IsAdmin && u.CanSignIn))
            .ToList();
        if (locked.Count > 0)
        {
            lines.Add("Kantor tanpa admin yang dapat masuk; beri satu admin kata sandi pertama dengan variabel lingkungan");
            lines.Add("Identity__InitialPasswords__<nama-pengguna>=<kata sandi>, mulai ulang, lalu hapus variabel itu (SECURITY.md):");
            foreach (var office in locked)
            {
                lines.Add($"  {office.Key}: {string.Join(", ", office.Where(u => u.IsAdmin).Select(u => u.UserName))}");
            }
        }

        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>An account as the banner tells of it; <see cref="CanSignIn"/> when it has a password in use and is not disabled.</summary>
internal sealed record BannerUser(string UserName, string OfficeId, bool IsAdmin, bool CanSignIn);
