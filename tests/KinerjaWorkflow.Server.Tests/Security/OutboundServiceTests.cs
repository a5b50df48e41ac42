using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Outbound;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>
/// The service's own outgoing clients are guarded, and a staff member's variable cannot steer a service task
/// (issue 15, item 2). The test defaults allow 127.0.0.1 (KinerjaServer).
/// </summary>
public sealed class OutboundServiceTests(SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly LoopbackReceiver _receiver = new();

    private KinerjaServer Server => shared.Server;

    public void Dispose() => _receiver.Dispose();

    [Theory]
    [InlineData("jobs")]
    [InlineData("notification-webhooks")]
    public async Task The_service_task_and_webhook_clients_call_only_allowed_hosts(string clientName)
    {
        var port = new Uri(_receiver.BaseUrl).Port;
        using var client = Server.Services.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);

        using var allowed = await client.GetAsync($"{_receiver.BaseUrl}/boleh");
        var notAllowed = () => client.GetAsync($"http://localhost:{port}/tidak");

        allowed.StatusCode.Should().Be(HttpStatusCode.OK);
        await notAllowed.Should().ThrowAsync<OutboundRefusedException>();
        _receiver.Received.Select(r => r.Path).Should().Equal("/boleh");
    }

    [Fact]
    public async Task A_variable_a_staff_member_sets_cannot_change_the_path_a_service_task_calls()
    {
        var staf = await Server.SignInAsync("staf.uji");

        await staf.StartAsync("uji-kirim-laporan", "4/../../../admin/secrets?steal=1#", new { tujuan = _receiver.BaseUrl, triwulan = 4, satker = "Kantor Uji" });

        var request = await _receiver.WaitForRequestAsync();
        request.Path.Should().StartWith("/laporan/4%2F..%2F..%2F..%2Fadmin%2Fsecrets%3Fsteal%3D1%23");
    }

    [Fact]
    public async Task A_variable_that_is_not_an_origin_refuses_the_start_and_changes_nothing()
    {
        var staf = await Server.SignInAsync("staf.uji");

        using var response = await staf.PostAsJsonAsync("/api/instances", new
        {
            definitionKey = "uji-kirim-laporan",
            businessKey = "asal-salah",
            variables = new { tujuan = _receiver.BaseUrl + "/admin/secrets?x=", triwulan = 4, satker = "Kantor Uji" },
        });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync()).Should().Contain("bukan alamat asal");
        (await staf.GetAsync("/api/instances?definitionKey=uji-kirim-laporan").OkJsonAsync()).ToString().Should().NotContain("asal-salah");
        _receiver.Received.Should().BeEmpty();
    }
}
