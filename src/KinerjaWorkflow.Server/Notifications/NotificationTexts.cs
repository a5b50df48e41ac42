using System.Globalization;
using System.Text;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>
/// What a notification about one step of one running SOP needs to say: the SOP, the step (number and name),
/// the instance's business key, the deadline, and the office's calendar to tell the deadline in local time and
/// count how late it is in working time.
/// </summary>
/// <param name="SopName">The SOP's (definition's) name.</param>
/// <param name="Now">When the text is written; lateness and time remaining are counted up to it.</param>
public sealed record SopContext(
    string SopName,
    int? StepNumber,
    string StepName,
    string? BusinessKey,
    DateTimeOffset? DueAt,
    DateTimeOffset Now,
    BusinessCalendar Calendar)
{
    /// <summary>The context of an inbox task.</summary>
    public static SopContext For(TaskRecord task, string sopName, BusinessCalendar calendar, DateTimeOffset now) =>
        new(sopName, task.StepNumber, task.StepName, task.BusinessKey, task.DueAt, now, calendar);
}

/// <summary>A notification's subject line and body.</summary>
public sealed record NotificationText(string Subject, string Text);

/// <summary>
/// The texts people read in the app, in their email and in webhooks, in Bahasa Indonesia. Deadlines are
/// written in the office's local time with its zone (WIB, WITA, WIT); lateness and time left are counted in
/// working time (office hours on working days), as the SOP's Mutu Baku counts them.
/// </summary>
public static class NotificationTexts
{
    private static readonly string[] DayNames = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];

    private static readonly string[] MonthNames =
    [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ];

    /// <summary>To the assignee (or the role's members) before the deadline.</summary>
    public static NotificationText Reminder(SopContext ctx)
    {
        var text = new StringBuilder()
            .Append(Capitalize(Step(ctx))).Append(" pada SOP ").Append(ctx.SopName).Append(For(ctx))
            .Append(" harus selesai paling lambat ").Append(Deadline(ctx)).Append(". ")
            .Append(TimeLeft(ctx))
            .Append(" Segera selesaikan tugas ini.");
        return new NotificationText($"Pengingat: {Step(ctx)} — {ctx.SopName}{Key(ctx)}", text.ToString());
    }

    /// <summary>
    /// To a supervisor when the step is past its deadline. <paramref name="level"/> is 1 for the role's own
    /// supervisor and one more for each step up the chain; <paramref name="assignee"/> is who holds the task,
    /// or null when nobody has claimed it.
    /// </summary>
    public static NotificationText Escalation(SopContext ctx, int level, string? assignee)
    {
        var text = new StringBuilder()
            .Append("Eskalasi tingkat ").Append(level.ToString(CultureInfo.InvariantCulture)).Append(": ")
            .Append(Step(ctx)).Append(" pada SOP ").Append(ctx.SopName).Append(For(ctx))
            .Append(" melewati batas waktu ").Append(Deadline(ctx)).Append(". ")
            .Append(Lateness(ctx)).Append(' ')
            .Append(assignee is null ? "Tugas ini belum diambil oleh siapa pun." : $"Tugas ini dipegang oleh {assignee}.")
            .Append(" Mohon tindak lanjut.");
        return new NotificationText(
            $"Eskalasi tingkat {level.ToString(CultureInfo.InvariantCulture)}: {Step(ctx)} terlambat — {ctx.SopName}{Key(ctx)}",
            text.ToString());
    }

    /// <summary>To the people who may work on a task that has just been created.</summary>
    public static NotificationText NewTask(SopContext ctx)
    {
        var text = new StringBuilder()
            .Append("Tugas baru: ").Append(Step(ctx)).Append(" pada SOP ").Append(ctx.SopName).Append(For(ctx)).Append(". ");
        if (ctx.DueAt is null)
        {
            text.Append("Langkah ini tidak memiliki batas waktu.");
        }
        else
        {
            text.Append("Batas waktu: ").Append(Deadline(ctx)).Append(". ").Append(TimeLeft(ctx));
        }

        return new NotificationText($"Tugas baru: {Step(ctx)} — {ctx.SopName}{Key(ctx)}", text.ToString());
    }

    /// <summary>
    /// To the person a task was just handed to (reassigned by a supervisor, or delegated): who handed it over and
    /// why, and how much time is left.
    /// </summary>
    public static NotificationText Handover(SopContext ctx, string byName, string? reason)
    {
        var text = new StringBuilder()
            .Append(byName).Append(" menyerahkan ").Append(Step(ctx)).Append(" pada SOP ").Append(ctx.SopName).Append(For(ctx))
            .Append(" kepada Anda.");
        if (!string.IsNullOrWhiteSpace(reason))
        {
            text.Append(" Alasan: ").Append(reason.Trim()).Append('.');
        }

        text.Append(' ').Append(ctx.DueAt is null ? "Langkah ini tidak memiliki batas waktu." : $"Batas waktu: {Deadline(ctx)}. {TimeLeft(ctx)}");
        return new NotificationText($"Tugas untuk Anda: {Step(ctx)} — {ctx.SopName}{Key(ctx)}", text.ToString().TrimEnd());
    }

    /// <summary>A send task's message, as the SOP's designer wrote it.</summary>
    public static NotificationText Message(string sopName, string? businessKey, string message) =>
        new($"Pemberitahuan SOP {sopName}{(businessKey is null ? "" : $" ({businessKey})")}", message);

    /// <summary>An instant in the office's local time, e.g. "Senin, 6 Januari 2025 pukul 16.00 WITA".</summary>
    public static string LocalTime(DateTimeOffset instant, BusinessCalendar calendar)
    {
        var local = calendar.ToLocal(instant);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{DayNames[(int)local.DayOfWeek]}, {local.Day} {MonthNames[local.Month - 1]} {local.Year} pukul {local:HH.mm} {ZoneLabel(calendar.Zone, local.Offset)}");
    }

    /// <summary>
    /// WIB, WITA or WIT for Indonesia's zones (by IANA name, whatever the offset), otherwise the offset as UTC±h,
    /// so an office outside Indonesia at +9 is never mistaken for WIT.
    /// </summary>
    public static string ZoneLabel(TimeZoneInfo zone, TimeSpan offset) => zone.Id switch
    {
        "Asia/Jakarta" or "Asia/Pontianak" => "WIB",
        "Asia/Makassar" or "Asia/Ujung_Pandang" => "WITA",
        "Asia/Jayapura" => "WIT",
        _ => "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(offset.Minutes == 0 ? "%h" : @"h\:mm", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Working time as people say it: whole working days that fall inside the span, then the hours and minutes
    /// of office time left over, e.g. "1 hari kerja 2 jam 30 menit".
    /// </summary>
    public static string WorkingTime(DateTimeOffset from, DateTimeOffset to, BusinessCalendar calendar)
    {
        var total = calendar.WorkingTimeBetween(from, to);
        var fullDays = 0;
        var fullDayTime = TimeSpan.Zero;
        var last = DateOnly.FromDateTime(calendar.ToLocal(to).DateTime);
        for (var date = DateOnly.FromDateTime(calendar.ToLocal(from).DateTime); date <= last; date = date.AddDays(1))
        {
            if (!calendar.IsWorkingDay(date))
            {
                continue;
            }

            var day = calendar.Hours.For(date.DayOfWeek)!.Value;
            if (calendar.AtLocal(date, day.Open) >= from && calendar.AtLocal(date, day.Close) <= to)
            {
                fullDays++;
                fullDayTime += day.Length;
            }
        }

        var rest = total - fullDayTime;
        var parts = new List<string>();
        if (fullDays > 0)
        {
            parts.Add($"{fullDays.ToString(CultureInfo.InvariantCulture)} hari kerja");
        }

        if (rest.Hours + (rest.Days * 24) > 0)
        {
            parts.Add($"{(rest.Hours + (rest.Days * 24)).ToString(CultureInfo.InvariantCulture)} jam");
        }

        if (rest.Minutes > 0)
        {
            parts.Add($"{rest.Minutes.ToString(CultureInfo.InvariantCulture)} menit");
        }

        return parts.Count == 0 ? "kurang dari 1 menit" : string.Join(' ', parts);
    }

    private static string Step(SopContext ctx) =>
        ctx.StepNumber is { } number
            ? $"langkah {number.ToString(CultureInfo.InvariantCulture)} \"{ctx.StepName}\""
            : $"langkah \"{ctx.StepName}\"";

    private static string For(SopContext ctx) => ctx.BusinessKey is null ? "" : $" untuk {ctx.BusinessKey}";

    private static string Key(SopContext ctx) => ctx.BusinessKey is null ? "" : $" ({ctx.BusinessKey})";

    private static string Deadline(SopContext ctx) =>
        ctx.DueAt is { } due ? LocalTime(due, ctx.Calendar) : "(tanpa batas waktu)";

    private static string TimeLeft(SopContext ctx) => ctx.DueAt switch
    {
        null => "",
        { } due when due > ctx.Now => $"Sisa waktu kerja: {WorkingTime(ctx.Now, due, ctx.Calendar)}.",
        _ => Lateness(ctx),
    };

    private static string Lateness(SopContext ctx) => ctx.DueAt switch
    {
        { } due when ctx.Now > due => $"Terlambat {WorkingTime(due, ctx.Now, ctx.Calendar)} waktu kerja.",
        _ => "Batas waktunya tercapai sekarang.",
    };

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
