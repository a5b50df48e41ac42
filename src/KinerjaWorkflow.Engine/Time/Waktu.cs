namespace KinerjaWorkflow.Engine.Time;

/// <summary>The units an SOP writes its Waktu in.</summary>
public enum WaktuUnit
{
    Minute,
    Hour,

    /// <summary>Calendar days ("5 hari").</summary>
    Day,

    /// <summary>Working days ("1 Hari Kerja", "HK").</summary>
    WorkingDay,
    Week,
    Month,
}

public readonly record struct WaktuDuration(decimal Amount, WaktuUnit Unit);

/// <summary>
/// A parsed Mutu Baku – Waktu: the deadline is the upper bound of a range ("1 – 20 Hari Kerja" gives 20
/// working days), the expected time its lower bound.
/// </summary>
public sealed record Waktu(string Text, WaktuDuration? Expected, WaktuDuration Deadline);

public static class WaktuParser
{
    /// <summary>
    /// Reads a Waktu as SOPs write it. <paramref name="bareNumberUnit"/> is the unit of a bare number, for
    /// SOPs whose column header names the unit (e.g. "Waktu (Menit)").
    /// </summary>
    public static bool TryParse(string? text, WaktuUnit? bareNumberUnit, out Waktu? waktu, out string? error)
    {
        throw new NotImplementedException();
    }

    /// <summary>Reads a unit name as an SOP or a column header writes it ("menit", "Hari Kerja").</summary>
    public static bool TryParseUnit(string? text, out WaktuUnit unit)
    {
        throw new NotImplementedException();
    }
}
