using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>
/// The JSON endpoints the designer and inbox need: Waktu preview and working time left, the current office, and
/// validation. None of them changes anything, so the tests share a server; each sets the clock it counts from.
/// </summary>
public sealed class WebApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Laporan = "uji-laporan-sederhana";

    /// <summary>Kantor Uji is in WITA; a Tuesday with no holiday near it.</summary>
    private static readonly DateTimeOffset TuesdayMorning = new(2026, 10, 13, 8, 0, 0, TimeSpan.FromHours(8));

    private readonly KinerjaServer _server = shared.Server;

    [Theory]
    [InlineData("1 – 20 Hari Kerja", "", "1 hari kerja", "20 hari kerja")]
    [InlineData("1 s.d. 3 HK", "", "1 hari kerja", "3 hari kerja")]
    [InlineData("15 Menit", "", null, "15 menit")]
    [InlineData("60", "menit", null, "60 menit")]
    [InlineData("5 hari", "Waktu (Menit)", null, "5 hari")]
    public async Task The_preview_reads_a_Waktu_as_deploying_would(string text, string unit, string? expected, string deadline)
    {
        var staf = await _server.SignInAsync("staf.uji");

        var preview = await staf.GetAsync(PreviewUrl(text, unit)).OkJsonAsync();

        preview.GetProperty("deadline").GetProperty("text").GetString().Should().Be(deadline);
        if (expected is null)
        {
            preview.GetProperty("expected").ValueKind.Should().Be(JsonValueKind.Null);
        }
        else
        {
            preview.GetProperty("expected").GetProperty("text").GetString().Should().Be(expected);
        }
    }

    [Theory]
    [InlineData("secepatnya", "", "tidak dapat dibaca")]
    [InlineData("60", "", "tidak dapat dibaca")]
    [InlineData("", "", "Waktu kosong")]
    [InlineData("2 jam", "detik", "Satuan Waktu \"detik\" tidak dikenal")]
    public async Task An_unreadable_Waktu_is_a_422_giving_the_reason(string text, string unit, string reason)
    {
        var staf = await _server.SignInAsync("staf.uji");

        using var response = await staf.GetAsync(PreviewUrl(text, unit));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.ReadJsonAsync()).GetProperty("detail").GetString().Should().Contain(reason);
    }

    [Fact]
    public async Task The_preview_example_counts_office_time_in_the_users_office()
    {
        _server.Clock.SetTo(new DateTimeOffset(2026, 10, 15, 15, 55, 0, TimeSpan.FromHours(8)));
        var staf = await _server.SignInAsync("staf.uji");

        var preview = await staf.GetAsync(PreviewUrl("15 Menit", "")).OkJsonAsync();

        var example = preview.GetProperty("example");
        example.GetProperty("timeZone").GetString().Should().Be("Asia/Makassar");
        example.GetProperty("dueAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 10, 16, 7, 40, 0, TimeSpan.FromHours(8)), "Thursday closes at 16:00");
        example.GetProperty("dueAt").GetString().Should().EndWith("+08:00");
        example.GetProperty("workingTime").GetString().Should().Be("00:15:00");
    }

    [Fact]
    public async Task The_preview_example_starts_now_in_the_office_time_zone()
    {
        _server.Clock.SetTo(TuesdayMorning);
        var staf = await _server.SignInAsync("staf.uji");

        var preview = await staf.GetAsync(PreviewUrl("1 Hari Kerja", "")).OkJsonAsync();

        var example = preview.GetProperty("example");
        example.GetProperty("start").GetString().Should().StartWith("2026-10-13T08:00:00").And.EndWith("+08:00");
        example.GetProperty("dueAt").GetDateTimeOffset().Should().Be(TuesdayMorning.AddDays(1), "one working day is the same clock time on the next working day");
        example.GetProperty("workingTimeText").GetString().Should().Be("1 hari kerja");
        example.GetProperty("provisional").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Working_time_left_counts_only_office_hours_and_is_negative_when_past()
    {
        _server.Clock.SetTo(TuesdayMorning);
        var staf = await _server.SignInAsync("staf.uji");
        var until = new[]
        {
            TuesdayMorning.AddHours(2),
            TuesdayMorning.AddDays(1),
            TuesdayMorning.AddHours(-16),
        };

        var answer = await staf.PostAsJsonAsync("/api/waktu/remaining", new { until }).OkJsonAsync();

        answer.GetProperty("workingMinutes").EnumerateArray().Select(m => m.GetInt64()).Should().Equal(120, 480 + 30, -30);
        answer.GetProperty("workingTimeLeft").EnumerateArray().Select(m => m.GetString()).Should().Equal("2 jam", "1 hari kerja", "terlambat 30 menit");
        answer.GetProperty("now").GetDateTimeOffset().Should().Be(TuesdayMorning);
    }

    [Fact]
    public async Task Working_time_left_needs_at_least_one_instant()
    {
        var staf = await _server.SignInAsync("staf.uji");

        using var response = await staf.PostAsJsonAsync("/api/waktu/remaining", new { until = Array.Empty<DateTimeOffset>() });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("kepala.uji", true)]
    [InlineData("staf.uji", false)]
    public async Task The_current_office_lists_its_roles_and_supervisors(string userName, bool supervisor)
    {
        var client = await _server.SignInAsync(userName);

        var office = await client.GetAsync("/api/offices/current").OkJsonAsync();

        office.GetProperty("id").GetString().Should().Be("kantor-uji");
        office.GetProperty("timeZone").GetString().Should().Be("Asia/Makassar");
        office.GetProperty("headRole").GetString().Should().Be("Kepala Kantor");
        office.GetProperty("roles").EnumerateArray()
            .Select(r => (r.GetProperty("name").GetString(), r.GetProperty("supervisor").GetString()))
            .Should().Equal(("Kepala Kantor", null), ("Staf", "Kepala Kantor"));
        office.GetProperty("isSupervisor").GetBoolean().Should().Be(supervisor);
        office.GetProperty("officeHours").GetArrayLength().Should().Be(5);
    }

    [Fact]
    public async Task Validation_lists_every_problem_with_its_element_and_deploys_nothing()
    {
        var kepala = await _server.SignInAsync("kepala.uji");
        var xml = (await LaporanXmlAsync(kepala))
            .Replace("name=\"Staf\"", "name=\"Bagian Umum\"", StringComparison.Ordinal)
            .Replace("waktu=\"2 Jam\"", "waktu=\"secepatnya\"", StringComparison.Ordinal);

        var result = await PostXmlAsync(kepala, "/api/definitions/validate", xml).OkJsonAsync();

        result.GetProperty("valid").GetBoolean().Should().BeFalse();
        var problems = result.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .ToList();
        problems.Should().Contain(p => p.GetProperty("elementId").GetString() == "Lane_Staf" || p.GetProperty("message").GetString()!.Contains("Bagian Umum"));
        problems.Should().Contain(p => p.GetProperty("elementId").GetString() == "Susun" && p.GetProperty("message").GetString()!.Contains("secepatnya"));
        var definition = await kepala.GetAsync($"/api/definitions/{Laporan}").OkJsonAsync();
        definition.GetProperty("versions").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task A_valid_definition_validates_without_becoming_a_new_version()
    {
        var kepala = await _server.SignInAsync("kepala.uji");
        var xml = (await LaporanXmlAsync(kepala)).Replace("waktu=\"2 Jam\"", "waktu=\"3 Jam\"", StringComparison.Ordinal);

        var result = await PostXmlAsync(kepala, "/api/definitions/validate", xml).OkJsonAsync();

        result.GetProperty("valid").GetBoolean().Should().BeTrue();
        result.GetProperty("problems").EnumerateArray().Should().NotContain(p => p.GetProperty("severity").GetString() == "error");
        var definition = await kepala.GetAsync($"/api/definitions/{Laporan}").OkJsonAsync();
        definition.GetProperty("versions").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Only_admins_may_validate_definitions()
    {
        var kepala = await _server.SignInAsync("kepala.uji");
        var staf = await _server.SignInAsync("staf.uji");

        using var response = await PostXmlAsync(staf, "/api/definitions/validate", await LaporanXmlAsync(kepala));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private static string PreviewUrl(string text, string unit) =>
        $"/api/waktu/preview?text={Uri.EscapeDataString(text)}&unit={Uri.EscapeDataString(unit)}";

    private static async Task<string> LaporanXmlAsync(HttpClient client) =>
        await client.GetStringAsync($"/api/definitions/{Laporan}/bpmn");

    private static Task<HttpResponseMessage> PostXmlAsync(HttpClient client, string url, string xml) =>
        client.PostAsync(url, new StringContent(xml, Encoding.UTF8, "application/xml"));
}
