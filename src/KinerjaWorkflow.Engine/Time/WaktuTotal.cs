using System.Text;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Time;

/// <summary>
/// A sum of Waktu, as the "Jumlah" row of an SOP table adds its Mutu Baku column: "122 Hari 3 jam".
/// </summary>
/// <remarks>
/// Each way of counting is kept apart, because they do not convert into each other: office time (menit and jam,
/// counted in office hours), calendar days (hari and minggu), working days (hari kerja) and months. A working day
/// is not a fixed number of office minutes (Friday is longer), and a month is not a fixed number of days.
/// </remarks>
public readonly partial record struct WaktuTotal(decimal OfficeMinutes, decimal CalendarDays, decimal WorkingDays, decimal Months)
{
    public static WaktuTotal Zero => default;

    public bool IsZero => OfficeMinutes == 0 && CalendarDays == 0 && WorkingDays == 0 && Months == 0;

    public static WaktuTotal Of(WaktuDuration duration) => duration.Unit switch
    {
        WaktuUnit.Minute => new(duration.Amount, 0, 0, 0),
        WaktuUnit.Hour => new(duration.Amount * 60, 0, 0, 0),
        WaktuUnit.Day => new(0, duration.Amount, 0, 0),
        WaktuUnit.Week => new(0, duration.Amount * 7, 0, 0),
        WaktuUnit.WorkingDay => new(0, 0, duration.Amount, 0),
        WaktuUnit.Month => new(0, 0, 0, duration.Amount),
        _ => throw new ArgumentOutOfRangeException(nameof(duration), duration.Unit, null),
    };

    public static WaktuTotal operator +(WaktuTotal a, WaktuTotal b) =>
        new(a.OfficeMinutes + b.OfficeMinutes, a.CalendarDays + b.CalendarDays, a.WorkingDays + b.WorkingDays, a.Months + b.Months);

    public static WaktuTotal operator -(WaktuTotal a, WaktuTotal b) =>
        new(a.OfficeMinutes - b.OfficeMinutes, a.CalendarDays - b.CalendarDays, a.WorkingDays - b.WorkingDays, a.Months - b.Months);

    /// <summary>
    /// Reads a total as an SOP writes it: one Waktu ("5 Hari Kerja") or several terms one after another
    /// ("122 Hari 3 jam", "2 hari kerja 30 menit"); a range counts with its upper bound, as a deadline does.
    /// </summary>
    public static bool TryParse(string? text, WaktuUnit? bareNumberUnit, out WaktuTotal total, out string? error)
    {
        total = Zero;
        if (WaktuParser.TryParse(text, bareNumberUnit, out var whole, out error))
        {
            total = Of(whole!.Deadline);
            return true;
        }

        var terms = Term().Matches(text ?? string.Empty);
        if (terms.Count < 2 || string.Concat(terms.Select(t => t.Value)).Trim().Length != text!.Trim().Length)
        {
            return false;
        }

        var sum = Zero;
        foreach (var term in terms.Cast<Match>())
        {
            if (!WaktuParser.TryParse(term.Value, bareNumberUnit, out var part, out var termError))
            {
                error = $"Jumlah \"{text.Trim()}\" tidak dapat dibaca: {termError}";
                return false;
            }

            sum += Of(part!.Deadline);
        }

        total = sum;
        error = null;
        return true;
    }

    /// <summary>
    /// What the steps of a process add up to, each step's deadline (the upper bound of its Waktu) counted once,
    /// as the SOP's Jumlah row counts it: a step done per team, repeated in a loop or only in some quarters still
    /// counts once. Steps without a Waktu add nothing and are listed. The total the SOP states
    /// (<see cref="SopIdentity.StatedTotal"/>) is read alongside, so the two can be set against each other.
    /// </summary>
    public static StepWaktuTotal OfSteps(ProcessModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        WaktuUnit? bareNumberUnit = WaktuParser.TryParseUnit(model.WaktuSatuan, out var unit) ? unit : null;
        var total = Zero;
        var counted = 0;
        var withoutWaktu = new List<HumanTask>();
        var unreadable = new List<HumanTask>();
        foreach (var task in model.HumanTasks.OrderBy(t => t.Step?.Number ?? int.MaxValue).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(task.Step?.Waktu))
            {
                withoutWaktu.Add(task);
            }
            else if (WaktuParser.TryParse(task.Step.Waktu, bareNumberUnit, out var waktu, out _))
            {
                total += Of(waktu!.Deadline);
                counted++;
            }
            else
            {
                unreadable.Add(task);
            }
        }

        var statedText = model.Identity?.StatedTotal;
        if (string.IsNullOrWhiteSpace(statedText))
        {
            return new StepWaktuTotal(total, counted, withoutWaktu, unreadable, null, null, null);
        }

        return TryParse(statedText, bareNumberUnit, out var stated, out var problem)
            ? new StepWaktuTotal(total, counted, withoutWaktu, unreadable, statedText, stated, null)
            : new StepWaktuTotal(total, counted, withoutWaktu, unreadable, statedText, null, problem);
    }

    /// <summary>As an SOP writes it, largest unit first: "122 hari 3 jam 2 menit"; "0 menit" when empty.</summary>
    public override string ToString() => Format(signed: false);

    /// <summary>A difference, each part with its sign: "+2 menit", "+1 hari kerja −30 menit"; "0 menit" when none.</summary>
    public string ToSignedString() => Format(signed: true);

    private string Format(bool signed)
    {
        var parts = new List<(decimal Amount, string Unit)>
        {
            (Months, WaktuText.UnitName(WaktuUnit.Month)),
            (WorkingDays, WaktuText.UnitName(WaktuUnit.WorkingDay)),
            (CalendarDays, WaktuText.UnitName(WaktuUnit.Day)),
        };

        // Office time reads as jam and menit, both with the sign of the whole: −62 menit is "−1 jam −2 menit".
        var hours = decimal.Truncate(OfficeMinutes / 60);
        parts.Add((hours, WaktuText.UnitName(WaktuUnit.Hour)));
        parts.Add((OfficeMinutes - (hours * 60), WaktuText.UnitName(WaktuUnit.Minute)));

        var text = new StringBuilder();
        foreach (var (amount, unitName) in parts.Where(p => p.Amount != 0))
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            if (signed)
            {
                text.Append(amount > 0 ? "+" : "−");
            }
            else if (amount < 0)
            {
                text.Append('−');
            }

            text.Append(WaktuText.Number(Math.Abs(amount))).Append(' ').Append(unitName);
        }

        return text.Length == 0 ? "0 " + WaktuText.UnitName(WaktuUnit.Minute) : text.ToString();
    }

    /// <summary>One "number unit" term of a compound total; the unit is everything up to the next number.</summary>
    [GeneratedRegex(@"\s*\d+(?:[.,]\d+)?\s*[^\d]+", RegexOptions.CultureInvariant)]
    private static partial Regex Term();
}

/// <summary>The sum of a process's step deadlines, with the steps that could not count and the total the SOP states.</summary>
/// <param name="StatedText">The SOP's own total as written, or null when it states none.</param>
/// <param name="Stated">That total as read, or null when there is none or it does not read.</param>
/// <param name="StatedProblem">Why the stated total could not be read, or null.</param>
public sealed record StepWaktuTotal(
    WaktuTotal Total,
    int StepsCounted,
    IReadOnlyList<HumanTask> StepsWithoutWaktu,
    IReadOnlyList<HumanTask> StepsUnreadable,
    string? StatedText,
    WaktuTotal? Stated,
    string? StatedProblem)
{
    /// <summary>The steps' total less the stated one; null without a readable stated total.</summary>
    public WaktuTotal? Difference => Stated is { } stated ? Total - stated : null;
}
