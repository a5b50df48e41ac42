using System.Net;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed class HostTests : IDisposable
{
    private readonly KinerjaServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _server.Data.Dispose();
    }

    [Fact]
    public async Task Liveness_answers_healthy()
    {
        using var client = _server.CreateClient();

        using var response = await client.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Fact]
    public async Task Readiness_is_healthy_while_the_holiday_calendar_covers_the_next_twelve_months()
    {
        _server.Clock.SetTo(new DateTimeOffset(2025, 12, 31, 9, 0, 0, TimeSpan.FromHours(7)));
        using var client = _server.CreateClient();

        var report = await client.GetAsync("/health/ready").OkJsonAsync();

        report.GetProperty("status").GetString().Should().Be("Healthy");
        report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Should().Contain(["database", "holiday-calendar"]);
    }

    [Fact]
    public async Task Readiness_names_the_years_missing_from_the_holiday_calendar_in_the_next_twelve_months()
    {
        _server.Clock.SetTo(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(7)));
        using var client = _server.CreateClient();

        var report = await client.GetAsync("/health/ready").OkJsonAsync();

        report.GetProperty("status").GetString().Should().Be("Degraded");
        var calendar = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "holiday-calendar");
        calendar.GetProperty("description").GetString().Should().StartWith("Kalender libur nasional dan cuti bersama tahun 2027 belum ada");
        calendar.GetProperty("data").GetProperty("missingYears").EnumerateArray().Select(y => y.GetInt32()).Should().Equal(2027);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_contract()
    {
        using var client = _server.CreateClient();

        var document = await client.GetAsync("/openapi/v1.json").OkJsonAsync();

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain([
            "/api/auth/token",
            "/api/definitions",
            "/api/definitions/{key}",
            "/api/instances",
            "/api/instances/{id}",
            "/api/instances/{id}/history",
            "/api/instances/{id}/cancel",
            "/api/tasks",
            "/api/tasks/{id}",
            "/api/tasks/{id}/claim",
            "/api/tasks/{id}/complete",
            "/api/notifications",
        ]);
    }

    [Fact]
    public async Task A_wrong_password_is_a_401_problem_that_does_not_say_which_part_was_wrong()
    {
        using var client = _server.CreateClient();

        using var wrongPassword = await client.PostAsJsonAsync("/api/auth/token", new { username = "staf.uji", password = "salah" });
        using var unknownUser = await client.PostAsJsonAsync("/api/auth/token", new { username = "tidak.ada", password = "salah" });

        wrongPassword.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unknownUser.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrongPassword.ReadJsonAsync()).GetProperty("detail").GetString()
            .Should().Be((await unknownUser.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_testing_clock_moves_forward_only()
    {
        using var client = _server.CreateClient();
        var before = (await client.GetAsync("/api/testing/clock").OkJsonAsync()).GetProperty("now").GetDateTimeOffset();

        var after = (await client.PostAsJsonAsync("/api/testing/clock", new { advanceBy = "1.00:00:00" }).OkJsonAsync())
            .GetProperty("now").GetDateTimeOffset();
        using var backwards = await client.PostAsJsonAsync("/api/testing/clock", new { advanceBy = "-01:00:00" });

        (after - before).Should().BeGreaterThanOrEqualTo(TimeSpan.FromDays(1));
        backwards.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }
}
