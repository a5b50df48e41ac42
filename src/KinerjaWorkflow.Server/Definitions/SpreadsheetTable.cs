using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using KinerjaWorkflow.Engine.Import;
using KinerjaWorkflow.Server.Errors;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>The first worksheet of an XLSX workbook as rows of cell text, numbered as the spreadsheet numbers them.</summary>
public static class SpreadsheetTable
{
    public static IReadOnlyList<TableRow> Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false);
            var workbook = document.WorkbookPart ?? throw Unreadable("buku kerja tidak memuat lembar kerja");
            var first = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw Unreadable("buku kerja tidak memuat lembar kerja");
            var sheet = (WorksheetPart)workbook.GetPartById(first.Id!.Value!);
            var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
            var rows = new List<TableRow>();
            foreach (var row in sheet.Worksheet.Descendants<Row>())
            {
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
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
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException)
        {
            throw Unreadable("berkas bukan buku kerja Excel (.xlsx) yang utuh");
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

    /// <summary>"C7" is column 2 (zero-based).</summary>
    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return index - 1;
    }

    private static RuleViolation Unreadable(string why) => new($"Tabel SOP tidak dapat dibaca: {why}.", "Tabel SOP tidak dapat diimpor");
}
