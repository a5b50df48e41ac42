using System.Text;

namespace KinerjaWorkflow.Engine.Import;

/// <summary>The ways an SOP table arrives as text.</summary>
public enum TableFormat
{
    /// <summary>Comma (or semicolon) separated values, RFC 4180 quoting.</summary>
    Csv,

    /// <summary>Tab separated, as a word processor or spreadsheet copies a table to the clipboard.</summary>
    Tsv,
}

/// <summary>One row of a table as read: its 1-based row number (what a spreadsheet shows) and its cells.</summary>
public sealed record TableRow(int Number, IReadOnlyList<string> Cells)
{
    public string Cell(int column) => column < Cells.Count ? Cells[column] : string.Empty;
}

/// <summary>
/// Splits table text into rows of cells. Quotes work as in RFC 4180 in both formats: a quoted cell may hold
/// the separator, a line break and <c>""</c> for a quote, because spreadsheets quote such cells on copy too.
/// </summary>
public static class TableText
{
    public static IReadOnlyList<TableRow> Read(string text, TableFormat format)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var separator = format == TableFormat.Tsv ? '\t' : CsvSeparator(text);
        var rows = new List<TableRow>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var cellStarted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }

                i++;
                continue;
            }

            if (c == '"' && !cellStarted)
            {
                quoted = true;
                cellStarted = true;
            }
            else if (c == separator)
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
                cellStarted = false;
            }
            else if (c is '\r' or '\n')
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
                cellStarted = false;
                rows.Add(new TableRow(rows.Count + 1, cells));
                cells = [];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                cell.Append(c);
                cellStarted |= !char.IsWhiteSpace(c);
            }

            i++;
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString().Trim());
            rows.Add(new TableRow(rows.Count + 1, cells));
        }

        return rows;
    }

    /// <summary>
    /// Spreadsheets in an Indonesian locale save CSV with semicolons, since the comma is the decimal mark there;
    /// the first line says which one the file uses.
    /// </summary>
    private static char CsvSeparator(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var first = end < 0 ? text : text[..end];
        return first.Count(c => c == ';') > first.Count(c => c == ',') ? ';' : ',';
    }
}
