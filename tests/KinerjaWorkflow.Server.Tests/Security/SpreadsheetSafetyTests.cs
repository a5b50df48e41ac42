using System.IO.Compression;
using System.Text;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Errors;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>
/// An SOP table uploaded as XLSX is a zip of XML parts that the SDK loads whole and by recursion. A part nested
/// 100,000 deep (2 KB zipped) overflowed the stack and ended the service, and one cell at "ZZZZZZ1" took 49 s and
/// 6.8 GB; each hostile workbook is now a 422 naming why, and a plain one still reads.
/// </summary>
public class SpreadsheetSafetyTests
{
    public static TheoryData<string, string> Hostile => new()
    {
        { "nested", "Tabel SOP tidak dapat dibaca: bagian xl/worksheets/sheet1.xml bersarang lebih dari 64 tingkat." },
        { "unzips to gigabytes", "Tabel SOP tidak dapat dibaca: bagian xl/worksheets/sheet1.xml bukan XML yang utuh, atau lebih dari 4 juta karakter." },
        { "far column", "Tabel SOP tidak dapat dibaca: sel ZZZZZZ1 berada di luar kolom terakhir Excel (XFD)." },
        { "wrapping column", "Tabel SOP tidak dapat dibaca: sel ZZZZZZZZZZZZZZ1 berada di luar kolom terakhir Excel (XFD)." },
        { "unknown cell type", "Tabel SOP tidak dapat dibaca: berkas bukan buku kerja Excel (.xlsx) yang utuh." },
        { "row number of letters", "Tabel SOP tidak dapat dibaca: berkas bukan buku kerja Excel (.xlsx) yang utuh." },
        { "sheet missing", "Tabel SOP tidak dapat dibaca: lembar kerja pertama tidak ada di dalam buku kerja." },
        { "many parts", "Tabel SOP tidak dapat dibaca: buku kerja memuat 70 bagian, melebihi batas 64." },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_workbook_is_refused_naming_why(string what, string refusal)
    {
        var workbook = what switch
        {
            "nested" => Workbook(Sheet($"""<row r="1">{Repeat(100_000, "<x>")}{Repeat(100_000, "</x>")}</row>""")),
            "unzips to gigabytes" => Workbook(Sheet(Repeat(200_000, $"""<row r="1">{Cell("A1", "x")}</row>"""))),
            "far column" => Workbook(Sheet($"""<row r="1">{Cell("ZZZZZZ1", "x")}</row>""")),
            "wrapping column" => Workbook(Sheet($"""<row r="1">{Cell("ZZZZZZZZZZZZZZ1", "x")}</row>""")),
            "unknown cell type" => Workbook(Sheet("""<row r="1"><c r="A1" t="bogus"><v>1</v></c></row>""")),
            "row number of letters" => Workbook(Sheet($"""<row r="abc">{Cell("A1", "x")}</row>""")),
            "sheet missing" => Workbook(Sheet(string.Empty), sheetRelationship: "rId9"),
            _ => Workbook(Sheet(string.Empty), extraParts: 65),
        };

        var read = () => SpreadsheetTable.Read(workbook);

        read.Should().Throw<RuleViolation>().Which.Message.Should().Be(refusal);
    }

    [Fact]
    public void A_plain_workbook_reads_its_cells_in_their_columns()
    {
        var workbook = Workbook(Sheet($"""<row r="1">{Cell("A1", "No")}{Cell("C1", "Kegiatan")}</row><row r="2">{Cell("XFD2", "terakhir")}</row>"""));

        var rows = SpreadsheetTable.Read(workbook);

        rows[0].Cells.Should().Equal("No", string.Empty, "Kegiatan");
        rows[1].Cells.Should().HaveCount(SpreadsheetTable.MaxColumns).And.EndWith("terakhir");
    }

    private static string Cell(string reference, string text) => $"""<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>""";

    private static string Sheet(string rows) =>
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>""";

    private static string Repeat(int count, string text) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    /// <summary>The smallest workbook Excel opens: content types, the package's and the workbook's relationships, one sheet.</summary>
    private static byte[] Workbook(string sheet, string sheetRelationship = "rId1", int extraParts = 0)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Add(zip, "_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add(zip, "xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="SOP" sheetId="1" r:id="{sheetRelationship}"/></sheets></workbook>""");
            Add(zip, "xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            Add(zip, "xl/worksheets/sheet1.xml", sheet);
            for (var i = 0; i < extraParts; i++)
            {
                Add(zip, $"xl/media/image{i}.png", "x");
            }
        }

        return stream.ToArray();
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
