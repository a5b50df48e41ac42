using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Telemetry;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed class HostTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;

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
    public async Task Every_request_body_requires_exactly_the_fields_that_may_not_be_null()
    {
        using var client = _server.CreateClient();

        var document = await client.GetAsync("/openapi/v1.json").OkJsonAsync();

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var bodies = RequestBodySchemas(document, schemas).ToList();
        bodies.Select(b => b.Name).Should().Contain(["CompleteTaskRequest", "ClockRequest", "StartInstanceRequest"]);
        foreach (var (name, schema) in bodies)
        {
            var required = schema.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];
            var notNullable = schema.GetProperty("properties").EnumerateObject().Where(p => !AllowsNull(p.Value)).Select(p => p.Name).ToHashSet();
            required.Should().BeEquivalentTo(notNullable, $"{name} should require exactly its non-nullable fields");
        }

        bodies.Single(b => b.Name == "StartInstanceRequest").Schema.GetProperty("required").EnumerateArray().Select(r => r.GetString())
            .Should().Equal("definitionKey");
    }

    [Fact]
    public async Task Tasks_created_and_completed_are_counted_per_office_and_sop_once_committed()
    {
        var measured = new List<(string Instrument, long Value, string? Office, string? Definition)>();
        var meter = _server.Services.GetRequiredService<KinerjaMetrics>().Meter;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagList = tags.ToArray();
            lock (measured)
            {
                measured.Add((instrument.Name, value,
                    tagList.Single(t => t.Key == "kinerja.office").Value as string,
                    tagList.Single(t => t.Key == "kinerja.definition").Value as string));
            }
        });
        listener.Start();
        var staf = await _server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "metrik")).Id();

        await staf.CompleteAsync(await staf.OpenTaskAsync(instance, "Susun"));

        lock (measured)
        {
            measured.Should().Equal(
                ("kinerja.tasks.created", 1, "kantor-uji", "uji-laporan-sederhana"),
                ("kinerja.tasks.completed", 1, "kantor-uji", "uji-laporan-sederhana"),
                ("kinerja.tasks.created", 1, "kantor-uji", "uji-laporan-sederhana"));
        }
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

    /// <summary>Each JSON request body's object schema, by component name, with "may be absent" bodies unwrapped.</summary>
    private static IEnumerable<(string Name, JsonElement Schema)> RequestBodySchemas(JsonElement document, JsonElement schemas)
    {
        var seen = new HashSet<string>();
        foreach (var operation in document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()))
        {
            if (!operation.Value.TryGetProperty("requestBody", out var body)
                || !body.GetProperty("content").TryGetProperty("application/json", out var media))
            {
                continue;
            }

            var schema = media.GetProperty("schema");
            if (schema.TryGetProperty("oneOf", out var oneOf))
            {
                schema = oneOf.EnumerateArray().Single(s => !IsNullType(s));
            }

            var name = schema.GetProperty("$ref").GetString()!.Split('/')[^1];
            if (seen.Add(name))
            {
                yield return (name, schemas.GetProperty(name));
            }
        }
    }

    private static bool AllowsNull(JsonElement property) =>
        IsNullType(property) || (property.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(IsNullType));

    private static bool IsNullType(JsonElement schema) =>
        schema.TryGetProperty("type", out var type)
        && (type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Any(t => t.GetString() == "null") : type.GetString() == "null");
}
