using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

/// <summary>POST /api/definitions/import: an SOP table becomes a draft definition for the designer, never a deployed one.</summary>
public sealed class SopImportApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;

    private static readonly string[][] Table =
    [
        ["Nama SOP", "Reviu Laporan Impor"],
        ["Nomor SOP", "SOP-9/UJI/2025"],
        ["No", "Kegiatan", "Kepala Kantor", "Staf", "Kelengkapan", "Waktu", "Output", "Keterangan"],
        ["1", "Menyusun laporan, lengkap dengan lampiran", "", "x", "Data", "2 Jam", "Draf laporan", ""],
        ["2", "Memeriksa laporan", "x", "", "Draf laporan", "1 Hari Kerja", "Laporan", "Setuju: selesai / Revisi: ke langkah 1"],
    ];

    private static string Csv => string.Join("\n", Table.Select(r => string.Join(",", r.Select(c => c.Contains(',', StringComparison.Ordinal) ? $"\"{c}\"" : c))));

    private static string Tsv => string.Join("\r\n", Table.Select(r => string.Join("\t", r)));

    [Fact]
    public async Task An_admin_gets_the_draft_bpmn_of_a_csv_table()
    {
        var admin = await _server.SignInAsync("kepala.uji");

        var draft = await admin.PostAsync("/api/definitions/import", new StringContent(Csv, Encoding.UTF8, "text/csv")).OkJsonAsync();

        draft.GetProperty("key").GetString().Should().Be("reviu-laporan-impor");
        draft.GetProperty("steps").GetInt32().Should().Be(2);
        var bpmn = draft.GetProperty("bpmn").GetString();
        bpmn.Should().Contain("<bpmn:userTask id=\"Langkah_02\" name=\"Memeriksa laporan\">")
            .And.Contain("outcome == \"revisi\"")
            .And.Contain("nomor=\"SOP-9/UJI/2025\"");
    }

    [Fact]
    public async Task Importing_deploys_nothing()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        var before = (await admin.GetAsync("/api/definitions").OkJsonAsync()).GetArrayLength();

        await admin.PostAsync("/api/definitions/import", new StringContent(Csv, Encoding.UTF8, "text/csv")).OkJsonAsync();

        (await admin.GetAsync("/api/definitions").OkJsonAsync()).GetArrayLength().Should().Be(before);
    }

    [Fact]
    public async Task A_table_pasted_from_a_word_processor_is_read_as_tab_separated()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        using var form = new MultipartFormDataContent { { new StringContent(Tsv), "text" } };

        var draft = await admin.PostAsync("/api/definitions/import", form).OkJsonAsync();

        draft.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Kepala Kantor", "Staf");
    }

    [Fact]
    public async Task An_uploaded_xlsx_workbook_is_read_from_its_first_sheet()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        using var form = new MultipartFormDataContent { { File(Workbook(Table), "sop.xlsx"), "file", "sop.xlsx" } };

        var draft = await admin.PostAsync("/api/definitions/import", form).OkJsonAsync();

        draft.GetProperty("bpmn").GetString().Should().Contain("name=\"Menyusun laporan, lengkap dengan lampiran\"");
    }

    [Fact]
    public async Task A_name_and_key_given_with_the_upload_replace_the_table_s()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        using var form = new MultipartFormDataContent
        {
            { File(Encoding.UTF8.GetBytes(Csv), "sop.csv"), "file", "sop.csv" },
            { new StringContent("Reviu Bulanan"), "name" },
            { new StringContent("uji-reviu-bulanan"), "key" },
        };

        var draft = await admin.PostAsync("/api/definitions/import", form).OkJsonAsync();

        (draft.GetProperty("key").GetString(), draft.GetProperty("name").GetString()).Should().Be(("uji-reviu-bulanan", "Reviu Bulanan"));
    }

    [Fact]
    public async Task The_draft_publishes_as_any_definition()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        var draft = await admin.PostAsync("/api/definitions/import?key=uji-impor-terbit", new StringContent(Csv, Encoding.UTF8, "text/csv")).OkJsonAsync();

        var deployed = await admin.PostAsync("/api/definitions?changeNote=Diimpor%20dari%20tabel%20SOP", new StringContent(draft.GetProperty("bpmn").GetString()!, Encoding.UTF8, "application/xml")).OkJsonAsync(HttpStatusCode.Created);

        deployed.GetProperty("key").GetString().Should().Be("uji-impor-terbit");
    }

    [Fact]
    public async Task Staff_may_not_import()
    {
        var staf = await _server.SignInAsync("staf.uji");

        using var response = await staf.PostAsync("/api/definitions/import", new StringContent(Csv, Encoding.UTF8, "text/csv"));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_bad_row_is_a_422_naming_its_row_and_column()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        var broken = Csv.Replace("1 Hari Kerja", "secepatnya", StringComparison.Ordinal);

        using var response = await admin.PostAsync("/api/definitions/import", new StringContent(broken, Encoding.UTF8, "text/csv"));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = (await response.ReadJsonAsync()).GetProperty("problems").EnumerateArray().Single();
        (problem.GetProperty("row").GetInt32(), problem.GetProperty("column").GetString()).Should().Be((5, "Waktu"));
        problem.GetProperty("message").GetString().Should().StartWith("Baris 5 (langkah 2), kolom \"Waktu\" (F): waktu \"secepatnya\" tidak dapat dibaca");
    }

    [Fact]
    public async Task A_pelaksana_column_that_is_no_role_of_the_office_is_a_422_naming_it()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        var broken = Csv.Replace(",Staf,", ",Bupati,", StringComparison.Ordinal);

        using var response = await admin.PostAsync("/api/definitions/import", new StringContent(broken, Encoding.UTF8, "text/csv"));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = (await response.ReadJsonAsync()).GetProperty("problems").EnumerateArray().Single();
        problem.GetProperty("message").GetString().Should().Be("Baris 3, kolom \"Bupati\" (D): peran \"Bupati\" tidak ada di kantor ini; peran kantor: Kepala Kantor, Staf.");
    }

    [Fact]
    public async Task A_file_named_xlsx_that_is_no_workbook_is_a_422()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        using var form = new MultipartFormDataContent { { File(Encoding.UTF8.GetBytes("PK bukan buku kerja"), "sop.xlsx"), "file", "sop.xlsx" } };

        using var response = await admin.PostAsync("/api/definitions/import", form);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.ReadJsonAsync()).GetProperty("detail").GetString().Should().Be("Tabel SOP tidak dapat dibaca: berkas bukan buku kerja Excel (.xlsx) yang utuh.");
    }

    [Fact]
    public async Task An_empty_upload_is_a_400()
    {
        var admin = await _server.SignInAsync("kepala.uji");

        using var response = await admin.PostAsync("/api/definitions/import", new StringContent("  \n", Encoding.UTF8, "text/csv"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private static ByteArrayContent File(byte[] bytes, string name)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(name.EndsWith(".xlsx", StringComparison.Ordinal)
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            : "text/csv");
        return content;
    }

    private static byte[] Workbook(string[][] rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    if (rows[r][c].Length == 0)
                    {
                        continue;
                    }

                    var reference = $"{(char)('A' + c)}{r + 1}";
                    row.Append(int.TryParse(rows[r][c], out _)
                        ? new Cell { CellReference = reference, CellValue = new CellValue(rows[r][c]), DataType = CellValues.Number }
                        : new Cell { CellReference = reference, InlineString = new InlineString(new Text(rows[r][c])), DataType = CellValues.InlineString });
                }

                data.Append(row);
            }

            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "SOP" }));
        }

        return stream.ToArray();
    }
}
