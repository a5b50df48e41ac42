using System.Globalization;

namespace KinerjaWorkflow.Engine.Time;

/// <summary>A break inside an office day (istirahat), in local time: the office's working clock stops during it.</summary>
public readonly record struct OfficeBreak(TimeOnly Start, TimeOnly End)
{
    public override string ToString() => $"{Start:HH\\:mm}-{End:HH\\:mm}";
}

/// <summary>A stretch of one day during which the office works: from an opening (or a break's end) to a break or the close.</summary>
public readonly record struct WorkingPeriod(TimeOnly Start, TimeOnly End);

/// <summary>The hours an office is open on one day of the week, in its local time, and its breaks that day.</summary>
public readonly record struct OfficeDay
{
    internal static readonly string[] TimeFormats = ["H:mm", "HH:mm", "H.mm", "HH.mm"];

    private readonly OfficeBreak[]? _breaks;

    /// <param name="breaks">Inside the day, in order and not overlapping.</param>
    public OfficeDay(TimeOnly open, TimeOnly close, params OfficeBreak[] breaks)
    {
        if (close <= open)
        {
            throw new ArgumentException($"Jam tutup {close:HH\\:mm} harus sesudah jam buka {open:HH\\:mm}.", nameof(close));
        }

        if (BreakProblem(open, close, breaks) is { } problem)
        {
            throw new ArgumentException(problem, nameof(breaks));
        }

        Open = open;
        Close = close;
        _breaks = breaks.Length == 0 ? null : [.. breaks];
    }

    public TimeOnly Open { get; }
    public TimeOnly Close { get; }

    public IReadOnlyList<OfficeBreak> Breaks => _breaks ?? [];

    /// <summary>The office's working time that day: open to close less the breaks.</summary>
    public TimeSpan Length => Periods.Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.End - p.Start));

    /// <summary>The stretches of working time between opening, breaks and close, in order.</summary>
    public IReadOnlyList<WorkingPeriod> Periods
    {
        get
        {
            var periods = new List<WorkingPeriod>(Breaks.Count + 1);
            var from = Open;
            foreach (var pause in Breaks)
            {
                periods.Add(new WorkingPeriod(from, pause.Start));
                from = pause.End;
            }

            periods.Add(new WorkingPeriod(from, Close));
            return periods;
        }
    }

    /// <summary>Reads "07:30-16:00" (also "07.30 – 16.00").</summary>
    public static bool TryParse(string? text, out OfficeDay day, out string? error)
    {
        day = default;
        if (!TryParseSpan(text, out var open, out var close))
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

    /// <summary>
    /// Reads a day's breaks: "12:00-13:00", several separated by commas ("10:00-10:15, 12:00-13:00"), or
    /// "tidak ada" for none; each must lie inside the day's hours.
    /// </summary>
    public bool TryWithBreaks(string? text, out OfficeDay day, out string? error)
    {
        day = this;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.ToLowerInvariant() is "tidak ada" or "none" or "-")
        {
            day = new OfficeDay(Open, Close);
            error = null;
            return true;
        }

        var breaks = new List<OfficeBreak>();
        foreach (var part in trimmed.Split([',', ';'], StringSplitOptions.TrimEntries))
        {
            if (!TryParseSpan(part, out var start, out var end) || end <= start)
            {
                error = $"Jam istirahat \"{text}\" tidak dapat dibaca; tulis misalnya \"12:00-13:00\", beberapa dipisah koma, atau \"tidak ada\".";
                return false;
            }

            breaks.Add(new OfficeBreak(start, end));
        }

        if (BreakProblem(Open, Close, [.. breaks]) is { } problem)
        {
            error = $"Jam istirahat \"{text}\": {problem}";
            return false;
        }

        day = new OfficeDay(Open, Close, [.. breaks]);
        error = null;
        return true;
    }

    public bool Equals(OfficeDay other) => Open == other.Open && Close == other.Close && Breaks.SequenceEqual(other.Breaks);

    public override int GetHashCode() => HashCode.Combine(Open, Close, Breaks.Count);

    /// <summary>"07:30-16:00", with its breaks: "07:30-16:00 (istirahat 12:00-13:00)".</summary>
    public override string ToString() =>
        Breaks.Count == 0
            ? $"{Open:HH\\:mm}-{Close:HH\\:mm}"
            : $"{Open:HH\\:mm}-{Close:HH\\:mm} (istirahat {string.Join(", ", Breaks)})";

    private static bool TryParseSpan(string? text, out TimeOnly start, out TimeOnly end)
    {
        start = end = default;
        var parts = (text ?? "").Split(['-', '\u2013', '\u2014'], StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out start)
            && TimeOnly.TryParseExact(parts[1], TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out end);
    }

    private static string? BreakProblem(TimeOnly open, TimeOnly close, OfficeBreak[] breaks)
    {
        var after = open;
        foreach (var pause in breaks)
        {
            if (pause.End <= pause.Start)
            {
                return $"istirahat {pause} berakhir sebelum mulai.";
            }

            if (pause.Start <= after || pause.End >= close)
            {
                return $"istirahat {pause} harus di dalam jam kantor {open:HH\\:mm}-{close:HH\\:mm}, sesudah istirahat sebelumnya.";
            }

            after = pause.End;
        }

        return null;
    }
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
        out IReadOnlyList<string> errors) => TryParse(days, [], out hours, out errors);

    /// <summary>
    /// Reads officeHours as above, then organization.yaml's breaks: day name to "12:00-13:00" (several separated
    /// by commas, or "tidak ada"). A break on a closed day, or outside the day's hours, is an error.
    /// </summary>
    public static bool TryParse(
        IEnumerable<KeyValuePair<string, string?>> days,
        IEnumerable<KeyValuePair<string, string?>> breaks,
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

        foreach (var (name, value) in breaks)
        {
            if (!TryParseDay(name, out var day))
            {
                problems.Add($"Hari \"{name}\" pada jam istirahat tidak dikenal; tulis monday–sunday atau senin–minggu.");
            }
            else if (result[(int)day] is not { } open)
            {
                problems.Add($"{DayName(day)}: kantor tutup, jadi tidak punya jam istirahat.");
            }
            else if (open.TryWithBreaks(value, out var withBreaks, out var error))
            {
                result[(int)day] = withBreaks;
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
