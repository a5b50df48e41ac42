using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;

namespace KinerjaWorkflow.Server.Web;

/// <summary>
/// How the service reads a Waktu, for the designer's live preview: the parsed expected and deadline durations
/// and, as an example, the instants a step given now in the user's office would be expected and due.
/// </summary>
public sealed class WaktuPreviewService(OfficeDirectory offices, TimeProvider clock)
{
    public async Task<WaktuPreview> PreviewAsync(CurrentUser user, string? text, string? unit, CancellationToken ct)
    {
        WaktuUnit? bareNumberUnit = null;
        if (!string.IsNullOrWhiteSpace(unit))
        {
            if (!WaktuParser.TryParseUnit(unit, out var parsedUnit))
            {
                return WaktuPreview.Failed(text, $"Satuan Waktu \"{unit.Trim()}\" tidak dikenal; tulis menit, jam, hari, hari kerja, minggu atau bulan.");
            }

            bareNumberUnit = parsedUnit;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return WaktuPreview.Failed(text, "Waktu kosong: langkah ini tidak akan punya tenggat.");
        }

        if (!WaktuParser.TryParse(text, bareNumberUnit, out var waktu, out var error))
        {
            return WaktuPreview.Failed(text, error!);
        }

        var office = await offices.GetAsync(user.OfficeId, ct);
        var calendar = office.Calendar;
        var now = clock.GetUtcNow();
        var due = calendar.Add(now, waktu!.Deadline);
        var example = new WaktuExample(
            calendar.ToLocal(now),
            waktu.Expected is { } expected ? calendar.Add(now, expected) : null,
            due,
            calendar.WorkingTimeBetween(now, due),
            office.Organization.TimeZoneId);
        return new WaktuPreview(
            text,
            true,
            null,
            waktu.Expected is { } lower ? DurationView.From(lower) : null,
            DurationView.From(waktu.Deadline),
            example);
    }
}

/// <param name="Ok">Whether the service can read the text; when not, <paramref name="Error"/> says why, as deploying would.</param>
public sealed record WaktuPreview(
    string? Text,
    bool Ok,
    string? Error,
    DurationView? Expected,
    DurationView? Deadline,
    WaktuExample? Example)
{
    public static WaktuPreview Failed(string? text, string error) => new(text, false, error, null, null, null);
}

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
public sealed record WaktuExample(
    DateTimeOffset Start,
    DateTimeOffset? ExpectedAt,
    DateTimeOffset DueAt,
    TimeSpan WorkingTime,
    string TimeZone);
