using System.Globalization;

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

public readonly record struct WaktuDuration(decimal Amount, WaktuUnit Unit)
{
    /// <summary>The duration as an SOP would write it, e.g. "20 hari kerja" or "1,5 jam"; used in messages.</summary>
    public override string ToString() => $"{WaktuText.Number(Amount)} {WaktuText.UnitName(Unit)}";
}

/// <summary>
/// A parsed Mutu Baku – Waktu: the deadline is the upper bound of a range ("1 – 20 Hari Kerja" gives 20
/// working days), the expected time its lower bound.
/// </summary>
public sealed record Waktu(string Text, WaktuDuration? Expected, WaktuDuration Deadline);

internal static class WaktuText
{
    // Indonesian writes a decimal comma ("1,5 jam"); built by hand so messages do not depend on ICU data.
    private static readonly NumberFormatInfo DecimalComma = new() { NumberDecimalSeparator = "," };

    public static string Number(decimal amount) => amount.ToString("0.##########", DecimalComma);

    public static string UnitName(WaktuUnit unit) => unit switch
    {
        WaktuUnit.Minute => "menit",
        WaktuUnit.Hour => "jam",
        WaktuUnit.Day => "hari",
        WaktuUnit.WorkingDay => "hari kerja",
        WaktuUnit.Week => "minggu",
        WaktuUnit.Month => "bulan",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };
}
