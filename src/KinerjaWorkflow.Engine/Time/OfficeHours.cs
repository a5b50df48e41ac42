using System.Globalization;

namespace KinerjaWorkflow.Engine.Time;

/// <summary>The hours an office is open on one day of the week, in its local time.</summary>
public readonly record struct OfficeDay
{
    private static readonly string[] TimeFormats = ["H:mm", "HH:mm", "H.mm", "HH.mm"];

    public OfficeDay(TimeOnly open, TimeOnly close)
    {
        if (close <= open)
        {
            throw new ArgumentException($"Jam tutup {close:HH\\:mm} harus sesudah jam buka {open:HH\\:mm}.", nameof(close));
        }

        Open = open;
        Close = close;
    }

    public TimeOnly Open { get; }
    public TimeOnly Close { get; }

    public TimeSpan Length => Close.ToTimeSpan() - Open.ToTimeSpan();

    /// <summary>Reads "07:30-16:00" (also "07.30 – 16.00").</summary>
    public static bool TryParse(string? text, out OfficeDay day, out string? error)
    {
        day = default;
        var parts = (text ?? "").Split(['-', '\u2013', '\u2014'], StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
            || !TimeOnly.TryParseExact(parts[1], TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var close))
        {
            error = $"Jam kantor \"{text}\" tidak dapat dibaca; tulis jam buka dan jam tutup, misalnya \"07:30-16:00\".";
            return false;
        }

        if (close <= open)
        {
            error = $"Jam kantor \"{text}\": jam tutup harus sesudah jam buka.";
            return false;
        }

        day = new OfficeDay(open, close);
        error = null;
        return true;
    }

    public override string ToString() => $"{Open:HH\\:mm}-{Close:HH\\:mm}";
}

/// <summary>The office's opening hours per day of the week; a day without hours is closed.</summary>
public sealed class OfficeHours
{
    private readonly OfficeDay?[] _days;

    /// <summary>Days missing from <paramref name="openDays"/> are closed; at least one day must be open.</summary>
    public OfficeHours(IReadOnlyDictionary<DayOfWeek, OfficeDay> openDays)
        : this(ToArray(openDays))
    {
    }

    private OfficeHours(OfficeDay?[] days)
    {
        if (Array.TrueForAll(days, d => d is null))
        {
            throw new ArgumentException("Kantor harus buka setidaknya satu hari dalam seminggu.", nameof(days));
        }

        _days = days;
    }

    /// <summary>Mon–Thu 07:30–16:00, Fri 07:30–16:30, Sat/Sun closed (the civil-service working week).</summary>
    public static OfficeHours Default { get; } = new(new Dictionary<DayOfWeek, OfficeDay>
    {
        [DayOfWeek.Monday] = new(new TimeOnly(7, 30), new TimeOnly(16, 0)),
        [DayOfWeek.Tuesday] = new(new TimeOnly(7, 30), new TimeOnly(16, 0)),
        [DayOfWeek.Wednesday] = new(new TimeOnly(7, 30), new TimeOnly(16, 0)),
        [DayOfWeek.Thursday] = new(new TimeOnly(7, 30), new TimeOnly(16, 0)),
        [DayOfWeek.Friday] = new(new TimeOnly(7, 30), new TimeOnly(16, 30)),
    });

    /// <summary>The hours on <paramref name="day"/>, or null when the office is closed that day of the week.</summary>
    public OfficeDay? For(DayOfWeek day) => _days[(int)day];

    /// <summary>A copy with <paramref name="day"/> changed; null closes it.</summary>
    public OfficeHours With(DayOfWeek day, OfficeDay? hours)
    {
        var days = (OfficeDay?[])_days.Clone();
        days[(int)day] = hours;
        return new OfficeHours(days);
    }

    /// <summary>
    /// Reads organization.yaml's officeHours: day name (English "monday" or Indonesian "senin") to "07:30-16:00",
    /// or null / "" / "tutup" / "libur" for a closed day. Days not named keep <see cref="Default"/>'s hours.
    /// Every problem is reported, each as one sentence.
    /// </summary>
    public static bool TryParse(
        IEnumerable<KeyValuePair<string, string?>> days,
        out OfficeHours? hours,
        out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var result = (OfficeDay?[])Default._days.Clone();

        foreach (var (name, value) in days)
        {
            if (!TryParseDay(name, out var day))
            {
                problems.Add($"Hari \"{name}\" tidak dikenal; tulis monday–sunday atau senin–minggu.");
                continue;
            }

            if (IsClosed(value))
            {
                result[(int)day] = null;
            }
            else if (OfficeDay.TryParse(value, out var officeDay, out var error))
            {
                result[(int)day] = officeDay;
            }
            else
            {
                problems.Add($"{DayName(day)}: {error}");
            }
        }

        if (problems.Count == 0 && Array.TrueForAll(result, d => d is null))
        {
            problems.Add("Kantor harus buka setidaknya satu hari dalam seminggu.");
        }

        errors = problems;
        if (problems.Count > 0)
        {
            hours = null;
            return false;
        }

        hours = new OfficeHours(result);
        return true;
    }

    /// <summary>Reads a day name in English or Indonesian, any case.</summary>
    public static bool TryParseDay(string? name, out DayOfWeek day)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "monday" or "senin":
                day = DayOfWeek.Monday;
                return true;
            case "tuesday" or "selasa":
                day = DayOfWeek.Tuesday;
                return true;
            case "wednesday" or "rabu":
                day = DayOfWeek.Wednesday;
                return true;
            case "thursday" or "kamis":
                day = DayOfWeek.Thursday;
                return true;
            case "friday" or "jumat" or "jum'at":
                day = DayOfWeek.Friday;
                return true;
            case "saturday" or "sabtu":
                day = DayOfWeek.Saturday;
                return true;
            case "sunday" or "minggu" or "ahad":
                day = DayOfWeek.Sunday;
                return true;
            default:
                day = default;
                return false;
        }
    }

    private static OfficeDay?[] ToArray(IReadOnlyDictionary<DayOfWeek, OfficeDay> openDays)
    {
        var days = new OfficeDay?[7];
        foreach (var (day, hours) in openDays)
        {
            // default(OfficeDay) has no length and would make every deadline on that day unreachable.
            if (hours.Length <= TimeSpan.Zero)
            {
                throw new ArgumentException($"Jam kantor hari {DayName(day)} kosong.", nameof(openDays));
            }

            days[(int)day] = hours;
        }

        return days;
    }

    private static bool IsClosed(string? value) =>
        string.IsNullOrWhiteSpace(value) || value.Trim().ToLowerInvariant() is "tutup" or "libur" or "closed";

    internal static string DayName(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "Senin",
        DayOfWeek.Tuesday => "Selasa",
        DayOfWeek.Wednesday => "Rabu",
        DayOfWeek.Thursday => "Kamis",
        DayOfWeek.Friday => "Jumat",
        DayOfWeek.Saturday => "Sabtu",
        _ => "Minggu",
    };
}
