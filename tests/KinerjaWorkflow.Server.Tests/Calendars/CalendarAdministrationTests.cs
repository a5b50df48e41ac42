using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Calendars;

/// <summary>
/// Office admins keep the calendars through /api/calendars, and deadlines follow at once. The tests of this class
/// share a server: each puts back what it changed, except the 2027 upload, which no other test here reads.
/// </summary>
public sealed class CalendarAdministrationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    /// <summary>Kantor Uji is in WITA; a Tuesday with no holiday near it.</summary>
    private static readonly DateTimeOffset TuesdayMorning = new(2026, 10, 13, 8, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Test dates only, not the decree (which is not known yet): 2027 must never be added to workflows/calendars.</summary>
    private const string Test2027 = """
        tanggal,nama,jenis
        2027-01-01,Tahun Baru 2027 Masehi (uji),libur-nasional
        2027-01-06,Cuti bersama (uji),cuti-bersama
        """;

    private readonly KinerjaServer _server = shared.Server;

    [Fact]
    public async Task Uploading_a_missing_year_completes_readiness_and_makes_deadlines_across_it_final()
    {
        _server.Clock.SetTo(new DateTimeOffset(2026, 12, 30, 8, 0, 0, TimeSpan.FromHours(8)));
        var kepala = await _server.SignInAsync("kepala.uji");
        var staf = await _server.SignInAsync("staf.uji");
        var before = await DeadlineAsync(staf, "3 Hari Kerja");
        before.GetProperty("provisional").GetBoolean().Should().BeTrue();
        before.GetProperty("dueAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2027, 1, 4, 8, 0, 0, TimeSpan.FromHours(8)), "only weekends close the office in 2027 yet");
        (await MissingYearsAsync(kepala)).Should().Equal(2027);

        var year = await UploadAsync(kepala, 2027, Test2027).OkJsonAsync();

        year.GetProperty("complete").GetBoolean().Should().BeTrue();
        year.GetProperty("days").GetArrayLength().Should().Be(2);
        (await MissingYearsAsync(kepala)).Should().BeEmpty();
        var after = await DeadlineAsync(staf, "3 Hari Kerja");
        after.GetProperty("provisional").GetBoolean().Should().BeFalse();
        after.GetProperty("dueAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2027, 1, 5, 8, 0, 0, TimeSpan.FromHours(8)), "1 January 2027 is now a holiday");
        var entry = (await kepala.GetAsync("/api/users/audit").OkJsonAsync()).EnumerateArray()
            .First(a => a.GetProperty("action").GetString() == "calendar-year-uploaded");
        entry.GetProperty("target").GetString().Should().Be("2027");
        entry.GetProperty("user").GetString().Should().Be("kepala.uji");
        entry.GetProperty("detail").GetString().Should().Be("1 libur nasional, 1 cuti bersama");
    }

    [Theory]
    [InlineData("tanggal,nama,jenis\n2026-01-01,Tahun Baru,libur-nasional\n2026-13-01,Salah,libur-nasional\n", 3, "tanggal \"2026-13-01\" tidak valid")]
    [InlineData("tanggal,nama,jenis\n2026-01-01,Tahun Baru,libur-nasional\n2026-01-02,Libur,hari-raya\n", 3, "jenis \"hari-raya\" tidak dikenal")]
    [InlineData("tanggal,nama,jenis\n2026-01-01,Tahun Baru,libur-nasional\n\n2025-12-31,Tahun lalu,cuti-bersama\n", 4, "bukan tahun 2026")]
    [InlineData("tanggal,nama,jenis\n2026-01-01,Tahun Baru,libur-nasional\n2026-01-01,Lagi,cuti-bersama\n", 3, "sudah ada di baris 2")]
    [InlineData("tanggal,nama,tipe\n2026-01-01,Tahun Baru,libur-nasional\n", 1, "baris pertama harus")]
    public async Task A_bad_row_refuses_the_upload_naming_the_row_and_changes_nothing(string csv, int row, string message)
    {
        var kepala = await _server.SignInAsync("kepala.uji");
        var before = await kepala.GetStringAsync("/api/calendars/2026");

        using var response = await UploadAsync(kepala, 2026, csv);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString().Should().Contain($"baris {row}: ").And.Contain(message);
        var error = problem.GetProperty("rows").EnumerateArray().Single();
        error.GetProperty("row").GetInt32().Should().Be(row);
        (await kepala.GetStringAsync("/api/calendars/2026")).Should().Be(before);
    }

    [Fact]
    public async Task An_office_closure_added_and_removed_moves_the_offices_deadline()
    {
        _server.Clock.SetTo(TuesdayMorning);
        var kepala = await _server.SignInAsync("kepala.uji");
        var staf = await _server.SignInAsync("staf.uji");
        (await DueAsync(staf, "1 Hari Kerja")).Should().Be(TuesdayMorning.AddDays(1));

        var year = await kepala.PostAsJsonAsync("/api/calendars/kantor", new { date = "2026-10-14", name = "Hari Jadi Kantor Uji" }).OkJsonAsync();

        year.GetProperty("days").EnumerateArray().Should().Contain(d =>
            d.GetProperty("date").GetString() == "2026-10-14" && d.GetProperty("kind").GetString() == "penutupan-kantor" && d.GetProperty("scope").GetString() == "kantor");
        (await DueAsync(staf, "1 Hari Kerja")).Should().Be(TuesdayMorning.AddDays(2), "the office is closed on Wednesday");

        await kepala.DeleteAsync("/api/calendars/kantor/2026-10-14").OkJsonAsync();

        (await DueAsync(staf, "1 Hari Kerja")).Should().Be(TuesdayMorning.AddDays(1));
        var audit = (await kepala.GetAsync("/api/users/audit").OkJsonAsync()).EnumerateArray()
            .Where(a => a.GetProperty("target").GetString() == "2026-10-14" && a.GetProperty("action").GetString()!.StartsWith("office-", StringComparison.Ordinal)).Select(a => a.GetProperty("action").GetString());
        audit.Should().Equal("office-closure-removed", "office-closure-added");
    }

    [Fact]
    public async Task A_national_day_added_and_removed_moves_every_offices_deadline()
    {
        _server.Clock.SetTo(TuesdayMorning);
        var kepala = await _server.SignInAsync("kepala.uji");
        var staf = await _server.SignInAsync("staf.uji");

        await kepala.PostAsJsonAsync("/api/calendars/nasional", new { date = "2026-10-14", name = "Cuti bersama (uji)", kind = "cuti-bersama" }).OkJsonAsync();

        (await DueAsync(staf, "1 Hari Kerja")).Should().Be(TuesdayMorning.AddDays(2));

        await kepala.DeleteAsync("/api/calendars/nasional/2026-10-14").OkJsonAsync();

        (await DueAsync(staf, "1 Hari Kerja")).Should().Be(TuesdayMorning.AddDays(1));
        var year = await kepala.GetAsync("/api/calendars/2026").OkJsonAsync();
        year.GetProperty("source").GetString().Should().Be("admin");
        year.GetProperty("updatedBy").GetString().Should().Be("kepala.uji");
    }

    [Fact]
    public async Task A_national_day_cannot_be_added_to_a_year_not_in_the_calendar()
    {
        var kepala = await _server.SignInAsync("kepala.uji");

        using var response = await kepala.PostAsJsonAsync("/api/calendars/nasional", new { date = "2031-01-01", name = "Tahun Baru", kind = "libur-nasional" });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().Should().Contain("unggah dulu berkas CSV");
    }

    [Fact]
    public async Task Someone_who_is_not_an_admin_is_refused_and_nothing_changes()
    {
        var staf = await _server.SignInAsync("staf.uji");
        var kepala = await _server.SignInAsync("kepala.uji");
        var before = await kepala.GetStringAsync("/api/calendars/2026");

        using var upload = await UploadAsync(staf, 2026, "tanggal,nama,jenis\n2026-01-01,Tahun Baru,libur-nasional\n");
        using var add = await staf.PostAsJsonAsync("/api/calendars/kantor", new { date = "2026-10-14", name = "Tutup" });
        using var remove = await staf.DeleteAsync("/api/calendars/nasional/2026-12-25");
        using var list = await staf.GetAsync("/api/calendars/2026");

        new[] { upload, add, remove, list }.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Forbidden);
        (await kepala.GetStringAsync("/api/calendars/2026")).Should().Be(before);
    }

    [Fact]
    public async Task A_year_an_admin_changed_is_not_seeded_again_from_the_repository_file_on_restart()
    {
        using var data = new ServerData();
        using (var first = new KinerjaServer(data))
        {
            var kepala = await first.SignInAsync("kepala.uji");
            await kepala.DeleteAsync("/api/calendars/nasional/2026-12-24").OkJsonAsync();
        }

        using var second = new KinerjaServer(data);
        var admin = await second.SignInAsync("kepala.uji");
        var year = await admin.GetAsync("/api/calendars/2026").OkJsonAsync();

        var dates = year.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("date").GetString()).ToList();
        dates.Should().Contain("2026-12-25").And.NotContain("2026-12-24");
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, int year, string csv) =>
        client.PutAsync($"/api/calendars/{year}/nasional", new StringContent(csv, Encoding.UTF8, "text/csv"));

    private static async Task<IReadOnlyList<int>> MissingYearsAsync(HttpClient client)
    {
        var report = await client.GetAsync("/health/ready").OkJsonAsync();
        var calendar = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "holiday-calendar");
        return calendar.TryGetProperty("data", out var data) && data.TryGetProperty("missingYears", out var years)
            ? [.. years.EnumerateArray().Select(y => y.GetInt32())]
            : [];
    }

    private static async Task<JsonElement> DeadlineAsync(HttpClient client, string waktu) =>
        (await client.GetAsync($"/api/waktu/preview?text={Uri.EscapeDataString(waktu)}&unit=").OkJsonAsync()).GetProperty("example");

    private static async Task<DateTimeOffset> DueAsync(HttpClient client, string waktu) =>
        (await DeadlineAsync(client, waktu)).GetProperty("dueAt").GetDateTimeOffset();
}
