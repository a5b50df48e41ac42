using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Time;

/// <summary>Deadlines and timers of one process in one office's business time.</summary>
public sealed class BusinessDeadlineCalculator : IDeadlineCalculator
{
    /// <param name="calendar">The office's business calendar.</param>
    /// <param name="waktuSatuan">
    /// The unit of a bare-number Waktu as the process names it (<see cref="ProcessModel.WaktuSatuan"/>), or null.
    /// </param>
    public BusinessDeadlineCalculator(BusinessCalendar calendar, string? waktuSatuan)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        Calendar = calendar;
        if (!string.IsNullOrWhiteSpace(waktuSatuan))
        {
            if (!WaktuParser.TryParseUnit(waktuSatuan, out var unit))
            {
                throw new ArgumentException(
                    $"Satuan kolom Waktu \"{waktuSatuan}\" tidak dikenal; tulis menit, jam, hari, hari kerja, minggu atau bulan.",
                    nameof(waktuSatuan));
            }

            BareNumberUnit = unit;
        }
    }

    public BusinessCalendar Calendar { get; }

    public WaktuUnit? BareNumberUnit { get; }

    /// <summary>
    /// Expected and due instants from the step's Waktu; a step without Waktu has neither. A Waktu that does not
    /// parse is a definition the validator should have refused, so it fails loudly instead of silently dropping
    /// the deadline.
    /// </summary>
    public StepDeadline ForStep(HumanTask task, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(task);
        var text = task.Step?.Waktu;
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        if (!WaktuParser.TryParse(text, BareNumberUnit, out var waktu, out var error))
        {
            throw new FormatException($"Langkah \"{task.DisplayName}\" ({task.Id}): {error}");
        }

        return new StepDeadline(
            waktu!.Expected is { } expected ? Calendar.Add(start, expected) : null,
            Calendar.Add(start, waktu.Deadline));
    }

    /// <summary>
    /// Duration: an ISO 8601 duration in clock time (PT2H; P1M is a calendar month in the office's zone) or a
    /// Waktu in business time ("2 Hari Kerja"; a range counts to its upper bound). Date: an ISO 8601 instant,
    /// local to the office when written without an offset. Cycle: its next firing after
    /// <paramref name="start"/>.
    /// </summary>
    public DateTimeOffset TimerDue(TimerDefinition timer, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var expression = timer.Expression.Trim();
        switch (timer.Kind)
        {
            case TimerKind.Duration:
                if (IsoPeriod.TryParse(expression, out var period))
                {
                    return period.AddTo(start, Calendar.Zone);
                }

                if (WaktuParser.TryParse(expression, null, out var waktu, out var error))
                {
                    return Calendar.Add(start, waktu!.Deadline);
                }

                throw new FormatException($"Durasi timer \"{expression}\" bukan durasi ISO 8601 (misalnya PT2H) dan bukan Waktu: {error}");

            case TimerKind.Date:
                return IsoInstant.TryParse(expression, out var instant)
                    ? instant.In(Calendar.Zone)
                    : throw new FormatException($"Tanggal timer \"{expression}\" bukan tanggal ISO 8601, misalnya 2025-01-01T08:00:00+07:00.");

            case TimerKind.Cycle:
                return TimerCycle.Parse(expression).NextAfter(start, Calendar)
                    ?? throw new InvalidOperationException($"Siklus timer \"{expression}\" sudah selesai; tidak ada waktu berikutnya sesudah {start:O}.");

            default:
                throw new ArgumentOutOfRangeException(nameof(timer), timer.Kind, null);
        }
    }
}
