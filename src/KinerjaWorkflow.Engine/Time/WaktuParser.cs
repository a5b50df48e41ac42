namespace KinerjaWorkflow.Engine.Time;

/// <summary>
/// Reads the Mutu Baku – Waktu column as people write it: "1 – 20 Hari Kerja", "1 s.d. 20 HK", "15 Menit",
/// "30'", "½ jam", "1,5 jam", "3 jam 30 menit", "2 minggu", "1 bulan".
/// </summary>
/// <remarks>
/// A compound ("3 jam 30 menit") becomes one duration in its smallest unit (210 menit). Only units counted the
/// same way combine: menit with jam (both office time) and hari with minggu (both calendar time). Hari kerja and
/// bulan stand alone, because a working day and a month have no fixed length in hours or days. Fractions are
/// accepted for menit and jam only; a fraction of a day is written in hours.
/// </remarks>
public static class WaktuParser
{
    private const string UnitList = "menit, jam, hari, hari kerja, minggu, bulan";

    /// <summary>
    /// Reads a Waktu as SOPs write it. <paramref name="bareNumberUnit"/> is the unit of a bare number, for
    /// SOPs whose column header names the unit (e.g. "Waktu (Menit)").
    /// </summary>
    public static bool TryParse(string? text, WaktuUnit? bareNumberUnit, out Waktu? waktu, out string? error)
    {
        waktu = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "Waktu kosong.";
            return false;
        }

        if (!TryTokenize(text, out var tokens, out var reason)
            || !TryRead(tokens, bareNumberUnit, out var expected, out var deadline, out reason))
        {
            error = $"Waktu \"{text.Trim()}\" tidak dapat dibaca: {reason}.";
            return false;
        }

        waktu = new Waktu(text, expected, deadline);
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryParse"/>, throwing a <see cref="FormatException"/> with the same message.</summary>
    public static Waktu Parse(string text, WaktuUnit? bareNumberUnit = null) =>
        TryParse(text, bareNumberUnit, out var waktu, out var error) ? waktu! : throw new FormatException(error);

    /// <summary>Reads a unit name as an SOP or a column header writes it ("menit", "Hari Kerja").</summary>
    public static bool TryParseUnit(string? text, out WaktuUnit unit)
    {
        unit = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        // A column header names its unit in parentheses after the column name: "Waktu (Menit)".
        var name = text.Replace('(', ' ').Replace(')', ' ').Trim();
        if (name.StartsWith("waktu", StringComparison.OrdinalIgnoreCase))
        {
            name = name[5..];
        }

        if (!TryTokenize(name, out var tokens, out _) || tokens.Count != 1 || tokens[0].Kind != TokenKind.Unit)
        {
            return false;
        }

        unit = tokens[0].Unit;
        return true;
    }

    private enum TokenKind
    {
        Number,
        Unit,
        RangeSeparator,
    }

    private readonly record struct Token(TokenKind Kind, decimal Number = 0, WaktuUnit Unit = default, string Text = "");

    private readonly record struct Term(decimal Amount, WaktuUnit? Unit, string Text);

    private static bool TryTokenize(string text, out List<Token> tokens, out string? reason)
    {
        tokens = [];
        reason = null;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c) || VulgarFraction(c) is not null)
            {
                var start = i;
                tokens.Add(new Token(TokenKind.Number, ReadNumber(text, ref i), Text: text[start..i]));
            }
            else if (IsDash(c))
            {
                tokens.Add(new Token(TokenKind.RangeSeparator, Text: c.ToString()));
                i++;
            }
            else if (c is '\'' or '\u2019' or '\u2032')
            {
                tokens.Add(new Token(TokenKind.Unit, Unit: WaktuUnit.Minute, Text: c.ToString()));
                i++;
            }
            else if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetter(text[i]) || text[i] is '.' or '/'))
                {
                    i++;
                }

                if (!TryReadWord(text[start..i], text, ref i, tokens, out reason))
                {
                    return false;
                }
            }
            else if (c == '.' || c == ',')
            {
                // Trailing punctuation ("20 hari kerja.") carries no meaning.
                i++;
            }
            else
            {
                reason = $"tanda \"{c}\" tidak dikenal";
                return false;
            }
        }

        return true;
    }

    private static decimal ReadNumber(string text, ref int i)
    {
        decimal value = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            value = (value * 10) + (text[i] - '0');
            i++;
        }

        // Indonesian writes a decimal comma ("1,5 jam"); a decimal point is accepted as well.
        if (i + 1 < text.Length && text[i] is ',' or '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            decimal scale = 0.1m;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                value += (text[i] - '0') * scale;
                scale /= 10;
                i++;
            }
        }

        if (i < text.Length && VulgarFraction(text[i]) is { } fraction)
        {
            value += fraction;
            i++;
        }

        return value;
    }

    private static decimal? VulgarFraction(char c) => c switch
    {
        '\u00BD' => 0.5m,
        '\u00BC' => 0.25m,
        '\u00BE' => 0.75m,
        _ => null,
    };

    private static bool IsDash(char c) => c is '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212';

    private static bool TryReadWord(string raw, string text, ref int i, List<Token> tokens, out string? reason)
    {
        reason = null;

        // "s.d.", "s/d" and "sd" are one word; so are "hk." and "HK".
        var word = raw.Replace(".", "", StringComparison.Ordinal).Replace("/", "", StringComparison.Ordinal).ToLowerInvariant();
        switch (word)
        {
            case "":
                return true;
            case "menit" or "mnt" or "min":
                tokens.Add(new Token(TokenKind.Unit, Unit: WaktuUnit.Minute, Text: raw));
                return true;
            case "jam":
                tokens.Add(new Token(TokenKind.Unit, Unit: WaktuUnit.Hour, Text: raw));
                return true;
            case "hari" or "hr":
                var unit = WaktuUnit.Day;
                if (TryConsumeWord(text, ref i, "kerja"))
                {
                    unit = WaktuUnit.WorkingDay;
                }
                else
                {
                    TryConsumeWord(text, ref i, "kalender");
                }

                tokens.Add(new Token(TokenKind.Unit, Unit: unit, Text: raw));
                return true;
            case "hk":
                tokens.Add(new Token(TokenKind.Unit, Unit: WaktuUnit.WorkingDay, Text: raw));
                return true;
            case "minggu" or "pekan":
                tokens.Add(new Token(TokenKind.Unit, Unit: WaktuUnit.Week, Text: raw));
                return true;
            case "bulan" or "bln":
                tokens.Add(new Token(TokenKind.Unit, Unit: WaktuUnit.Month, Text: raw));
                return true;
            case "sd" or "hingga":
                tokens.Add(new Token(TokenKind.RangeSeparator, Text: raw));
                return true;
            case "sampai":
                TryConsumeWord(text, ref i, "dengan");
                tokens.Add(new Token(TokenKind.RangeSeparator, Text: raw));
                return true;
            default:
                reason = $"\"{raw}\" bukan angka atau satuan yang dikenal (tulis angka dan satuan: {UnitList})";
                return false;
        }
    }

    /// <summary>Consumes <paramref name="word"/> if it is the next word after whitespace.</summary>
    private static bool TryConsumeWord(string text, ref int i, string word)
    {
        var j = i;
        while (j < text.Length && char.IsWhiteSpace(text[j]))
        {
            j++;
        }

        var end = j + word.Length;
        if (end > text.Length
            || !text.AsSpan(j, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase)
            || (end < text.Length && char.IsLetter(text[end])))
        {
            return false;
        }

        i = end;
        while (i < text.Length && text[i] == '.')
        {
            i++;
        }

        return true;
    }

    private static bool TryRead(
        List<Token> tokens,
        WaktuUnit? bareNumberUnit,
        out WaktuDuration? expected,
        out WaktuDuration deadline,
        out string? reason)
    {
        expected = null;
        deadline = default;

        var separator = tokens.FindIndex(t => t.Kind == TokenKind.RangeSeparator);
        if (separator >= 0 && tokens.FindIndex(separator + 1, t => t.Kind == TokenKind.RangeSeparator) >= 0)
        {
            reason = "hanya boleh ada satu rentang, misalnya \"1 – 20 hari kerja\"";
            return false;
        }

        if (separator == 0 || separator == tokens.Count - 1)
        {
            reason = "rentang harus punya batas bawah dan batas atas, misalnya \"1 – 20 hari kerja\"";
            return false;
        }

        var upperTokens = separator < 0 ? tokens : tokens.GetRange(separator + 1, tokens.Count - separator - 1);
        if (!TryReadTerms(upperTokens, out var upper, out reason))
        {
            return false;
        }

        // The unit may be written once, after the upper bound: "1 – 20 Hari Kerja".
        if (upper[0].Unit is null)
        {
            if (bareNumberUnit is not { } bare)
            {
                reason = $"angka {upper[0].Text} tidak bersatuan; tulis satuannya, misalnya \"{upper[0].Text} menit\" ({UnitList})";
                return false;
            }

            upper[0] = upper[0] with { Unit = bare };
        }

        if (!TryCombine(upper, out deadline, out reason))
        {
            return false;
        }

        if (separator < 0)
        {
            return true;
        }

        if (!TryReadTerms(tokens.GetRange(0, separator), out var lower, out reason))
        {
            return false;
        }

        if (lower[0].Unit is null)
        {
            lower[0] = lower[0] with { Unit = upper[0].Unit };
        }

        if (!TryCombine(lower, out var lowerDuration, out reason))
        {
            return false;
        }

        if (NominalMinutes(lowerDuration) > NominalMinutes(deadline))
        {
            reason = $"batas bawah ({lowerDuration}) lebih besar dari batas atas ({deadline})";
            return false;
        }

        expected = lowerDuration;
        return true;
    }

    /// <summary>Reads "number unit" pairs; a lone number without a unit is returned with a null unit.</summary>
    private static bool TryReadTerms(List<Token> tokens, out List<Term> terms, out string? reason)
    {
        terms = [];
        reason = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.Unit)
            {
                reason = $"satuan \"{token.Text}\" tidak didahului angka";
                return false;
            }

            if (i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Unit)
            {
                terms.Add(new Term(token.Number, tokens[i + 1].Unit, token.Text));
                i++;
            }
            else if (tokens.Count == 1)
            {
                terms.Add(new Term(token.Number, null, token.Text));
            }
            else
            {
                reason = $"angka {token.Text} tidak bersatuan";
                return false;
            }
        }

        return true;
    }

    private static bool TryCombine(List<Term> terms, out WaktuDuration duration, out string? reason)
    {
        duration = default;
        foreach (var term in terms)
        {
            var unit = term.Unit!.Value;
            if (term.Amount <= 0)
            {
                reason = "jumlah waktu harus lebih dari nol";
                return false;
            }

            if (unit is not (WaktuUnit.Minute or WaktuUnit.Hour) && decimal.Truncate(term.Amount) != term.Amount)
            {
                reason = $"{WaktuText.UnitName(unit)} harus bilangan bulat; tulis pecahannya dalam jam atau menit";
                return false;
            }
        }

        if (terms.Count == 1)
        {
            duration = new WaktuDuration(terms[0].Amount, terms[0].Unit!.Value);
            reason = null;
            return true;
        }

        for (var i = 0; i < terms.Count; i++)
        {
            for (var j = i + 1; j < terms.Count; j++)
            {
                var (a, b) = (terms[i].Unit!.Value, terms[j].Unit!.Value);
                if (a == b)
                {
                    reason = $"satuan {WaktuText.UnitName(a)} ditulis dua kali";
                    return false;
                }

                if (Family(a) != Family(b) || Family(a) == UnitFamily.Alone)
                {
                    reason = $"{WaktuText.UnitName(a)} dan {WaktuText.UnitName(b)} tidak dapat digabung; "
                        + "menit dan jam dihitung dalam jam kantor, hari dan minggu dalam hari kalender, "
                        + "hari kerja dan bulan berdiri sendiri";
                    return false;
                }
            }
        }

        var officeTime = Family(terms[0].Unit!.Value) == UnitFamily.OfficeTime;
        decimal total = 0;
        foreach (var term in terms)
        {
            total += term.Amount * term.Unit switch
            {
                WaktuUnit.Hour => 60,
                WaktuUnit.Week => 7,
                _ => 1,
            };
        }

        duration = new WaktuDuration(total, officeTime ? WaktuUnit.Minute : WaktuUnit.Day);
        reason = null;
        return true;
    }

    private enum UnitFamily
    {
        OfficeTime,
        CalendarDays,
        Alone,
    }

    private static UnitFamily Family(WaktuUnit unit) => unit switch
    {
        WaktuUnit.Minute or WaktuUnit.Hour => UnitFamily.OfficeTime,
        WaktuUnit.Day or WaktuUnit.Week => UnitFamily.CalendarDays,
        _ => UnitFamily.Alone,
    };

    /// <summary>
    /// A rough length used only to check that a range's lower bound is not above its upper bound when the two
    /// are in different units: office hours count as clock hours, a working day as 7/5 of a calendar day (five
    /// of them make a week) and a month as 30 days. Exact answers need the office's calendar, which a Waktu
    /// does not know.
    /// </summary>
    private static decimal NominalMinutes(WaktuDuration duration) => duration.Amount * duration.Unit switch
    {
        WaktuUnit.Minute => 1m,
        WaktuUnit.Hour => 60m,
        WaktuUnit.Day => 1440m,
        WaktuUnit.WorkingDay => 1440m * 7 / 5,
        WaktuUnit.Week => 1440m * 7,
        WaktuUnit.Month => 1440m * 30,
        _ => throw new ArgumentOutOfRangeException(nameof(duration), duration.Unit, null),
    };
}
