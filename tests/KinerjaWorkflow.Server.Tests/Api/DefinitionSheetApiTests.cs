using System.Net;
using System.Text.Json;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

/// <summary>The SOP-AP sheet of a definition version and the SOP-AP header, through the definition API.</summary>
public sealed class DefinitionSheetApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string BinaMarga = "bina-marga-pengumpulan-data-kinerja";
    private readonly KinerjaServer _server = shared.Server;

    [Fact]
    public async Task The_sheet_of_a_version_has_its_Pelaksana_columns_and_a_row_per_step_with_symbol_ways_and_Mutu_Baku()
    {
        var kepala = await _server.SignInAsync("erasukma");

        var sheet = await kepala.GetAsync($"/api/definitions/{BinaMarga}/versions/1/sheet").OkJsonAsync();

        sheet.GetProperty("pelaksana").EnumerateArray().Select(p => p.GetString()).Should().Equal("Kepala Dinas", "Sekretaris", "Bidang", "Tim SAKIP", "Perencanaan");
        var rows = sheet.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("no").GetInt32()).Should().Equal(Enumerable.Range(1, 11));
        rows.Select(r => r.GetProperty("symbol").GetString()).Should().Equal(
            "Terminator", "Process", "Process", "Process", "Process", "Process", "Process", "Process", "Decision", "Process", "Terminator");
        var step9 = rows[8];
        step9.GetProperty("kegiatan").GetString().Should().StartWith("Kepala Dinas, Sekretaris, Bidang bersama Tim SAKIP menganalisa");
        (step9.GetProperty("kelengkapan").GetString(), step9.GetProperty("waktu").GetString(), step9.GetProperty("output").GetString())
            .Should().Be(("Laporan hasil rekapitulasi data kinerja", "1 jam", "Hasil Analisa data kinerja"));
        step9.GetProperty("next").EnumerateArray()
            .Select(n => (n.GetProperty("toNo").GetInt32(), n.GetProperty("label").GetString(), n.GetProperty("outcome").GetString(), n.GetProperty("back").GetBoolean()))
            .Should().Equal((10, "Setuju", "setuju", false), (6, "Dikembalikan", "dikembalikan", true));
        rows[5].GetProperty("columns").EnumerateArray().Select(c => c.GetInt32()).Should().Equal(2, 1);
    }

    [Fact]
    public async Task The_definition_and_its_sheet_return_every_SOP_AP_header_field()
    {
        var camat = await _server.SignInAsync(FirstUser("camat-batang-kapas"));
        const string key = "camat-batang-kapas-pengumpulan-data-kinerja";

        var definition = await camat.GetAsync($"/api/definitions/{key}").OkJsonAsync();
        var sheet = await camat.GetAsync($"/api/definitions/{key}/versions/1/sheet").OkJsonAsync();

        foreach (var identity in new[] { definition.GetProperty("identity"), sheet.GetProperty("identity") })
        {
            identity.GetProperty("number").GetString().Should().Be("800/011/CMT-BTKP/2025");
            (identity.GetProperty("madeDate").GetString(), identity.GetProperty("revisionDate").GetString(), identity.GetProperty("effectiveDate").GetString())
                .Should().Be(("2025-01-14", "2025-01-20", "2025-02-01"));
            identity.GetProperty("approvedBy").GetString().Should().StartWith("Camat Batang Kapas, LEGIANDRU");
            Items(identity, "legalBasis").Should().HaveCount(2).And.Contain(i => i.StartsWith("Peraturan Presiden Nomor 29 Tahun 2014", StringComparison.Ordinal));
            Items(identity, "qualifications").Should().HaveCount(3);
            Items(identity, "relatedProcedures").Should().Equal("SOP Surat Keluar", "SOP Pembuatan Pelaksanaan Kegiatan", "SOP Penyusunan Laporan Kinerja");
            Items(identity, "equipment").Should().Equal("Komputer dan Perlengkapan", "ATK");
            Items(identity, "warnings").Should().ContainSingle().Which.Should().StartWith("Jika SOP tidak dilaksanakan");
            Items(identity, "recordKeeping").Should().Equal("Disimpan sebagai data elektronik dan manual");
        }
    }

    [Fact]
    public async Task A_version_that_does_not_exist_or_belongs_to_another_office_is_a_404()
    {
        var kepala = await _server.SignInAsync("erasukma");
        var other = await _server.SignInAsync("kepala.uji");

        using var missing = await kepala.GetAsync($"/api/definitions/{BinaMarga}/versions/99/sheet");
        using var foreign = await other.GetAsync($"/api/definitions/{BinaMarga}/versions/1/sheet");

        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.ReadJsonAsync()).GetProperty("detail").GetString().Should().Be($"Definisi '{BinaMarga}' versi 99 tidak ditemukan.");
        foreign.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static List<string?> Items(JsonElement identity, string name) =>
        identity.GetProperty(name).EnumerateArray().Select(i => i.GetString()).ToList();

    private static string FirstUser(string office) =>
        OrganizationLoader.LoadFile(Path.Combine(RepositoryRoot.Path, "workflows", office, OrganizationLoader.FileName)).Users[0].UserName;
}
