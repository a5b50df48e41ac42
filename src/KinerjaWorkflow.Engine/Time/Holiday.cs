using System.Globalization;
using System.Text;

namespace KinerjaWorkflow.Engine.Time;

public enum HolidayKind
{
    /// <summary>Hari libur nasional ("libur-nasional" in the calendar files).</summary>
    NationalHoliday,

    /// <summary>Cuti bersama set by the SKB 3 Menteri ("cuti-bersama").</summary>
    CutiBersama,

    /// <summary>A closure of one office only (organization.yaml closures).</summary>
    OfficeClosure,
}

/// <summary>A day the office is closed although it falls on an opening day of the week.</summary>
public sealed record Holiday(DateOnly Date, string Name, HolidayKind Kind);

/// <summary>A line of a holiday file that was not accepted.</summary>
public sealed record HolidayReadError(int Line, string Message)
{
    public override string ToString() => $"baris {Line}: {Message}";
}

public sealed record HolidayReadResult(IReadOnlyList<Holiday> Holidays, IReadOnlyList<HolidayReadError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Reads workflows/calendars/*.csv: a header <c>tanggal,nama,jenis</c>, then one line per day with the date
/// (YYYY-MM-DD), the name, and the kind (libur-nasional or cuti-bersama). Fields may be quoted as in RFC 4180.
/// Blank lines are skipped; every other bad line (including a date listed twice, or outside <c>year</c> when one is
/// given) is reported with its number and the good lines are kept.
/// </summary>
public static class HolidayCalendarReader
{
    public const string Header = "tanggal,nama,jenis";

    public static HolidayReadResult Read(TextReader reader, int? year = null)
    {
        var holidays = new List<Holiday>();
        var seen = new Dictionary<DateOnly, int>();
        var errors = new List<HolidayReadError>();
        var fields = new List<string>();
        var headerSeen = false;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                line = line.TrimStart('\uFEFF');
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (!headerSeen)
            {
                headerSeen = true;
                if (!string.Equals(line.Replace(" ", "", StringComparison.Ordinal), Header, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new HolidayReadError(lineNumber, $"baris pertama harus \"{Header}\", bukan \"{line.Trim()}\"."));
                }

                continue;
            }

            if (TryReadLine(line, fields, out var holiday, out var message))
            {
                if (year is { } expected && holiday!.Date.Year != expected)
                {
                    errors.Add(new HolidayReadError(lineNumber, $"tanggal {holiday.Date:yyyy-MM-dd} bukan tahun {expected}."));
                }
                else if (seen.TryGetValue(holiday!.Date, out var first))
                {
                    errors.Add(new HolidayReadError(lineNumber, $"tanggal {holiday.Date:yyyy-MM-dd} sudah ada di baris {first}."));
                }
                else
                {
                    seen.Add(holiday.Date, lineNumber);
                    holidays.Add(holiday);
                }
            }
            else
            {
                errors.Add(new HolidayReadError(lineNumber, message!));
            }
        }

        if (!headerSeen)
        {
            errors.Add(new HolidayReadError(1, $"berkas kosong; baris pertama harus \"{Header}\"."));
        }

        return new HolidayReadResult(holidays, errors);
    }

    private static bool TryReadLine(string line, List<string> fields, out Holiday? holiday, out string? message)
    {
        holiday = null;
        if (!TrySplit(line, fields, out message))
        {
            return false;
        }

        if (fields.Count != 3)
        {
            message = $"harus ada 3 kolom ({Header}), ditemukan {fields.Count}.";
            return false;
        }

        if (!DateOnly.TryParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            message = $"tanggal \"{fields[0]}\" tidak valid; tulis YYYY-MM-DD, misalnya 2025-03-31.";
            return false;
        }

        if (fields[1].Length == 0)
        {
            message = "nama hari libur kosong.";
            return false;
        }

        HolidayKind kind;
        switch (fields[2].ToLowerInvariant())
        {
            case "libur-nasional":
                kind = HolidayKind.NationalHoliday;
                break;
            case "cuti-bersama":
                kind = HolidayKind.CutiBersama;
                break;
            default:
                message = $"jenis \"{fields[2]}\" tidak dikenal; tulis libur-nasional atau cuti-bersama.";
                return false;
        }

        holiday = new Holiday(date, fields[1], kind);
        return true;
    }

    private static bool TrySplit(string line, List<string> fields, out string? message)
    {
        fields.Clear();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        message = "tanda kutip tidak ditutup.";
                        return false;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i]);
                    i++;
                }

                while (i < line.Length && line[i] != ',')
                {
                    if (!char.IsWhiteSpace(line[i]))
                    {
                        message = "teks sesudah tanda kutip penutup; kutip seluruh kolom.";
                        return false;
                    }

                    i++;
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i]);
                    i++;
                }
            }

            fields.Add(field.ToString().Trim());
            if (i >= line.Length)
            {
                message = null;
                return true;
            }

            i++;
        }
    }
}
