using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace KinerjaWorkflow.Server.Tests.Attachments;

/// <summary>Small but genuine documents of each kind, and the multipart body that uploads one.</summary>
public static class Documents
{
    public static byte[] Pdf(string text = "SPJ") =>
        Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Png() =>
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01];

    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0xFF, 0xD9];

    public static byte[] Docx() => Package("word/document.xml");

    public static byte[] Xlsx() => Package("xl/workbook.xml");

    /// <summary>A ZIP that is no Office document.</summary>
    public static byte[] PlainZip() => Zip(("laporan.txt", "isi"));

    public static byte[] Html() => Encoding.UTF8.GetBytes("<html><script>alert('x')</script></html>");

    public static byte[] Executable() => [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00];

    public static MultipartFormDataContent Upload(byte[] content, string fileName, string? contentType = null)
    {
        var file = new ByteArrayContent(content);
        if (contentType is not null)
        {
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static byte[] Package(string mainPart) =>
        Zip(("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"), (mainPart, "<dokumen/>"));

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }
}
