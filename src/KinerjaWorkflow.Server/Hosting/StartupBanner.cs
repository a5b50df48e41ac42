using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>Tells the person who just ran the service where it is and how to sign in.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? [];
        var url = addresses.FirstOrDefault() ?? "http://localhost:5080";
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var users = db.Users.OrderBy(u => u.OfficeId).ThenBy(u => u.UserName).Select(u => new { u.UserName, u.OfficeId, u.IsAdmin }).ToList();
        var demoPassword = app.Configuration["Identity:DemoPassword"];

        var lines = new List<string>
        {
            string.Empty,
            "KinerjaWorkflow berjalan di " + url,
            "  API       " + url + "/api   (OpenAPI: " + url + "/openapi/v1.json, Swagger UI: " + url + "/swagger)",
            "  Kesehatan " + url + "/health/ready",
        };
        if (demoPassword is not null && (app.Environment.IsDevelopment() || app.Environment.IsEnvironment(ServerComposition.TestingEnvironment)))
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
            lines.Add($"{users.Count} pengguna terdaftar; kata sandi demo hanya aktif di lingkungan Development.");
        }

        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
