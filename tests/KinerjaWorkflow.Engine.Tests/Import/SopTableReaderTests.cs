using KinerjaWorkflow.Engine.Import;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Import;

public class SopTableReaderTests
{
    private const string Header = "No,Kegiatan,Kepala,Sekretaris,Kelengkapan,Waktu,Output,Keterangan";

    private static SopTableReading Read(string csv, IReadOnlyCollection<string>? roles = null) =>
        SopTableReader.Read(TableText.Read(csv, TableFormat.Csv), roles);

    private static SopTable Table(string csv, IReadOnlyCollection<string>? roles = null)
    {
        var reading = Read(csv, roles);
        reading.Problems.Should().BeEmpty();
        return reading.Table!;
    }

    [Theory]
    [InlineData("x")]
    [InlineData("X")]
    [InlineData("v")]
    [InlineData("V")]
    [InlineData("√")]
    [InlineData("✓")]
    [InlineData("✔")]
    [InlineData("☑")]
    [InlineData("●")]
    [InlineData("•")]
    [InlineData("*")]
    [InlineData("Mulai")]
    [InlineData("Selesai")]
    public void A_mark_in_a_pelaksana_column_gives_the_step_that_role(string mark)
    {
        var table = Table($"{Header}\n1,Rapat,,{mark},Nota,1 jam,Notulen,");

        table.Steps.Single().Roles.Should().Equal("Sekretaris");
    }

    [Fact]
    public void Marks_in_several_columns_give_the_step_every_marked_role_in_column_order()
    {
        var table = Table($"{Header}\n1,Rapat bersama,x,x,Nota,1 jam,Notulen,");

        table.Steps.Single().Roles.Should().Equal("Kepala", "Sekretaris");
    }

    [Fact]
    public void The_pelaksana_columns_are_the_roles_in_column_order()
    {
        Table($"{Header}\n1,Rapat,x,,Nota,1 jam,Notulen,").Roles.Should().Equal("Kepala", "Sekretaris");
    }

    [Fact]
    public void A_header_naming_an_office_role_in_other_case_takes_the_office_s_spelling()
    {
        var table = Table("No,Kegiatan,Tim Sakip,Kelengkapan,Waktu,Output\n1,Verifikasi,x,FRA,1 Hari Kerja,FRA", ["Kepala", "Tim SAKIP"]);

        table.Roles.Should().Equal("Tim SAKIP");
    }

    [Fact]
    public void Identity_rows_above_the_table_give_its_name_number_and_office()
    {
        var table = Table($"Nama SOP,Pengumpulan Data Kinerja\nNomor SOP,150.2/SOP-BMCKSTR/2024\nSatuan Kerja,Dinas Bina Marga\n{Header}\n1,Rapat,x,,Nota,1 jam,Notulen,");

        table.Identity.Should().Be(new SopTableIdentity("Pengumpulan Data Kinerja", "150.2/SOP-BMCKSTR/2024", "Dinas Bina Marga", null));
    }

    [Fact]
    public void A_jumlah_row_gives_the_total_the_sop_states()
    {
        var table = Table($"{Header}\n1,Rapat,x,,Nota,1 jam,Notulen,\n,,,,Jumlah,122 Hari 3 jam,,");

        table.Identity.StatedTotal.Should().Be("122 Hari 3 jam");
    }

    [Fact]
    public void A_header_pasted_from_a_word_processor_spans_two_rows_and_a_row_of_column_numbers()
    {
        const string paste = "No.\tUraian\tPelaksana\t\tMutu Baku\t\t\tKet\n"
            + "\t\tTim Kerja\tKepala\tSumber Data\tWaktu\tOutput\t\n"
            + "(1)\t(2)\t(3)\t(4)\t(5)\t(6)\t(7)\t(8)\n"
            + "1\tMenyusun laporan\t√\t\tRealisasi\t1 – 20 Hari Kerja\tLaporan\t\n";

        var reading = SopTableReader.Read(TableText.Read(paste, TableFormat.Tsv));

        reading.Problems.Should().BeEmpty();
        reading.Table!.Roles.Should().Equal("Tim Kerja", "Kepala");
        reading.Table.Steps.Single().Should().BeEquivalentTo(new { Number = 1, Kelengkapan = "Realisasi", Waktu = "1 – 20 Hari Kerja", Output = "Laporan", Roles = new[] { "Tim Kerja" } });
    }

    [Fact]
    public void A_waktu_header_naming_its_unit_gives_bare_numbers_that_unit()
    {
        var table = Table("No,Kegiatan,Kepala,Kelengkapan,Waktu (Menit),Output\n1,Disposisi,x,Lembar,15,Disposisi");

        table.BareWaktuUnit.Should().Be(WaktuUnit.Minute);
    }

    [Fact]
    public void Steps_are_ordered_by_number_whatever_the_row_order()
    {
        var table = Table($"{Header}\n2,Kedua,x,,,1 jam,,\n1,Pertama,x,,,1 jam,,");

        table.Steps.Select(s => s.Number).Should().Equal(1, 2);
    }

    [Fact]
    public void An_empty_waktu_is_a_step_without_a_deadline()
    {
        Table($"{Header}\n1,Rapat,x,,Nota,,Notulen,").Steps.Single().Waktu.Should().BeNull();
    }

    public static TheoryData<string, string> Faults => new()
    {
        { $"{Header}\n1,Rapat,Ya,,Nota,1 jam,Notulen,", "Baris 2 (langkah 1), kolom \"Kepala\" (C): \"Ya\" bukan tanda pelaksana; tulis x, v, √ atau ✓ pada kolom peran yang mengerjakan langkah ini." },
        { $"{Header}\n1,Rapat,,,Nota,1 jam,Notulen,", "Baris 2 (langkah 1), kolom Pelaksana: tidak ada tanda pada kolom peran mana pun; tandai (x) kolom peran yang mengerjakan langkah ini." },
        { $"{Header}\n1,Rapat,x,,Nota,sebentar,Notulen,", "Baris 2 (langkah 1), kolom \"Waktu\" (F): waktu \"sebentar\" tidak dapat dibaca: \"sebentar\" bukan angka atau satuan yang dikenal (tulis angka dan satuan: menit, jam, hari, hari kerja, minggu, bulan)." },
        { $"{Header}\n1,,x,,Nota,1 jam,Notulen,", "Baris 2 (langkah 1), kolom \"Kegiatan\" (B): kegiatan kosong; tulis uraian langkahnya." },
        { $"{Header}\n1,Rapat,x,,Nota,1 jam,Notulen,\n1,Rapat lagi,x,,Nota,1 jam,Notulen,", "Baris 3 (langkah 1), kolom \"No\" (A): langkah 1 sudah ada pada baris 2." },
        { $"{Header}\nsatu,Rapat,x,,Nota,1 jam,Notulen,", "Baris 2, kolom \"No\" (A): \"satu\" bukan nomor langkah; tulis bilangan bulat mulai dari 1." },
        { $"{Header}\n,Rapat,x,,Nota,1 jam,Notulen,", "Baris 2, kolom \"No\" (A): nomor langkah kosong; tulis nomor langkah pada kolom ini." },
        { $"{Header}\n1,Periksa,x,,Nota,1 jam,Notulen,Ya: ke langkah 1 / Tidak: ke langkah 9", "Baris 2 (langkah 1), kolom \"Keterangan\" (H): pilihan \"Tidak\" menuju langkah 9, yang tidak ada pada tabel." },
        { $"{Header}\n1,Periksa,x,,Nota,1 jam,Notulen,Ya: ke langkah 2", "Baris 2 (langkah 1), kolom \"Keterangan\" (H): keputusan \"Ya: ke langkah 2\" tidak dapat dibaca: keputusan \"Ya\" hanya punya satu pilihan; tulis sedikitnya dua (\"Ya: ke langkah 5 / Tidak: ke langkah 3\"), atau \"ke langkah N\" saja untuk melompat." },
        { "No,Kegiatan,Kepala,Kelengkapan,Output\n1,Rapat,x,Nota,Notulen", "Baris 1: kolom Waktu tidak ada pada baris judul tabel." },
        { "No,Kegiatan,Kelengkapan,Waktu,Output\n1,Rapat,Nota,1 jam,Notulen", "Baris 1: kolom Pelaksana (satu kolom per peran) tidak ada pada baris judul tabel." },
        { "Kegiatan,Kepala\nRapat,x", "Baris judul tabel tidak ditemukan: tabel SOP perlu baris judul yang kolom pertamanya \"No\", lalu Kegiatan, kolom Pelaksana (satu per peran), Kelengkapan, Waktu, Output dan Keterangan." },
        { Header, "Baris 1: tabel tidak memuat satu langkah pun di bawah baris judulnya." },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_fault_names_its_row_and_column(string csv, string expected)
    {
        var reading = Read(csv);

        reading.Table.Should().BeNull();
        reading.Problems.Select(p => p.Message).Should().Equal(expected);
    }

    [Fact]
    public void A_role_with_a_comma_in_its_name_cannot_share_a_step()
    {
        var reading = Read("No,Kegiatan,Kepala,\"Tim Perencanaan, Evaluasi\",Kelengkapan,Waktu,Output\n1,Rapat,x,x,Nota,1 jam,Notulen");

        reading.Problems.Select(p => p.Message).Should().Equal("Baris 2 (langkah 1), kolom Pelaksana: peran \"Tim Perencanaan, Evaluasi\" memuat koma, sehingga langkah ini hanya dapat ditandai untuk peran itu saja; bagi langkahnya per peran.");
    }

    [Fact]
    public void A_pelaksana_header_that_is_no_office_role_is_named_with_the_office_s_roles()
    {
        var reading = Read($"{Header}\n1,Rapat,x,,Nota,1 jam,Notulen,", ["Kepala", "Bidang"]);

        reading.Problems.Should().Equal(new TableProblem(1, "Sekretaris", "Baris 1, kolom \"Sekretaris\" (D): peran \"Sekretaris\" tidak ada di kantor ini; peran kantor: Kepala, Bidang."));
    }

    [Fact]
    public void Every_fault_of_the_table_is_reported_not_only_the_first()
    {
        var reading = Read($"{Header}\n1,Rapat,?,,Nota,lama,Notulen,\n2,,x,,Nota,1 jam,Notulen,");

        reading.Problems.Select(p => (p.Row, p.Column)).Should().Equal((2, "Kepala"), (2, "Waktu"), (3, "Kegiatan"));
    }

    [Theory]
    [InlineData(SopTableReader.MaxSteps, null)]
    [InlineData(SopTableReader.MaxSteps + 1, "Baris 502: tabel memuat lebih dari 500 langkah, melebihi batasnya; sebuah SOP biasanya belasan langkah. Bagi tabel ini menjadi beberapa SOP.")]
    [InlineData(80_000, "Baris 502: tabel memuat lebih dari 500 langkah, melebihi batasnya; sebuah SOP biasanya belasan langkah. Bagi tabel ini menjadi beberapa SOP.")]
    public void A_table_has_at_most_the_most_steps(int steps, string? refusal)
    {
        var rows = Enumerable.Range(1, steps).Select(n => $"{n},Langkah {n},x,,Nota,1 jam,Notulen,");

        var reading = Read(string.Join('\n', rows.Prepend(Header)));

        if (refusal is null)
        {
            reading.Problems.Should().BeEmpty();
            reading.Table!.Steps.Should().HaveCount(steps);
        }
        else
        {
            reading.Problems.Should().ContainSingle().Which.Message.Should().Be(refusal);
        }
    }
}
