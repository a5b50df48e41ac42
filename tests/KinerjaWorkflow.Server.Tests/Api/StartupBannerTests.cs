using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed partial class StartupBannerTests
{
    [Fact]
    public async Task In_Testing_without_a_configured_demo_password_the_banner_gives_the_one_demo_users_sign_in_with()
    {
        // As `dotnet run --launch-profile Testing` starts it: no Identity:DemoPassword in any settings file.
        using var server = new KinerjaServer(settings: new Dictionary<string, string?> { ["Identity:DemoPassword"] = null });
        using var client = server.CreateClient();

        var banner = StartupBanner.Text(server.Services);

        banner.Should().Contain("lingkungan Testing").And.Contain("/api/testing/clock").And.NotContain("hanya aktif");
        var password = DemoPassword().Match(banner).Groups["password"].Value;
        using var signIn = await client.PostAsJsonAsync("/api/auth/token", new { username = "staf.uji", password });
        signIn.StatusCode.Should().Be(HttpStatusCode.OK);
        server.Data.Dispose();
    }

    [Fact]
    public void On_a_fresh_production_database_the_banner_names_the_admins_waiting_for_a_first_password_and_how_to_give_one()
    {
        BannerUser[] users =
        [
            new("erasukma", "dinas-bina-marga-sumbar", IsAdmin: true, CanSignIn: false),
            new("hendri.yuzal", "dinas-bina-marga-sumbar", IsAdmin: false, CanSignIn: false),
            new("winrizal", "bps-bengkulu", IsAdmin: true, CanSignIn: true),
        ];

        var banner = StartupBanner.Text("https://kinerja.example.go.id", "Production", demoPassword: null, users);

        banner.Should().Contain("Identity__InitialPasswords__<nama-pengguna>").And.Contain("  dinas-bina-marga-sumbar: erasukma")
            .And.NotContain("bps-bengkulu:").And.NotContain("hendri.yuzal").And.NotContain("kinerja2025");
    }

    [Fact]
    public void Once_every_office_has_an_admin_who_can_sign_in_the_banner_says_no_more()
    {
        BannerUser[] users = [new("winrizal", "bps-bengkulu", IsAdmin: true, CanSignIn: true)];

        StartupBanner.Text("https://kinerja.example.go.id", "Production", demoPassword: null, users).Should().NotContain("InitialPasswords");
    }

    [GeneratedRegex("kata sandi \"(?<password>[^\"]+)\"")]
    private static partial Regex DemoPassword();
}
