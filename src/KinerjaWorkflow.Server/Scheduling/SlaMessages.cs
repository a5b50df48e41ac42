using System.Globalization;
using System.Text;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// The text of reminders and escalations, in Bahasa Indonesia: the SOP, the step's number and name, the
/// instance's business key, the deadline in the office's local time and how much working time is left or late.
/// Dates are written by hand so the text does not depend on the machine's culture data.
/// </summary>
internal static class SlaMessages
{
    private static readonly string[] Months =
        ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];

    private static readonly string[] Days = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];

    public static (string Subject, string Text) Reminder(TaskRecord task, string sopName, BusinessCalendar calendar, string timeZoneId, DateTimeOffset now)
    {
        var due = task.DueAt!.Value;
        var left = calendar.WorkingTimeBetween(now, due);
        var subject = $"Pengingat: {Step(task)} jatuh tempo {Instant(due, calendar, timeZoneId)}";
        var text = new StringBuilder()
            .Append("Pengingat: ").Append(Step(task)).Append(" pada SOP \"").Append(sopName).Append('"').Append(BusinessKey(task))
            .Append(" harus selesai paling lambat ").Append(Instant(due, calendar, timeZoneId)).Append(". ")
            .Append("Sisa waktu kerja: ").Append(WorkingTime(left)).Append('.')
            .ToString();
        return (subject, text);
    }

    public static (string Subject, string Text) Escalation(
        TaskRecord task,
        string? assigneeName,
        int level,
        string sopName,
        BusinessCalendar calendar,
        string timeZoneId,
        DateTimeOffset now)
    {
        var due = task.DueAt!.Value;
        var late = calendar.WorkingTimeBetween(due, now);
        var subject = $"Eskalasi tingkat {level}: {Step(task)} melewati batas waktu";
        var text = new StringBuilder()
            .Append("Eskalasi tingkat ").Append(level).Append(": ").Append(Step(task)).Append(" pada SOP \"").Append(sopName).Append('"')
            .Append(BusinessKey(task)).Append(" belum selesai. Batas waktunya ").Append(Instant(due, calendar, timeZoneId))
            .Append(late > TimeSpan.Zero ? $"; terlambat {WorkingTime(late)} waktu kerja. " : " telah terlewati. ")
            .Append(assigneeName is not null
                ? $"Sedang dikerjakan oleh {assigneeName}."
                : $"Belum diambil oleh anggota peran {string.Join(", ", TaskRoles.Decode(task.Roles))}.")
            .ToString();
        return (subject, text);
    }

    /// <summary>"Senin, 3 Maret 2025 pukul 10.00 WITA".</summary>
    public static string Instant(DateTimeOffset instant, BusinessCalendar calendar, string timeZoneId)
    {
        var local = calendar.ToLocal(instant);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Days[(int)local.DayOfWeek]}, {local.Day} {Months[local.Month - 1]} {local.Year} pukul {local.Hour:00}.{local.Minute:00} {ZoneName(timeZoneId, local.Offset)}");
    }

    /// <summary>"2 jam 15 menit"; under a minute reads "kurang dari 1 menit".</summary>
    public static string WorkingTime(TimeSpan time)
    {
        var minutes = (long)Math.Floor(Math.Abs(time.TotalMinutes));
        if (minutes == 0)
        {
            return "kurang dari 1 menit";
        }

        var hours = minutes / 60;
        var rest = minutes % 60;
        return (hours, rest) switch
        {
            (0, _) => $"{rest} menit",
            (_, 0) => $"{hours} jam",
            _ => $"{hours} jam {rest} menit",
        };
    }

    private static string Step(TaskRecord task) =>
        task.StepNumber is { } number ? $"langkah {number} \"{task.StepName}\"" : $"langkah \"{task.StepName}\"";

    private static string BusinessKey(TaskRecord task) =>
        string.IsNullOrWhiteSpace(task.BusinessKey) ? string.Empty : $" ({task.BusinessKey})";

    private static string ZoneName(string timeZoneId, TimeSpan offset) => timeZoneId switch
    {
        "Asia/Jakarta" or "Asia/Pontianak" => "WIB",
        "Asia/Makassar" => "WITA",
        "Asia/Jayapura" => "WIT",
        _ => string.Create(CultureInfo.InvariantCulture, $"UTC{(offset < TimeSpan.Zero ? '-' : '+')}{offset.Duration():hh\\:mm}"),
    };
}
