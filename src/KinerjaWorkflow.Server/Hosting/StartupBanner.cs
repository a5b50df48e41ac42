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
        var users = db.Users.OrderBy(u => u.OfficeId).ThenBy(u => u.UserName).Select(u => new { u.UserName, u.OfficeId, u.IsAdmin }).ToList();

        // The seeder decides whether demo users got the demo password; the banner repeats its decision.
        var demoPasswordsOn = scope.ServiceProvider.GetRequiredService<OrganizationSeeder>().DemoPasswordsAllowed;
        var demoPassword = services.GetRequiredService<IOptions<KinerjaIdentityOptions>>().Value.DemoPassword;

        var lines = new List<string>
        {
            string.Empty,
            $"KinerjaWorkflow berjalan di {url} (lingkungan {environment.EnvironmentName})",
            "  API       " + url + "/api   (OpenAPI: " + url + "/openapi/v1.json, Swagger UI: " + url + "/swagger)",
            "  Kesehatan " + url + "/health/ready",
        };
        if (environment.IsEnvironment(ServerComposition.TestingEnvironment))
        {
            lines.Add("  Jam uji   " + url + "/api/testing/clock   (POST {\"advanceBy\":\"1.02:00:00\"} memajukan jam server)");
        }

        if (demoPasswordsOn)
        {
            lines.Add($"Masuk sebagai pengguna demo (kata sandi \"{demoPassword}\"):");
            foreach (var office in users.GroupBy(u => u.OfficeId))
            {
                lines.Add($"  {office.Key}: {string.Join(", ", office.Select(u => u.IsAdmin ? u.UserName + " (admin)" : u.UserName))}");
            }

            lines.Add($"  curl -s -X POST {url}/api/auth/token -H 'Content-Type: application/json' -d '{{\"username\":\"{users.FirstOrDefault()?.UserName}\",\"password\":\"{demoPassword}\"}}'");
        }
        else
        {
            lines.Add($"{users.Count} pengguna terdaftar; kata sandi demo hanya aktif di lingkungan Development dan Testing.");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
