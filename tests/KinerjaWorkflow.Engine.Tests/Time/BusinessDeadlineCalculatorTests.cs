using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Engine.Time;
using static KinerjaWorkflow.Engine.Tests.Time.TestCalendars;

namespace KinerjaWorkflow.Engine.Tests.Time;

public class BusinessDeadlineCalculatorTests
{
    private static readonly BusinessDeadlineCalculator Wib = new(TestCalendars.Wib(), null);

    private static HumanTask Step(string? waktu) => new()
    {
        Id = "Langkah_1",
        Name = "Menyusun laporan data kinerja triwulan",
        ElementType = "userTask",
        TaskKind = HumanTaskKind.User,
        Step = new SopStep(1, null, waktu, null, null),
    };

    [Theory]
    [InlineData("1 – 20 Hari Kerja", "2025-03-27T10:00+07:00", "2025-04-08T10:00+07:00", "2025-05-07T10:00+07:00")]
    [InlineData("2 Jam", "2025-07-14T15:00+07:00", null, "2025-07-15T08:30+07:00")]
    [InlineData("30 menit - 2 jam", "2025-07-14T10:00+07:00", "2025-07-14T10:30+07:00", "2025-07-14T12:00+07:00")]
    public void A_step_is_expected_at_the_lower_bound_and_due_at_the_upper(string waktu, string start, string? expected, string due)
    {
        var deadline = Wib.ForStep(Step(waktu), At(start));

        Local(deadline.ExpectedAt).Should().Be(expected);
        Local(deadline.DueAt).Should().Be(due);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_step_without_waktu_has_no_deadline(string? waktu)
    {
        Wib.ForStep(Step(waktu), At("2025-07-14T10:00+07:00")).Should().Be(default(StepDeadline));
    }

    [Fact]
    public void A_task_without_sop_fields_has_no_deadline()
    {
        var task = new HumanTask { Id = "Task_1", ElementType = "task", TaskKind = HumanTaskKind.Plain };

        Wib.ForStep(task, At("2025-07-14T10:00+07:00")).Should().Be(default(StepDeadline));
    }

    [Fact]
    public void A_bare_number_takes_the_process_column_unit()
    {
        var calculator = new BusinessDeadlineCalculator(TestCalendars.Wib(), "menit");

        var deadline = calculator.ForStep(Step("60"), At("2025-07-14T15:30+07:00"));

        calculator.BareNumberUnit.Should().Be(WaktuUnit.Minute);
        Local(deadline.DueAt).Should().Be("2025-07-15T08:00+07:00");
    }

    [Fact]
    public void An_unreadable_waktu_fails_naming_the_step()
    {
        var forStep = () => Wib.ForStep(Step("dua hari"), At("2025-07-14T10:00+07:00"));

        forStep.Should().Throw<FormatException>()
            .WithMessage("Langkah \"Menyusun laporan data kinerja triwulan\" (Langkah_1): Waktu \"dua hari\" tidak dapat dibaca: *");
    }

    [Fact]
    public void An_unknown_column_unit_is_refused()
    {
        var create = () => new BusinessDeadlineCalculator(TestCalendars.Wib(), "detik");

        create.Should().Throw<ArgumentException>().WithMessage("Satuan kolom Waktu \"detik\" tidak dikenal*");
    }

    [Theory]
    [InlineData(TimerKind.Duration, "PT2H", "2025-07-14T15:00+07:00", "2025-07-14T17:00+07:00")]
    [InlineData(TimerKind.Duration, "P1D", "2025-07-18T10:00+07:00", "2025-07-19T10:00+07:00")]
    [InlineData(TimerKind.Duration, "P1M", "2025-01-31T10:00+07:00", "2025-02-28T10:00+07:00")]
    [InlineData(TimerKind.Duration, "2 Hari Kerja", "2025-07-17T10:00+07:00", "2025-07-21T10:00+07:00")]
    [InlineData(TimerKind.Duration, "2 jam", "2025-07-14T15:00+07:00", "2025-07-15T08:30+07:00")]
    [InlineData(TimerKind.Duration, "1 - 3 hari kerja", "2025-07-14T10:00+07:00", "2025-07-17T10:00+07:00")]
    [InlineData(TimerKind.Date, "2025-08-01T09:00:00+07:00", "2025-07-14T10:00+07:00", "2025-08-01T09:00+07:00")]
    [InlineData(TimerKind.Date, "2025-08-01T02:00:00Z", "2025-07-14T10:00+07:00", "2025-08-01T09:00+07:00")]
    [InlineData(TimerKind.Date, "2025-08-01T09:00:00", "2025-07-14T10:00+07:00", "2025-08-01T09:00+07:00")]
    [InlineData(TimerKind.Cycle, "triwulan", "2025-12-31T12:00+07:00", "2026-01-02T08:00+07:00")]
    public void Timers_fire_in_the_office_time(TimerKind kind, string expression, string start, string due)
    {
        Local(Wib.TimerDue(new TimerDefinition(kind, expression), At(start))).Should().Be(due);
    }

    [Fact]
    public void A_date_without_offset_is_local_to_the_office()
    {
        var wita = new BusinessDeadlineCalculator(For(Makassar), null);

        var due = wita.TimerDue(new TimerDefinition(TimerKind.Date, "2025-08-01T09:00:00"), At("2025-07-14T10:00+08:00"));

        Local(due).Should().Be("2025-08-01T09:00+08:00");
    }

    [Theory]
    [InlineData(TimerKind.Duration, "dua jam", "Durasi timer \"dua jam\" bukan durasi ISO 8601*")]
    [InlineData(TimerKind.Date, "besok", "Tanggal timer \"besok\" bukan tanggal ISO 8601*")]
    [InlineData(TimerKind.Cycle, "tiap bulan", "Siklus timer \"tiap bulan\" tidak dapat dibaca*")]
    public void An_unreadable_timer_fails_with_a_sentence(TimerKind kind, string expression, string message)
    {
        var due = () => Wib.TimerDue(new TimerDefinition(kind, expression), At("2025-07-14T10:00+07:00"));

        due.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void A_finished_cycle_has_no_next_firing()
    {
        var due = () => Wib.TimerDue(
            new TimerDefinition(TimerKind.Cycle, "R1/2025-01-01T08:00:00+07:00/P3M"), At("2025-02-01T00:00+07:00"));

        due.Should().Throw<InvalidOperationException>();
    }
}
