using System.IO.Compression;

namespace KinerjaWorkflow.Server.Attachments;

/// <summary>A kind of document the inbox accepts, recognised by its content.</summary>
public sealed record DocumentKind(string Name, string ContentType, IReadOnlyList<string> Extensions);

/// <summary>
/// Recognises the accepted documents by their signatures, never by what the client says: PDF ("%PDF-"), PNG,
/// JPEG, and the Office Open XML packages DOCX and XLSX (a ZIP holding word/document.xml or xl/workbook.xml).
/// </summary>
public static class DocumentKinds
{
    public static readonly DocumentKind Pdf = new("PDF", "application/pdf", [".pdf"]);
    public static readonly DocumentKind Docx = new("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"]);
    public static readonly DocumentKind Xlsx = new("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"]);
    public static readonly DocumentKind Png = new("PNG", "image/png", [".png"]);
    public static readonly DocumentKind Jpeg = new("JPG", "image/jpeg", [".jpg", ".jpeg"]);

    public static IReadOnlyList<DocumentKind> All { get; } = [Pdf, Docx, Xlsx, Png, Jpeg];

    private static ReadOnlySpan<byte> PdfSignature => "%PDF-"u8;
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> ZipSignature => [0x50, 0x4B, 0x03, 0x04];

    /// <summary>The kind of the staged file, or null when it is none of the accepted ones.</summary>
    public static DocumentKind? Detect(StagedFile file)
    {
        var header = file.Header.AsSpan();
        if (header.StartsWith(PdfSignature))
        {
            return Pdf;
        }

        if (header.StartsWith(PngSignature))
        {
            return Png;
        }

        if (header.StartsWith(JpegSignature))
        {
            return Jpeg;
        }

        return header.StartsWith(ZipSignature) ? OfficePackage(file.Path) : null;
    }

    /// <summary>Reads only the ZIP's central directory: nothing is decompressed.</summary>
    private static DocumentKind? OfficePackage(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (!names.Contains("[Content_Types].xml"))
            {
                return null;
            }

            return names.Contains("word/document.xml") ? Docx
                : names.Contains("xl/workbook.xml") ? Xlsx
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
