using System.Text;
using KinerjaWorkflow.Server.Definitions;

namespace KinerjaWorkflow.Server.Tests.Api;

/// <summary>A BPMN file's bytes become text as its declaration says, or are refused; never text with U+FFFD.</summary>
public class BpmnFileTests
{
    private const string Name = "Rapat koordinasi: café ½ ±5 °C";

    private static string Xml(string? encoding) =>
        $"""<?xml version="1.0"{(encoding is null ? string.Empty : $" encoding=\"{encoding}\"")}?>""" + "\n" + $"""<a name="{Name}" />""";

    public static TheoryData<string, byte[], string> Readable => new()
    {
        { "UTF-8, declared", Encoding.UTF8.GetBytes(Xml("UTF-8")), Xml("UTF-8") },
        { "UTF-8, no declaration of encoding", Encoding.UTF8.GetBytes(Xml(null)), Xml(null) },
        { "UTF-8 with a byte order mark", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Xml("UTF-8"))], Xml("UTF-8") },
        { "ISO-8859-1", Encoding.Latin1.GetBytes(Xml("ISO-8859-1")), Xml("UTF-8") },
        { "windows-1252, lower case", Encoding.Latin1.GetBytes(Xml("windows-1252")), Xml("UTF-8") },
        { "UTF-16 with a byte order mark", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Xml("UTF-16"))], Xml("UTF-8") },
        { "UTF-16 big-endian with a byte order mark", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Xml("UTF-16"))], Xml("UTF-8") },
        { "UTF-16 with a byte order mark and no declaration of encoding", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Xml(null))], Xml(null) },
        { "UTF-32 with a byte order mark", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(Xml("UTF-32"))], Xml("UTF-8") },
        { "declared UTF-16 but written one byte a character", Encoding.UTF8.GetBytes(Xml("UTF-16")), Xml("UTF-16") },
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void Bytes_are_decoded_as_the_file_declares(string what, byte[] bytes, string text)
    {
        var decoded = BpmnFile.Decode(bytes);

        decoded.Problem.Should().BeNull(what);
        decoded.Xml.Should().Be(text);
    }

    public static TheoryData<string, byte[], string> Unreadable => new()
    {
        {
            "a Latin-1 é in a UTF-8 file",
            Encoding.Latin1.GetBytes(Xml("UTF-8")),
            "Berkas BPMN bukan teks UTF-8 yang sah: byte ke-70 (0xE9) pada baris 2 tidak dapat dibaca."
        },
        {
            "a Latin-1 é in a file without declaration",
            Encoding.Latin1.GetBytes(Xml(null)),
            "Berkas BPMN bukan teks UTF-8 yang sah: byte ke-53 (0xE9) pada baris 2 tidak dapat dibaca."
        },
        {
            "an encoding nobody knows",
            Encoding.UTF8.GetBytes(Xml("KLINGON-1")),
            "Pengodean \"KLINGON-1\" pada deklarasi XML tidak dikenal; simpan berkas sebagai UTF-8 (encoding=\"UTF-8\")."
        },
        {
            "UTF-7, which .NET no longer decodes (a 500 before)",
            Encoding.UTF8.GetBytes(Xml("utf-7")),
            "Pengodean \"utf-7\" pada deklarasi XML tidak dikenal; simpan berkas sebagai UTF-8 (encoding=\"UTF-8\")."
        },
        {
            "a UTF-8 byte order mark before a declaration of ISO-8859-1",
            [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Xml("ISO-8859-1"))],
            "Deklarasi XML menyebut pengodean \"ISO-8859-1\", padahal tanda urutan byte (BOM) di awal berkas menandai UTF-8. Simpan berkas sebagai UTF-8 dan tulis encoding=\"UTF-8\"."
        },
        {
            "a UTF-16 byte order mark before a declaration of UTF-8",
            [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Xml("UTF-8"))],
            "Deklarasi XML menyebut pengodean \"UTF-8\", padahal tanda urutan byte (BOM) di awal berkas menandai UTF-16. Simpan berkas sebagai UTF-8 dan tulis encoding=\"UTF-8\"."
        },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Bytes_the_encoding_cannot_read_are_refused(string what, byte[] bytes, string refusal)
    {
        var decoded = BpmnFile.Decode(bytes);

        decoded.Xml.Should().BeNull(what);
        decoded.Problem!.Message.Should().StartWith(refusal);
    }
}
