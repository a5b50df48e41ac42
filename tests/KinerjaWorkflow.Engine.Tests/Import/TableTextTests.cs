using KinerjaWorkflow.Engine.Import;

namespace KinerjaWorkflow.Engine.Tests.Import;

public class TableTextTests
{
    public static TheoryData<string, TableFormat, string[][]> Tables => new()
    {
        { "No,Kegiatan\n1,Rapat", TableFormat.Csv, [["No", "Kegiatan"], ["1", "Rapat"]] },
        { "1,\"Rencana Aksi, PK\",x", TableFormat.Csv, [["1", "Rencana Aksi, PK", "x"]] },
        { "1,\"Rapat \"\"awal\"\"\"", TableFormat.Csv, [["1", "Rapat \"awal\""]] },
        { "1,\"baris satu\nbaris dua\",x\n2,b,", TableFormat.Csv, [["1", "baris satu\nbaris dua", "x"], ["2", "b", ""]] },
        { "No;Kegiatan;Waktu\r\n1;Rapat, arahan;1,5 jam\r\n", TableFormat.Csv, [["No", "Kegiatan", "Waktu"], ["1", "Rapat, arahan", "1,5 jam"]] },
        { "\uFEFFNo,Kegiatan", TableFormat.Csv, [["No", "Kegiatan"]] },
        { "1\tRapat, arahan\t \tx\r\n2\t\"a\tb\"\t\t", TableFormat.Tsv, [["1", "Rapat, arahan", "", "x"], ["2", "a\tb", "", ""]] },
        { "1\tkata \"kutip\" di tengah", TableFormat.Tsv, [["1", "kata \"kutip\" di tengah"]] },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Reads_rows_of_cells(string text, TableFormat format, string[][] expected)
    {
        var rows = TableText.Read(text, format);

        rows.Select(r => r.Cells.ToArray()).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Numbers_rows_as_a_spreadsheet_does_counting_a_quoted_line_break_as_one_row()
    {
        var rows = TableText.Read("a\n\"b\nc\"\nd", TableFormat.Csv);

        rows.Select(r => r.Number).Should().Equal(1, 2, 3);
    }
}
