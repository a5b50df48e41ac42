using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Sheet;
using KinerjaWorkflow.Engine.Tests.Time;

namespace KinerjaWorkflow.Engine.Tests.Sheet;

/// <summary>
/// The SOP-AP sheet of each of the five SOPs in workflows/, as the engine runs them. A row reads
/// "No Pelaksana Symbol -> where it goes", each way as the step number (or "end"), its label and "back" for a loop.
/// </summary>
public sealed class SopSheetSeedTests
{
    public static TheoryData<string, string[]> Pelaksana => new()
    {
        { "bakesbangpol/mekanisme-pengumpulan-data-kinerja.bpmn", ["Kepala Badan", "Sekretaris", "Perencana / Kasubbag Perencanaan", "Anggota Tim / Bidang"] },
        { "bpkpad-balangan/mekanisme-pengumpulan-data-kinerja.bpmn", ["Sekretaris", "Kepala Bidang", "Kasubbag Perencanaan dan Pelaporan", "Kepala Seksi", "Staf Penyusun Evaluasi Kinerja"] },
        { "bps-bengkulu/pengumpulan-data-capaian-kinerja.bpmn", ["Tim Kerja", "Tim SAKIP", "Tim Perencanaan, Penganggaran dan Pemantauan Evaluasi", "Kepala"] },
        { "camat-batang-kapas/pengumpulan-data-kinerja.bpmn", ["Kasubag Umum dan Kepegawaian", "Sekretaris", "Kasubag Perencanaan Keuangan dan Pelaporan", "Kasi", "Staf"] },
        { "dinas-bina-marga-sumbar/pengumpulan-data-kinerja.bpmn", ["Kepala Dinas", "Sekretaris", "Bidang", "Tim SAKIP", "Perencanaan"] },
    };

    public static TheoryData<string, string[]> Rows => new()
    {
        {
            "bakesbangpol/mekanisme-pengumpulan-data-kinerja.bpmn",
            [
                "1 Kepala Badan Terminator -> 2",
                "2 Perencana / Kasubbag Perencanaan Process -> 3",
                "3 Sekretaris Process -> 4",
                "4 Sekretaris Process -> 5",
                "5 Sekretaris+Kepala Badan+Perencana / Kasubbag Perencanaan Process -> 6",
                "6 Anggota Tim / Bidang Process -> 7",
                "7 Perencana / Kasubbag Perencanaan Process -> 8",
                "8 Perencana / Kasubbag Perencanaan Process -> 9",
                "9 Sekretaris Process -> 10",
                "10 Kepala Badan Process -> 11",
                "11 Sekretaris Process -> 12",
                "12 Kepala Badan Process -> 13",
                "13 Perencana / Kasubbag Perencanaan Process -> 14",
                "14 Perencana / Kasubbag Perencanaan Process -> 15",
                "15 Perencana / Kasubbag Perencanaan Terminator -> end",
            ]
        },
        {
            "bpkpad-balangan/mekanisme-pengumpulan-data-kinerja.bpmn",
            [
                "1 Sekretaris Terminator -> 2",
                "2 Kepala Bidang Process -> 3",
                "3 Staf Penyusun Evaluasi Kinerja Process -> 4",
                "4 Kasubbag Perencanaan dan Pelaporan Process -> 5",
                "5 Sekretaris Decision -> 6 Triwulan II/IV; end Triwulan I/III",
                "6 Kasubbag Perencanaan dan Pelaporan Process -> 7",
                "7 Staf Penyusun Evaluasi Kinerja Process -> 8",
                "8 Sekretaris Decision -> 9 Triwulan IV; end Triwulan II",
                "9 Kepala Seksi Terminator -> end",
            ]
        },
        {
            "bps-bengkulu/pengumpulan-data-capaian-kinerja.bpmn",
            [
                "1 Tim Kerja Terminator -> 2",
                "2 Tim Kerja Decision -> 3 Sesuai; 1 Revisi back",
                "3 Tim Kerja Process -> 4",
                "4 Tim SAKIP Process -> 5",
                "5 Tim Perencanaan, Penganggaran dan Pemantauan Evaluasi Process -> 6",
                "6 Tim Perencanaan, Penganggaran dan Pemantauan Evaluasi Process -> 7",
                "7 Kepala Process -> 8",
                "8 Tim SAKIP Process -> 9",
                "9 Tim Perencanaan, Penganggaran dan Pemantauan Evaluasi Process -> 10",
                "10 Tim Perencanaan, Penganggaran dan Pemantauan Evaluasi Decision -> end Triwulan I–III; 11 Triwulan IV",
                "11 Tim SAKIP Process -> 12",
                "12 Kepala Decision -> 13 Setuju; 11 Koreksi back",
                "13 Kepala Process -> 14",
                "14 Tim SAKIP Terminator -> end",
            ]
        },
        {
            "camat-batang-kapas/pengumpulan-data-kinerja.bpmn",
            [
                "1 Kasubag Umum dan Kepegawaian Terminator -> 2",
                "2 Kasi Process -> 3",
                "3 Staf Process -> 4",
                "4 Kasubag Perencanaan Keuangan dan Pelaporan Process -> 5",
                "5 Sekretaris Decision -> 6 Triwulan II/IV; end Triwulan I/III",
                "6 Kasubag Perencanaan Keuangan dan Pelaporan Process -> 7",
                "7 Staf Process -> 8",
                "8 Sekretaris Decision -> 9 Triwulan IV; end Triwulan II",
                "9 Kasi Terminator -> end",
            ]
        },
        {
            "dinas-bina-marga-sumbar/pengumpulan-data-kinerja.bpmn",
            [
                "1 Kepala Dinas Terminator -> 2",
                "2 Sekretaris Process -> 3",
                "3 Tim SAKIP Process -> 4",
                "4 Tim SAKIP Process -> 5",
                "5 Tim SAKIP Process -> 6",
                "6 Bidang+Sekretaris Process -> 7",
                "7 Tim SAKIP Process -> 8",
                "8 Sekretaris Process -> 9",
                "9 Kepala Dinas Decision -> 10 Setuju; 6 Dikembalikan back",
                "10 Sekretaris Process -> 11",
                "11 Perencanaan Terminator -> end",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Pelaksana))]
    public void Each_role_that_does_a_step_is_a_Pelaksana_column_in_lane_order(string file, string[] pelaksana) =>
        Sheet(file).Pelaksana.Should().Equal(pelaksana);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_step_is_a_row_with_its_Pelaksana_symbol_and_ways_on(string file, string[] rows)
    {
        var sheet = Sheet(file);

        sheet.Rows.Select(r => Describe(sheet, r)).Should().Equal(rows);
    }

    [Theory]
    [MemberData(nameof(Pelaksana))]
    public void Each_row_carries_the_steps_Uraian_and_Mutu_Baku_as_the_BPMN_writes_them(string file, string[] pelaksana)
    {
        var model = BpmnReader.Read(File.ReadAllText(Path.Combine(TestCalendars.RepositoryRoot, "workflows", file))).Model!;
        var sheet = SopSheetBuilder.From(model);

        sheet.Rows.Should().HaveCount(model.HumanTasks.Count()).And.HaveCountGreaterThan(pelaksana.Length);
        foreach (var row in sheet.Rows)
        {
            var task = model.HumanTasks.Single(t => t.Id == row.StepId);
            row.Kegiatan.Should().Be(task.Documentation ?? task.DisplayName);
            (row.Kelengkapan, row.Waktu, row.Output).Should().Be((task.Step?.Kelengkapan, task.Step?.Waktu, task.Step?.Output));
        }
    }

    private static SopSheet Sheet(string file) =>
        SopSheetBuilder.From(BpmnReader.Read(File.ReadAllText(Path.Combine(TestCalendars.RepositoryRoot, "workflows", file))).Model!);

    private static string Describe(SopSheet sheet, SheetRow row)
    {
        var ways = row.Next.Select(n => string.Join(' ', new[] { n.ToEnd ? "end" : n.ToNo!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), n.Label, n.Back ? "back" : null }.OfType<string>()));
        return $"{row.No} {string.Join('+', row.Columns.Select(c => sheet.Pelaksana[c]))} {row.Symbol} -> {string.Join("; ", ways)}";
    }
}
