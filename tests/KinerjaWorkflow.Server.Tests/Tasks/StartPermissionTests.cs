using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Tasks;

/// <summary>Who may start an SOP (docs/who-may-start.md), through the API: SPJ's first step is the Pelaksana's.</summary>
public sealed class StartPermissionTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    [Fact]
    public async Task Someone_without_a_starter_role_is_refused_403_naming_who_may_and_nothing_is_started()
    {
        var bendahara = await inbox.As(Inbox.Bendahara);

        using var response = await bendahara.PostAsJsonAsync("/api/instances", new { definitionKey = Inbox.Spj, businessKey = "bukan-pemrakarsa" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.ReadJsonAsync()).GetProperty("detail").GetString()
            .Should().Be("Hanya peran Pelaksana atau admin yang dapat memulai SOP \"Surat Pertanggungjawaban\".");
        var kepala = await inbox.As(Inbox.Kepala);
        var instances = await kepala.GetAsync($"/api/instances?definitionKey={Inbox.Spj}").OkJsonAsync();
        instances.EnumerateArray()
            .Select(i => i.GetProperty("businessKey").GetString())
            .Should().NotContain("bukan-pemrakarsa");
    }

    [Theory]
    [InlineData(Inbox.PelaksanaSatu)]
    [InlineData(Inbox.Kepala)]
    public async Task The_first_steps_role_and_an_admin_may_start(string userName)
    {
        var client = await inbox.As(userName);

        var started = await client.StartAsync(Inbox.Spj, $"pemrakarsa-{userName}");

        started.GetProperty("startedBy").GetString().Should().Be(userName);
    }

    [Theory]
    [InlineData(Inbox.PelaksanaSatu, true)]
    [InlineData(Inbox.Kepala, true)]
    [InlineData(Inbox.Bendahara, false)]
    [InlineData(Inbox.Kasubbag, false)]
    public async Task The_definitions_list_and_detail_say_who_may_start(string userName, bool canStart)
    {
        var client = await inbox.As(userName);

        var list = await client.GetAsync("/api/definitions").OkJsonAsync();
        var detail = await client.GetAsync($"/api/definitions/{Inbox.Spj}").OkJsonAsync();

        var spj = list.EnumerateArray().Single(d => d.GetProperty("key").GetString() == Inbox.Spj);
        spj.GetProperty("canStart").GetBoolean().Should().Be(canStart);
        spj.GetProperty("starterRoles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Pelaksana");
        detail.GetProperty("canStart").GetBoolean().Should().Be(canStart);
        detail.GetProperty("starterRoles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Pelaksana");
    }
}
