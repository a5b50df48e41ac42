using KinerjaWorkflow.Engine.Import;

namespace KinerjaWorkflow.Engine.Tests.Import;

public class DecisionTextTests
{
    private static string Show(IEnumerable<RouteBranch> branches) =>
        string.Join(" | ", branches.Select(b => $"{b.Kind} {b.Label} -> {b.Target?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "selesai"}"));

    public static TheoryData<string, string> Readable => new()
    {
        { "Ya: ke langkah 5 / Tidak: ke langkah 3", "Outcome Ya -> 5 | Outcome Tidak -> 3" },
        { "Ya → 5; Tidak → 3", "Outcome Ya -> 5 | Outcome Tidak -> 3" },
        { "Ya -> 5; Tidak -> 3", "Outcome Ya -> 5 | Outcome Tidak -> 3" },
        { "Jika ya ke langkah 5, jika tidak kembali ke langkah 3", "Outcome ya -> 5 | Outcome tidak -> 3" },
        { "Apabila setuju lanjut ke langkah 10, apabila tidak maka kembali ke langkah 6", "Outcome setuju -> 10 | Outcome tidak -> 6" },
        { "Setuju: ke langkah 12 / Dikembalikan: ke langkah 6", "Outcome Setuju -> 12 | Outcome Dikembalikan -> 6" },
        { "Sesuai: selesai / Revisi: ke langkah 2", "Outcome Sesuai -> selesai | Outcome Revisi -> 2" },
        { "Diperiksa bersama. Setuju: ke langkah 4 / Revisi: ke langkah 2.", "Outcome Setuju -> 4 | Outcome Revisi -> 2" },
        { "Jika triwulan == 4: ke langkah 11 / Lainnya: selesai", "Condition triwulan == 4 -> 11 | Otherwise Lainnya -> selesai" },
        { "Jika triwulan in [2, 4]: ke langkah 6 / Lainnya: selesai", "Condition triwulan in [2, 4] -> 6 | Otherwise Lainnya -> selesai" },
        { "Lanjut ke langkah 9", "Jump  -> 9" },
        { "Kembali ke langkah 7", "Jump  -> 7" },
        { "→ 12", "Jump  -> 12" },
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void Reads_the_branches(string keterangan, string expected)
    {
        DecisionText.TryRead(keterangan, out var branches, out var error).Should().BeTrue(error);

        Show(branches).Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SOP Pelaksanaan Rapat")]
    [InlineData("Dikerjakan setelah rapat selesai")]
    public void A_keterangan_naming_no_step_routes_nothing(string keterangan)
    {
        DecisionText.TryRead(keterangan, out var branches, out _).Should().BeTrue();

        branches.Should().BeEmpty();
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "Ya: ke langkah 5", "keputusan \"Ya\" hanya punya satu pilihan; tulis sedikitnya dua (\"Ya: ke langkah 5 / Tidak: ke langkah 3\"), atau \"ke langkah N\" saja untuk melompat" },
        { "Ya: ke langkah 5 / ke langkah 3", "pilihan ke-2 tidak berlabel; tulis labelnya sebelum tujuan (\"Tidak: ke langkah 3\")" },
        { "Ya: ke langkah 5 / ya: ke langkah 3", "pilihan \"Ya\" tertulis lebih dari sekali" },
        { "Ya: ke langkah 5 / Tidak: ke langkah 3 lalu arsip", "teks \"lalu arsip\" setelah tujuan terakhir tidak dapat dibaca; tulis setiap pilihan sebagai \"Label: ke langkah N\" dipisah \"/\"" },
        { "Jika triwulan == 4: ke langkah 11 / Tidak: selesai", "pilihan \"Tidak\" bercampur dengan syarat variabel; dalam satu keputusan tulis semua pilihan sebagai syarat (\"triwulan == 4\") dan sisanya \"Lainnya\"" },
        { "Jika \"OK\" sudah: ke langkah 4 / Belum: ke langkah 2", "label pilihan \"\"OK\" sudah\" tidak boleh memuat tanda petik atau koma" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Says_why_a_decision_does_not_read(string keterangan, string expected)
    {
        DecisionText.TryRead(keterangan, out _, out var error).Should().BeFalse();

        error.Should().Be(expected);
    }

    [Fact]
    public void A_condition_that_does_not_parse_is_refused_with_the_parser_s_reason()
    {
        DecisionText.TryRead("Jika triwulan == : ke langkah 11 / Lainnya: selesai", out _, out var error).Should().BeFalse();

        error.Should().StartWith("syarat \"triwulan ==\" tidak dapat dibaca: ");
    }
}
