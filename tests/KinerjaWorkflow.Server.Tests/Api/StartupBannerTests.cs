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

    [GeneratedRegex("kata sandi \"(?<password>[^\"]+)\"")]
    private static partial Regex DemoPassword();
}
