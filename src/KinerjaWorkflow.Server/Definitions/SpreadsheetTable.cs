using System.Globalization;
using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using KinerjaWorkflow.Engine.Import;
using KinerjaWorkflow.Server.Errors;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>The first worksheet of an XLSX workbook as rows of cell text, numbered as the spreadsheet numbers them.</summary>
public static class SpreadsheetTable
{
    /// <summary>
    /// How deep the XML of any part of the workbook may nest. The SDK builds a part's elements by recursion, so a
    /// sheet of 100,000 nested elements (2 KB zipped) overflowed the stack and ended the service; a real sheet
    /// nests some six levels.
    /// </summary>
    public const int MaxPartDepth = 64;

    /// <summary>
    /// The characters of one part once unzipped: an SOP sheet is tens of kilobytes, and the SDK holds a part whole
    /// in memory, so a small zip must not unpack to gigabytes.
    /// </summary>
    public const int MaxPartCharacters = 4 * 1024 * 1024;

    /// <summary>The parts of one workbook; Excel writes a dozen or so.</summary>
    public const int MaxParts = 64;

    /// <summary>Excel's last column, XFD. A cell at "ZZZZZZ1" stood 321 million columns out and took gigabytes of empty cells.</summary>
    public const int MaxColumns = 16_384;

    public static IReadOnlyList<TableRow> Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            CheckParts(content);
            using var stream = new MemoryStream(content, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false);
            var workbook = document.WorkbookPart ?? throw Unreadable("buku kerja tidak memuat lembar kerja");
            var first = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw Unreadable("buku kerja tidak memuat lembar kerja");
            if (first.Id?.Value is not { } id || !workbook.TryGetPartById(id, out var part) || part is not WorksheetPart sheet)
            {
                throw Unreadable("lembar kerja pertama tidak ada di dalam buku kerja");
            }

            var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
            var rows = new List<TableRow>();
            foreach (var row in sheet.Worksheet.Descendants<Row>())
            {
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
                    if (column >= MaxColumns)
                    {
                        throw Unreadable($"sel {cell.CellReference?.Value} berada di luar kolom terakhir Excel (XFD)");
                    }

                    while (cells.Count < column)
                    {
                        cells.Add(string.Empty);
                    }

                    cells.Add(Text(cell, strings).Trim());
                }

                rows.Add(new TableRow((int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1)), cells));
            }

            return rows;
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException or XmlException or FormatException)
        {
            throw Unreadable("berkas bukan buku kerja Excel (.xlsx) yang utuh");
        }
    }

    /// <summary>
    /// Streams through every XML part before the SDK loads any, so a part too deep or too large is refused
    /// having read no more of it than the limit.
    /// </summary>
    private static void CheckParts(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        if (zip.Entries.Count > MaxParts)
        {
            throw Unreadable($"buku kerja memuat {zip.Entries.Count} bagian, melebihi batas {MaxParts}");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxPartCharacters,
        };
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || e.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)))
        {
            using var part = entry.Open();
            using var reader = XmlReader.Create(part, settings);
            try
            {
                while (reader.Read())
                {
                    if (reader.Depth >= MaxPartDepth)
                    {
                        throw Unreadable($"bagian {entry.FullName} bersarang lebih dari {MaxPartDepth} tingkat");
                    }
                }
            }
            catch (XmlException)
            {
                throw Unreadable($"bagian {entry.FullName} bukan XML yang utuh, atau lebih dari {MaxPartCharacters / (1024 * 1024)} juta karakter");
            }
        }
    }

    private static string Text(Cell cell, List<string> strings)
    {
        var value = cell.CellValue?.Text ?? cell.InlineString?.InnerText ?? string.Empty;
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count ? strings[index] : string.Empty;
        }

        return cell.DataType?.Value == CellValues.Boolean ? (value == "1" ? "TRUE" : "FALSE") : value;
    }

    /// <summary>"C7" is column 2 (zero-based); a column past <see cref="MaxColumns"/> is <see cref="MaxColumns"/>.</summary>
    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            // Past the last column the count stops, so a long run of letters cannot wrap around.
            index = Math.Min((index * 26) + (char.ToUpperInvariant(c) - 'A' + 1), MaxColumns + 1);
        }

        return index - 1;
    }

    private static RuleViolation Unreadable(string why) => new($"Tabel SOP tidak dapat dibaca: {why}.", "Tabel SOP tidak dapat diimpor");
}
