using System.Text.RegularExpressions;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>
/// Puts the XML parser's most common complaints in Bahasa Indonesia for the people who design SOPs; a
/// complaint not listed here is passed on in the parser's own words.
/// </summary>
internal static partial class XmlErrorText
{
    private static readonly (Regex Pattern, string Replacement)[] Translations =
    [
        (StartTagMismatch(), "tag pembuka <$1> (baris $2, kolom $3) ditutup dengan tag penutup </$4> yang tidak cocok"),
        (NotClosed(), "berkas berakhir sebelum elemen berikut ditutup: $1"),
        (EndOfFile(), "berkas berakhir sebelum XML-nya lengkap"),
        (RootLevel(), "ada teks atau tanda yang tidak sah di luar elemen utama"),
        (MultipleRoots(), "ada lebih dari satu elemen utama"),
        (UnexpectedToken(), "'$1' tidak terduga di sini; yang diharapkan $2"),
        (UndeclaredPrefix(), "awalan namespace '$1' belum dideklarasikan (xmlns:$1)"),
        (BadNameStart(), "nama elemen atau atribut tidak boleh diawali karakter '$1'"),
        (UndeclaredEntity(), "entitas '&$1;' tidak dikenal; tulis tanda & sebagai &amp;"),
        (DuplicateAttribute(), "atribut '$1' ditulis dua kali pada satu elemen"),
        (BadAttributeCharacter(), "karakter '$1' tidak boleh ada di dalam nilai atribut"),
        (BadCharacter(), "karakter $1 tidak boleh ada dalam XML"),
    ];

    /// <summary>The complaint in Bahasa Indonesia, without the parser's trailing position.</summary>
    public static string Translate(string parserMessage)
    {
        var detail = TrailingPosition().Replace(parserMessage, string.Empty).TrimEnd('.', ' ');
        foreach (var (pattern, replacement) in Translations)
        {
            if (pattern.IsMatch(detail))
            {
                return pattern.Replace(detail, replacement).Replace("' or '", "' atau '", StringComparison.Ordinal);
            }
        }

        return detail;
    }

    [GeneratedRegex(@"\s*Line \d+, position \d+\.?\s*$")]
    private static partial Regex TrailingPosition();

    [GeneratedRegex(@"^The '(.+)' start tag on line (\d+) position (\d+) does not match the end tag of '(.+)'$")]
    private static partial Regex StartTagMismatch();

    [GeneratedRegex(@"^Unexpected end of file has occurred\. The following elements are not closed: (.+?)\.?$")]
    private static partial Regex NotClosed();

    [GeneratedRegex(@"^Unexpected end of file.*$")]
    private static partial Regex EndOfFile();

    [GeneratedRegex(@"^Data at the root level is invalid$")]
    private static partial Regex RootLevel();

    [GeneratedRegex(@"^There are multiple root elements$")]
    private static partial Regex MultipleRoots();

    [GeneratedRegex(@"^'(.+)' is an unexpected token\. The expected token is (.+)$")]
    private static partial Regex UnexpectedToken();

    [GeneratedRegex(@"^'(.+)' is an undeclared prefix$")]
    private static partial Regex UndeclaredPrefix();

    [GeneratedRegex(@"^Name cannot begin with the '(.+)' character, hexadecimal value .+$")]
    private static partial Regex BadNameStart();

    [GeneratedRegex(@"^Reference to undeclared entity '(.+)'$")]
    private static partial Regex UndeclaredEntity();

    [GeneratedRegex(@"^'(.+)' is a duplicate attribute name$")]
    private static partial Regex DuplicateAttribute();

    [GeneratedRegex(@"^'(.+)', hexadecimal value \w+, is an invalid attribute character$")]
    private static partial Regex BadAttributeCharacter();

    [GeneratedRegex(@"^'.+', hexadecimal value (\w+), is an invalid character$")]
    private static partial Regex BadCharacter();
}
