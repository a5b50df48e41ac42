using System.Globalization;
using System.Text;

namespace KinerjaWorkflow.Engine.Conditions;

/// <summary>
/// Splits condition text into tokens with a single forward scan (no regular expressions, so no
/// backtracking on hostile input). The text is already bounded in length by the parser.
/// </summary>
internal static class ConditionTokenizer
{
    public static List<ConditionToken> Tokenize(string text)
    {
        var tokens = new List<ConditionToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new ConditionToken(ConditionTokenKind.End, string.Empty, text.Length));
                return tokens;
            }

            var token = ReadToken(text, i);
            tokens.Add(token);
            i = token.End;
        }
    }

    private static ConditionToken ReadToken(string text, int start)
    {
        var c = text[start];
        var next = start + 1 < text.Length ? text[start + 1] : '\0';
        if (c is '"' or '\'')
        {
            return ReadString(text, start);
        }

        if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(next)))
        {
            return ReadNumber(text, start);
        }

        if (IsNameStart(c))
        {
            return ReadWord(text, start);
        }

        return c switch
        {
            '=' when next == '=' => Symbol(ConditionTokenKind.Equal, text, start, 2),
            '=' => throw ConditionSyntax.Error("Gunakan '==' untuk membandingkan, bukan '='", start),
            '!' when next == '=' => Symbol(ConditionTokenKind.NotEqual, text, start, 2),
            '!' => Symbol(ConditionTokenKind.Not, text, start, 1),
            '<' when next == '=' => Symbol(ConditionTokenKind.LessOrEqual, text, start, 2),
            '<' => Symbol(ConditionTokenKind.Less, text, start, 1),
            '>' when next == '=' => Symbol(ConditionTokenKind.GreaterOrEqual, text, start, 2),
            '>' => Symbol(ConditionTokenKind.Greater, text, start, 1),
            '&' when next == '&' => Symbol(ConditionTokenKind.And, text, start, 2),
            '&' => throw ConditionSyntax.Error("Gunakan '&&' (atau 'and'), bukan '&'", start),
            '|' when next == '|' => Symbol(ConditionTokenKind.Or, text, start, 2),
            '|' => throw ConditionSyntax.Error("Gunakan '||' (atau 'or'), bukan '|'", start),
            '(' => Symbol(ConditionTokenKind.LeftParen, text, start, 1),
            ')' => Symbol(ConditionTokenKind.RightParen, text, start, 1),
            '[' => Symbol(ConditionTokenKind.LeftBracket, text, start, 1),
            ']' => Symbol(ConditionTokenKind.RightBracket, text, start, 1),
            ',' => Symbol(ConditionTokenKind.Comma, text, start, 1),
            '-' => throw ConditionSyntax.Error("Diharapkan angka tepat setelah tanda minus '-'", start),
            _ => throw ConditionSyntax.Error($"Karakter {Show(text, start)} tidak dikenal", start),
        };
    }

    private static ConditionToken Symbol(ConditionTokenKind kind, string text, int start, int length) =>
        new(kind, text.Substring(start, length), start);

    private static ConditionToken ReadString(string text, int start)
    {
        var quote = text[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= text.Length)
            {
                throw ConditionSyntax.Error("Tanda kutip penutup tidak ditemukan", start);
            }

            var c = text[i];
            if (c == quote)
            {
                return new ConditionToken(ConditionTokenKind.String, text[start..(i + 1)], start)
                {
                    Value = ConditionValue.FromString(value.ToString()),
                };
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    throw ConditionSyntax.Error("Tanda kutip penutup tidak ditemukan", start);
                }

                var escaped = text[i + 1];
                if (escaped is not ('"' or '\'' or '\\'))
                {
                    throw ConditionSyntax.Error(
                        $"Urutan '\\{escaped}' tidak dikenal di dalam teks; yang dapat dipakai hanya \\\", \\' dan \\\\", i);
                }

                value.Append(escaped);
                i += 2;
                continue;
            }

            value.Append(c);
            i++;
        }
    }

    private static ConditionToken ReadNumber(string text, int start)
    {
        var i = start;
        if (text[i] == '-')
        {
            i++;
        }

        i = SkipDigits(text, i);
        if (i < text.Length && text[i] == '.')
        {
            if (i + 1 >= text.Length || !char.IsAsciiDigit(text[i + 1]))
            {
                throw ConditionSyntax.Error("Diharapkan angka setelah titik desimal", i + 1);
            }

            i = SkipDigits(text, i + 1);
        }

        var source = text[start..i];
        if (!decimal.TryParse(source, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw ConditionSyntax.Error($"Angka '{source}' terlalu besar", start);
        }

        return new ConditionToken(ConditionTokenKind.Number, source, start) { Value = ConditionValue.FromNumber(number) };
    }

    private static ConditionToken ReadWord(string text, int start)
    {
        var i = SkipName(text, start);
        var first = text[start..i];
        var keyword = first.ToUpperInvariant() switch
        {
            "AND" => ConditionTokenKind.And,
            "OR" => ConditionTokenKind.Or,
            "NOT" => ConditionTokenKind.Not,
            "IN" => ConditionTokenKind.In,
            "TRUE" => ConditionTokenKind.True,
            "FALSE" => ConditionTokenKind.False,
            "NULL" => ConditionTokenKind.Null,
            _ => ConditionTokenKind.Variable,
        };

        switch (keyword)
        {
            case ConditionTokenKind.True:
                return new ConditionToken(keyword, first, start) { Value = ConditionValue.FromBool(true) };
            case ConditionTokenKind.False:
                return new ConditionToken(keyword, first, start) { Value = ConditionValue.FromBool(false) };
            case ConditionTokenKind.Variable:
                break;
            default:
                return new ConditionToken(keyword, first, start);
        }

        var segments = new List<string> { first };
        while (i < text.Length && text[i] == '.')
        {
            var segmentStart = i + 1;
            if (segmentStart >= text.Length || !IsNameStart(text[segmentStart]))
            {
                throw ConditionSyntax.Error("Diharapkan nama properti setelah '.'", segmentStart);
            }

            i = SkipName(text, segmentStart);
            segments.Add(text[segmentStart..i]);
        }

        return new ConditionToken(ConditionTokenKind.Variable, text[start..i], start) { Segments = segments };
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static int SkipName(string text, int i)
    {
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i;
    }

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>Shows an unknown character so a person can see it, even when it is invisible or a control character.</summary>
    private static string Show(string text, int position)
    {
        var c = text[position];
        if (char.IsHighSurrogate(c) && position + 1 < text.Length && char.IsLowSurrogate(text[position + 1]))
        {
            return $"'{text.Substring(position, 2)}'";
        }

        if (char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format)
        {
            return string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
        }

        return $"'{c}'";
    }
}
