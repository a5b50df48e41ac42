using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>GET /api/dashboard: the supervisor dashboard's figures, computed from the tasks of a period.</summary>
public sealed class DashboardApiTests : IDisposable
{
    private const string Laporan = "uji-laporan-sederhana";

    /// <summary>Kantor Uji is in WITA; a Tuesday with no holiday near it.</summary>
    private static readonly DateTimeOffset TuesdayMorning = new(2026, 10, 13, 8, 0, 0, TimeSpan.FromHours(8));

    private readonly KinerjaServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _server.Data.Dispose();
    }

    [Fact]
    public async Task The_dashboard_counts_on_time_completions_working_time_and_what_is_overdue_now()
    {
        _server.Clock.SetTo(TuesdayMorning);
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var first = (await staf.StartAsync(Laporan, "TW1")).Id();
        _server.Clock.Advance(TimeSpan.FromHours(1));
        await staf.CompleteAsync(await staf.OpenTaskAsync(first, "Susun"));
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(first, "Periksa"), "setuju");
        var second = (await staf.StartAsync(Laporan, "TW2")).Id();
        _server.Clock.Advance(TimeSpan.FromHours(3));
        await staf.CompleteAsync(await staf.OpenTaskAsync(second, "Susun"));
        var third = (await staf.StartAsync(Laporan, "TW3")).Id();
        _server.Clock.Advance(TimeSpan.FromHours(3));

        var dashboard = await kepala.GetAsync("/api/dashboard").OkJsonAsync();

        dashboard.GetProperty("from").GetString().Should().Be("2026-10-01");
        dashboard.GetProperty("to").GetString().Should().Be("2026-12-31");
        var totals = dashboard.GetProperty("totals");
        totals.GetProperty("tasks").GetInt32().Should().Be(5);
        totals.GetProperty("completed").GetInt32().Should().Be(3);
        totals.GetProperty("completedOnTime").GetInt32().Should().Be(2);
        totals.GetProperty("onTimeRate").GetDouble().Should().Be(0.6667);
        totals.GetProperty("overdueNow").GetInt32().Should().Be(1);
        var sop = dashboard.GetProperty("sops").EnumerateArray().Single(s => s.GetProperty("key").GetString() == Laporan);
        sop.GetProperty("name").GetString().Should().Be("Laporan Sederhana");
        var susun = dashboard.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("stepId").GetString() == "Susun");
        susun.GetProperty("waktu").GetString().Should().Be("2 Jam");
        susun.GetProperty("completed").GetInt32().Should().Be(2);
        susun.GetProperty("onTimeRate").GetDouble().Should().Be(0.5);
        susun.GetProperty("averageMinutes").GetDouble().Should().Be(120, "one took an hour and one three hours of office time");
        susun.GetProperty("waktuMinutes").GetDouble().Should().Be(120);
        susun.GetProperty("overdueNow").GetInt32().Should().Be(1);
        var overdue = dashboard.GetProperty("overdueTasks").EnumerateArray().Single();
        overdue.GetProperty("instanceId").GetGuid().Should().Be(third);
        overdue.GetProperty("lateByMinutes").GetDouble().Should().Be(60);
    }

    [Fact]
    public async Task Each_step_is_judged_by_the_Waktu_of_the_version_its_instance_ran()
    {
        _server.Clock.SetTo(TuesdayMorning);
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var first = (await staf.StartAsync(Laporan, "versi-1")).Id();
        var longer = Api.DefinitionApiTests.LaporanXml.Replace("nomor=\"1\" waktu=\"2 Jam\"", "nomor=\"1\" waktu=\"4 Jam\"", StringComparison.Ordinal);
        (await kepala.PostAsync("/api/definitions", Api.DefinitionApiTests.Bpmn(longer))).EnsureSuccessStatusCode();
        (await kepala.GetAsync($"/api/definitions/{Laporan}").OkJsonAsync()).GetProperty("version").GetInt32().Should().Be(2);
        var second = (await staf.StartAsync(Laporan, "versi-2")).Id();
        _server.Clock.Advance(TimeSpan.FromHours(3));
        await staf.CompleteAsync(await staf.OpenTaskAsync(first, "Susun"));
        await staf.CompleteAsync(await staf.OpenTaskAsync(second, "Susun"));

        var dashboard = await kepala.GetAsync("/api/dashboard").OkJsonAsync();

        var susun = dashboard.GetProperty("steps").EnumerateArray()
            .Where(s => s.GetProperty("stepId").GetString() == "Susun")
            .Select(s => (
                Waktu: s.GetProperty("waktu").GetString(),
                Versions: string.Join(",", s.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32())),
                Completed: s.GetProperty("completed").GetInt32(),
                OnTime: s.GetProperty("completedOnTime").GetInt32(),
                WaktuMinutes: s.GetProperty("waktuMinutes").GetDouble()))
            .ToList();
        susun.Should().Equal(
            ("4 Jam", "2", 1, 1, 240d),
            ("2 Jam", "1", 1, 0, 120d));
    }

    [Fact]
    public async Task The_dashboard_of_another_period_counts_its_own_tasks_but_overdue_as_of_now()
    {
        _server.Clock.SetTo(TuesdayMorning);
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        await staf.StartAsync(Laporan, "TW4");
        _server.Clock.Advance(TimeSpan.FromHours(3));

        var dashboard = await kepala.GetAsync("/api/dashboard?from=2026-07-01&to=2026-09-30").OkJsonAsync();

        dashboard.GetProperty("totals").GetProperty("tasks").GetInt32().Should().Be(0);
        dashboard.GetProperty("totals").GetProperty("onTimeRate").ValueKind.Should().Be(JsonValueKind.Null);
        dashboard.GetProperty("totals").GetProperty("overdueNow").GetInt32().Should().Be(1);
    }

    [Theory]
    [InlineData("?from=2026-10-01", HttpStatusCode.UnprocessableEntity)]
    [InlineData("?from=2026-10-01&to=2026-09-30", HttpStatusCode.UnprocessableEntity)]
    [InlineData("?from=2025-01-01&to=2026-12-31", HttpStatusCode.UnprocessableEntity)]
    [InlineData("?from=kemarin&to=2026-09-30", HttpStatusCode.BadRequest)]
    public async Task A_dashboard_period_that_makes_no_sense_is_refused(string query, HttpStatusCode status)
    {
        var kepala = await _server.SignInAsync("kepala.uji");

        using var response = await kepala.GetAsync("/api/dashboard" + query);

        response.StatusCode.Should().Be(status);
    }

    [Theory]
    [InlineData(2026, 10, 13, new[] { 2027 })]
    [InlineData(2025, 6, 2, new int[0])]
    public async Task The_dashboard_names_the_years_missing_from_the_holiday_calendar_in_the_next_twelve_months(int year, int month, int day, int[] missing)
    {
        _server.Clock.SetTo(new DateTimeOffset(year, month, day, 8, 0, 0, TimeSpan.FromHours(8)));
        var kepala = await _server.SignInAsync("kepala.uji");

        var dashboard = await kepala.GetAsync("/api/dashboard").OkJsonAsync();

        dashboard.GetProperty("missingCalendarYears").EnumerateArray().Select(y => y.GetInt32()).Should().Equal(missing);
    }

    [Fact]
    public async Task The_dashboard_is_for_supervisors_only()
    {
        var staf = await _server.SignInAsync("staf.uji");

        using var response = await staf.GetAsync("/api/dashboard");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_escalation_stays_open_on_the_dashboard_until_a_supervisor_takes_it_on()
    {
        _server.Clock.SetTo(TuesdayMorning);
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        await staf.StartAsync(Laporan, "TW4");

        _server.Clock.Advance(TimeSpan.FromHours(3));
        var escalated = await EventuallyAsync(kepala, d => d.GetProperty("totals").GetProperty("escalationsOpen").GetInt32() == 1);
        escalated.GetProperty("overdueTasks").EnumerateArray().Single().GetProperty("escalated").GetBoolean().Should().BeTrue();
        var escalation = (await kepala.GetAsync("/api/supervision/escalations?unacknowledged=true").OkJsonAsync()).EnumerateArray().Single();
        (await kepala.PostAsJsonAsync($"/api/supervision/escalations/{escalation.Id()}/acknowledge", new { note = "Saya tangani" })).EnsureSuccessStatusCode();

        var dashboard = await kepala.GetAsync("/api/dashboard").OkJsonAsync();

        dashboard.GetProperty("totals").GetProperty("escalationsOpen").GetInt32().Should().Be(0);
        dashboard.GetProperty("totals").GetProperty("overdueNow").GetInt32().Should().Be(1, "taking an escalation on does not make the task on time");
    }

    /// <summary>The scheduler fires escalations in the background once the clock passes them: ask until it has.</summary>
    private static async Task<JsonElement> EventuallyAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var dashboard = await client.GetAsync("/api/dashboard").OkJsonAsync();
            if (done(dashboard) || DateTime.UtcNow > deadline)
            {
                return dashboard;
            }

            await Task.Delay(100);
        }
    }
}
