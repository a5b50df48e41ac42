using System.Net.Http.Json;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Server.Tests.Calendars;

/// <summary>Two service nodes on one database: each sees the other's calendar changes, and seeding together neither fails nor duplicates.</summary>
public sealed class CalendarNodesTests : IDisposable
{
    /// <summary>Kantor Uji is in WITA; a Tuesday with no holiday near it.</summary>
    private static readonly DateTimeOffset TuesdayMorning = new(2026, 10, 13, 8, 0, 0, TimeSpan.FromHours(8));

    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_national_day_added_on_one_node_moves_the_deadlines_the_other_node_counts()
    {
        using var first = new KinerjaServer(_data);
        using var second = new KinerjaServer(_data);
        first.Clock.SetTo(TuesdayMorning);
        second.Clock.SetTo(TuesdayMorning);
        var kepala = await first.SignInAsync("kepala.uji");
        var staf = await second.SignInAsync("staf.uji");
        (await DueAsync(staf, "1 Hari Kerja")).Should().Be(TuesdayMorning.AddDays(1));

        await kepala.PostAsJsonAsync("/api/calendars/nasional", new { date = "2026-10-14", name = "Cuti bersama (uji)", kind = "cuti-bersama" }).OkJsonAsync();

        (await DueAsync(staf, "1 Hari Kerja")).Should().Be(TuesdayMorning.AddDays(2), "the second node reads the calendar stamp the first one wrote");

        await kepala.DeleteAsync("/api/calendars/nasional/2026-10-14").OkJsonAsync();

        (await DueAsync(staf, "1 Hari Kerja")).Should().Be(TuesdayMorning.AddDays(1));
    }

    [Fact]
    public async Task Two_nodes_seeding_the_calendar_at_once_neither_fail_nor_duplicate_a_day()
    {
        using var first = new KinerjaServer(_data);
        using var second = new KinerjaServer(_data);
        _ = first.Services;
        _ = second.Services;
        var seeded = await CountAsync(first);
        await WithDbAsync(first, async db =>
        {
            await db.Set<CalendarDayRecord>().Where(d => d.OfficeId == null).ExecuteDeleteAsync();
            await db.Set<CalendarYearRecord>().ExecuteDeleteAsync();
            return 0;
        });

        await Task.WhenAll(
            Task.Run(() => first.Services.SeedCalendarsAsync(CancellationToken.None)),
            Task.Run(() => second.Services.SeedCalendarsAsync(CancellationToken.None)));

        (await CountAsync(second)).Should().Be(seeded);
        seeded.Years.Should().BeGreaterThan(0);
    }

    private static Task<(int Years, int Days, int DistinctDays)> CountAsync(KinerjaServer server) =>
        WithDbAsync(server, async db => (
            await db.Set<CalendarYearRecord>().CountAsync(),
            await db.Set<CalendarDayRecord>().CountAsync(d => d.OfficeId == null),
            (await db.Set<CalendarDayRecord>().Where(d => d.OfficeId == null).Select(d => d.Date).ToListAsync()).Distinct().Count()));

    private static async Task<T> WithDbAsync<T>(KinerjaServer server, Func<KinerjaDbContext, Task<T>> work)
    {
        using var scope = server.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<KinerjaDbContext>());
    }

    private static async Task<DateTimeOffset> DueAsync(HttpClient client, string waktu) =>
        (await client.GetAsync($"/api/waktu/preview?text={Uri.EscapeDataString(waktu)}&unit=").OkJsonAsync())
            .GetProperty("example").GetProperty("dueAt").GetDateTimeOffset();
}
