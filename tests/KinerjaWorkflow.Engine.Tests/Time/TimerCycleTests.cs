using KinerjaWorkflow.Engine.Time;
using static KinerjaWorkflow.Engine.Tests.Time.TestCalendars;

namespace KinerjaWorkflow.Engine.Tests.Time;

public class TimerCycleTests
{
    private static readonly BusinessCalendar Wib = TestCalendars.Wib();

    private static string? Next(string expression, string after, BusinessCalendar? calendar = null) =>
        Local(TimerCycle.Parse(expression).NextAfter(At(after), calendar ?? Wib));

    [Theory]
    [InlineData("2025-12-31T12:00+07:00", "2026-01-02T08:00+07:00")]
    [InlineData("2026-01-02T07:59+07:00", "2026-01-02T08:00+07:00")]
    [InlineData("2026-01-02T08:00+07:00", "2026-04-01T08:00+07:00")]
    [InlineData("2025-03-31T00:00+07:00", "2025-04-08T08:00+07:00")]
    [InlineData("2025-04-01T09:00+07:00", "2025-04-08T08:00+07:00")]
    [InlineData("2025-06-30T12:00+07:00", "2025-07-01T08:00+07:00")]
    [InlineData("2025-09-15T12:00+07:00", "2025-10-01T08:00+07:00")]
    [InlineData("2024-03-31T12:00+07:00", "2024-04-01T08:00+07:00")]
    [InlineData("2026-03-10T12:00+07:00", "2026-04-01T08:00+07:00")]
    public void Triwulan_fires_at_0800_on_the_first_working_day_of_each_quarter(string after, string expected)
    {
        Next("triwulan", after).Should().Be(expected);
    }

    [Fact]
    public void Triwulan_fires_at_0800_local_time_in_wita()
    {
        Next(" Triwulan ", "2025-12-31T12:00+08:00", For(Makassar)).Should().Be("2026-01-02T08:00+08:00");
    }

    [Theory]
    [InlineData("R/2025-01-01T08:00:00+07:00/P3M", "2024-06-01T00:00+07:00", "2025-01-01T08:00+07:00")]
    [InlineData("R/2025-01-01T08:00:00+07:00/P3M", "2025-02-15T00:00+07:00", "2025-04-01T08:00+07:00")]
    [InlineData("R/2025-01-01T08:00:00+07:00/P3M", "2025-04-01T08:00+07:00", "2025-07-01T08:00+07:00")]
    [InlineData("R/2025-01-01T01:00:00Z/P3M", "2025-02-15T00:00+07:00", "2025-04-01T08:00+07:00")]
    [InlineData("R/2025-01-31T09:00:00/P1M", "2025-02-01T00:00+07:00", "2025-02-28T09:00+07:00")]
    [InlineData("R/2025-01-31T09:00:00/P1M", "2025-03-01T00:00+07:00", "2025-03-31T09:00+07:00")]
    [InlineData("R/2020-01-01T08:00:00+07:00/PT1H", "2025-07-14T10:30+07:00", "2025-07-14T11:00+07:00")]
    [InlineData("R/2025-01-06T08:00:00+07:00/P1W", "2025-07-14T08:00+07:00", "2025-07-21T08:00+07:00")]
    [InlineData("R4/2025-01-01T08:00:00+07:00/P3M", "2025-09-30T00:00+07:00", "2025-10-01T08:00+07:00")]
    [InlineData("R/P1D", "2025-07-14T10:00+07:00", "2025-07-15T10:00+07:00")]
    public void Iso_cycles_repeat_their_period_from_the_start(string expression, string after, string expected)
    {
        Next(expression, after).Should().Be(expected);
    }

    [Fact]
    public void A_counted_cycle_ends_after_its_last_repetition()
    {
        var cycle = TimerCycle.Parse("R4/2025-01-01T08:00:00+07:00/P3M");

        cycle.Repetitions.Should().Be(4);
        cycle.NextAfter(At("2025-10-01T08:00+07:00"), Wib).Should().BeNull();
    }

    [Theory]
    [InlineData("", "tulis \"triwulan\"")]
    [InlineData("setiap bulan", "tulis \"triwulan\"")]
    [InlineData("R/2025-13-01/P1M", "waktu mulai \"2025-13-01\" bukan tanggal ISO 8601")]
    [InlineData("R/2025-01-01/P0D", "periode \"P0D\" bukan durasi ISO 8601 lebih dari nol")]
    [InlineData("R/2025-01-01/X", "periode \"X\" bukan durasi ISO 8601")]
    [InlineData("R/2025-01-01/P1H", "periode \"P1H\" bukan durasi ISO 8601")]
    [InlineData("R0/2025-01-01/P1M", "jumlah pengulangan \"0\" harus bilangan bulat lebih dari nol")]
    [InlineData("R3/P1M", "jumlah pengulangan memerlukan waktu mulai")]
    public void Refuses_what_it_cannot_read(string expression, string reason)
    {
        TimerCycle.TryParse(expression, out var cycle, out var error).Should().BeFalse();

        cycle.Should().BeNull();
        error.Should().StartWith($"Siklus timer \"{expression}\" tidak dapat dibaca: ").And.Contain(reason);
    }
}
