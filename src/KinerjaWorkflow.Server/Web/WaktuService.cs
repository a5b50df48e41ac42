using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;

namespace KinerjaWorkflow.Server.Web;

/// <summary>
/// The office's business time for the pages: how the service reads a Waktu (the designer's live preview), and how
/// much office working time is left until deadlines (the inbox).
/// </summary>
public sealed class WaktuService(OfficeDirectory offices, TimeProvider clock)
{
    /// <summary>An inbox page holds at most this many tasks.</summary>
    public const int MaxDeadlines = 500;

    /// <summary>
    /// Office working time from now until each instant, in minutes (negative when it is past), and as people say it
    /// ("2 hari kerja 3 jam", "terlambat 1 jam"), counted in the user's office calendar: what "sisa waktu kerja"
    /// shows next to a deadline.
    /// </summary>
    public async Task<WorkingTimeRemaining> RemainingAsync(CurrentUser user, IReadOnlyList<DateTimeOffset>? until, CancellationToken ct)
    {
        if (until is null || until.Count == 0)
        {
            throw new RuleViolation("Isi until dengan satu atau lebih waktu ISO 8601.");
        }

        if (until.Count > MaxDeadlines)
        {
            throw new RuleViolation($"Paling banyak {MaxDeadlines} waktu sekali tanya.");
        }

        var calendar = (await offices.GetAsync(user.OfficeId, ct)).Calendar;
        var now = clock.GetUtcNow();
        return new WorkingTimeRemaining(
            calendar.ToLocal(now),
            until.Select(instant => (long)Math.Round(calendar.WorkingTimeBetween(now, instant).TotalMinutes, MidpointRounding.AwayFromZero)).ToList(),
            until.Select(instant => calendar.TimeLeft(now, instant).ToString()).ToList());
    }

    public async Task<WaktuPreview> PreviewAsync(CurrentUser user, string? text, string? unit, CancellationToken ct)
    {
        WaktuUnit? bareNumberUnit = null;
        if (!string.IsNullOrWhiteSpace(unit))
        {
            if (!WaktuParser.TryParseUnit(unit, out var parsedUnit))
            {
                throw new RuleViolation($"Satuan Waktu \"{unit.Trim()}\" tidak dikenal; tulis menit, jam, hari, hari kerja, minggu atau bulan.");
            }

            bareNumberUnit = parsedUnit;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new RuleViolation("Waktu kosong: langkah ini tidak akan punya tenggat.");
        }

        if (!WaktuParser.TryParse(text, bareNumberUnit, out var waktu, out var error))
        {
            throw new RuleViolation(error!);
        }

        var office = await offices.GetAsync(user.OfficeId, ct);
        var calendar = office.Calendar;
        var now = clock.GetUtcNow();
        var due = calendar.Deadline(now, waktu!.Deadline);
        var example = new WaktuExample(
            calendar.ToLocal(now),
            waktu.Expected is { } expected ? calendar.Add(now, expected) : null,
            due.At,
            calendar.WorkingTimeBetween(now, due.At),
            calendar.TimeLeft(now, due.At).ToString(),
            due.Provisional,
            office.Organization.TimeZoneId);
        return new WaktuPreview(
            text,
            waktu.Expected is { } lower ? DurationView.From(lower) : null,
            DurationView.From(waktu.Deadline),
            example);
    }
}

/// <summary>How the service reads a Waktu; one it cannot read is a 422 problem saying why, as deploying would refuse it.</summary>
public sealed record WaktuPreview(
    string? Text,
    DurationView? Expected,
    DurationView Deadline,
    WaktuExample Example);

/// <param name="Unit">menit, jam, hari, hari kerja, minggu or bulan.</param>
/// <param name="Text">As an SOP writes it, e.g. "20 hari kerja".</param>
public sealed record DurationView(decimal Amount, string Unit, string Text)
{
    public static DurationView From(WaktuDuration duration)
    {
        var text = duration.ToString();
        var unit = text[(text.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        return new DurationView(duration.Amount, unit, text);
    }
}

/// <summary>A step given at <paramref name="Start"/> (now, in the office's time zone).</summary>
/// <param name="WorkingTime">Office time between the start and the deadline.</param>
/// <param name="WorkingTimeText">The same in working terms, e.g. "1 hari kerja 2 jam".</param>
/// <param name="Provisional">The count touched a year whose holidays are not in the calendar.</param>
public sealed record WaktuExample(
    DateTimeOffset Start,
    DateTimeOffset? ExpectedAt,
    DateTimeOffset DueAt,
    TimeSpan WorkingTime,
    string WorkingTimeText,
    bool Provisional,
    string TimeZone);

public sealed record WorkingTimeRequest(IReadOnlyList<DateTimeOffset>? Until);

/// <param name="WorkingMinutes">For each requested instant in order: office minutes from <paramref name="Now"/>, negative when past.</param>
/// <param name="WorkingTimeLeft">For each requested instant in order: the time left in working terms, e.g. "2 hari kerja 3 jam" or "terlambat 1 jam".</param>
public sealed record WorkingTimeRemaining(DateTimeOffset Now, IReadOnlyList<long> WorkingMinutes, IReadOnlyList<string> WorkingTimeLeft);
