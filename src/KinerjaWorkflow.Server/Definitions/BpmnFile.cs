using System.Text;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Engine.Bpmn;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>A BPMN file's text, or why its bytes are not text.</summary>
public sealed record DecodedBpmn(string? Xml, DefinitionProblem? Problem);

/// <summary>
/// Turns an uploaded or stored BPMN file's bytes into text the way an XML parser would: a byte order mark
/// first, then the encoding its XML declaration names, UTF-8 when it names none. Bytes the encoding cannot
/// read refuse the file; decoding never puts U+FFFD in place of a character, since that text would be stored
/// and shown damaged for good. A file decoded from another encoding is stored as UTF-8 and says so.
/// </summary>
public static partial class BpmnFile
{
    private const int DeclarationWindow = 256;

    static BpmnFile()
    {
        // Windows code pages (windows-1252, which Windows tools write) come with the runtime but are not registered by default.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static async Task<DecodedBpmn> ReadAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return Decode(buffer.ToArray());
    }

    public static DecodedBpmn Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var (encoding, start) = ByteOrderMark(bytes);
        string? declared = null;
        if (encoding is null)
        {
            declared = DeclaredEncoding(bytes);
            if (declared is not null && !TryGetEncoding(declared, out encoding))
            {
                return Refused($"Pengodean \"{declared}\" pada deklarasi XML tidak dikenal; simpan berkas sebagai UTF-8 (encoding=\"UTF-8\").");
            }

            // The declaration was read one byte per character, so the bytes are not UTF-16 or UTF-32 whatever it says.
            encoding = encoding is null || encoding.CodePage is 1200 or 1201 or 12000 or 12001 ? Strict(Encoding.UTF8) : encoding;
        }

        string text;
        try
        {
            text = encoding.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var at = start + Math.Max(0, e.Index);
            var line = bytes.AsSpan(0, Math.Min(at, bytes.Length)).Count((byte)'\n') + 1;
            var shown = e.BytesUnknown is { Length: > 0 } unknown ? $" (0x{Convert.ToHexString(unknown)})" : string.Empty;
            return Refused(
                $"Berkas BPMN bukan teks {Name(encoding)} yang sah: byte ke-{at + 1}{shown} pada baris {line} tidak dapat dibaca. Simpan berkas sebagai UTF-8, atau tulis pengodean yang benar pada deklarasi XML (misalnya encoding=\"ISO-8859-1\").",
                line);
        }

        if (start > 0 && Declaration().Match(text) is { Success: true } written)
        {
            // A byte order mark decides the encoding (XML 1.0, appendix F); a declaration naming another one is
            // an error, and kept as written it would misread the stored UTF-8 for every tool that opens it.
            var name = written.Groups["name"].Value;
            if (!TryGetEncoding(name, out var named) || !SameFamily(named!, encoding))
            {
                return Refused($"Deklarasi XML menyebut pengodean \"{name}\", padahal tanda urutan byte (BOM) di awal berkas menandai {Name(encoding)}. Simpan berkas sebagai UTF-8 dan tulis encoding=\"UTF-8\".");
            }

            declared = name;
        }

        return new DecodedBpmn(declared is null || encoding.CodePage == Encoding.UTF8.CodePage ? text : DeclareUtf8(text), null);
    }

    private static (Encoding? Encoding, int Start) ByteOrderMark(byte[] bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Strict(Encoding.UTF8), 3),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (Strict(Encoding.UTF32), 4),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (Strict(new UTF32Encoding(bigEndian: true, byteOrderMark: false)), 4),
        [0xFF, 0xFE, ..] => (Strict(Encoding.Unicode), 2),
        [0xFE, 0xFF, ..] => (Strict(Encoding.BigEndianUnicode), 2),
        _ => (null, 0),
    };

    private static string? DeclaredEncoding(byte[] bytes)
    {
        var head = Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, DeclarationWindow));
        var match = Declaration().Match(head);
        return match.Success ? match.Groups["name"].Value : null;
    }

    private static bool TryGetEncoding(string name, out Encoding? encoding)
    {
        try
        {
            encoding = Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // NotSupportedException: UTF-7, which .NET no longer decodes.
            encoding = null;
            return false;
        }
    }

    /// <summary>UTF-16 written as "UTF-16" or as "UTF-16LE"/"UTF-16BE" names the same encoding as its byte order mark.</summary>
    private static bool SameFamily(Encoding declared, Encoding marked) =>
        declared.CodePage == marked.CodePage
        || (declared.CodePage is 1200 or 1201 && marked.CodePage is 1200 or 1201)
        || (declared.CodePage is 12000 or 12001 && marked.CodePage is 12000 or 12001);

    private static Encoding Strict(Encoding encoding) =>
        Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    private static string Name(Encoding encoding) => encoding.CodePage == Encoding.UTF8.CodePage ? "UTF-8" : encoding.WebName.ToUpperInvariant();

    private static string DeclareUtf8(string text)
    {
        var match = Declaration().Match(text);
        return match.Success ? text.Remove(match.Groups["name"].Index, match.Groups["name"].Length).Insert(match.Groups["name"].Index, "UTF-8") : text;
    }

    private static DecodedBpmn Refused(string message, int? line = null) =>
        new(null, new DefinitionProblem(ProblemSeverity.Error, null, null, message, line));

    [GeneratedRegex("""\A<\?xml\s[^>]*?\bencoding\s*=\s*["'](?<name>[A-Za-z][A-Za-z0-9._\-]*)["']""")]
    private static partial Regex Declaration();
}
