using KinerjaWorkflow.Engine.Conditions;

namespace KinerjaWorkflow.Engine.Tests.Conditions;

public class ConditionSyntaxTests
{
    [Theory]
    [InlineData("", 0, "Kondisi kosong; tuliskan syarat, misalnya outcome == \"setuju\" (posisi 0).")]
    [InlineData("  \t ", 0, "Kondisi kosong; tuliskan syarat, misalnya outcome == \"setuju\" (posisi 0).")]
    [InlineData("outcome == \"revisi", 11, "Tanda kutip penutup tidak ditemukan (posisi 11).")]
    [InlineData("outcome == 'revisi\\", 11, "Tanda kutip penutup tidak ditemukan (posisi 11).")]
    [InlineData("judul == \"a\\nb\"", 11, "Urutan '\\n' tidak dikenal di dalam teks; yang dapat dipakai hanya \\\", \\' dan \\\\ (posisi 11).")]
    [InlineData("$x == 1", 0, "Karakter '$' tidak dikenal (posisi 0).")]
    [InlineData("a == 1 # catatan", 7, "Karakter '#' tidak dikenal (posisi 7).")]
    [InlineData("a\u0001", 1, "Karakter U+0001 tidak dikenal (posisi 1).")]
    [InlineData("true.x", 4, "Karakter '.' tidak dikenal (posisi 4).")]
    [InlineData("outcome = \"a\"", 8, "Gunakan '==' untuk membandingkan, bukan '=' (posisi 8).")]
    [InlineData("a & b", 2, "Gunakan '&&' (atau 'and'), bukan '&' (posisi 2).")]
    [InlineData("a | b", 2, "Gunakan '||' (atau 'or'), bukan '|' (posisi 2).")]
    [InlineData("nilai > - 5", 8, "Diharapkan angka tepat setelah tanda minus '-' (posisi 8).")]
    [InlineData("nilai > 1.", 10, "Diharapkan angka setelah titik desimal (posisi 10).")]
    [InlineData("nilai > 99999999999999999999999999999999", 8, "Angka '99999999999999999999999999999999' terlalu besar (posisi 8).")]
    [InlineData("unit. == 1", 5, "Diharapkan nama properti setelah '.' (posisi 5).")]
    [InlineData("unit..nama", 5, "Diharapkan nama properti setelah '.' (posisi 5).")]
    [InlineData("outcome ==", 10, "Diharapkan nilai setelah '==' (posisi 10).")]
    [InlineData("a && ", 5, "Diharapkan nilai setelah '&&' (posisi 5).")]
    [InlineData("!", 1, "Diharapkan nilai setelah '!' (posisi 1).")]
    [InlineData("a || )", 5, "Diharapkan nilai setelah '||', bukan ')' (posisi 5).")]
    [InlineData("()", 1, "Diharapkan nilai setelah '(', bukan ')' (posisi 1).")]
    [InlineData("&& a", 0, "Diharapkan nilai, bukan '&&' (posisi 0).")]
    [InlineData("(outcome == \"a\"", 0, "Kurung '(' belum ditutup dengan ')' (posisi 0).")]
    [InlineData("outcome == \"a\")", 14, "Kurung tutup ')' tidak punya pasangan '(' (posisi 14).")]
    [InlineData("a == 1 == 2", 7, "Perbandingan tidak dapat dirangkai; pisahkan dengan '&&' atau '||' sebelum '==' (posisi 7).")]
    [InlineData("a < b in [1]", 6, "Perbandingan tidak dapat dirangkai; pisahkan dengan '&&' atau '||' sebelum 'in' (posisi 6).")]
    [InlineData("outcome \"setuju\"", 8, "'\"setuju\"' tidak terduga di sini; mungkin kurang operator seperti '==', '&&' atau '||' sebelumnya (posisi 8).")]
    [InlineData("(a b)", 3, "'b' tidak terduga di sini; mungkin kurang operator seperti '==', '&&' atau '||' sebelumnya (posisi 3).")]
    [InlineData("a == 1 ]", 7, "']' tidak terduga di sini; mungkin kurang operator seperti '==', '&&' atau '||' sebelumnya (posisi 7).")]
    [InlineData("nilai >= 3,5", 10, "',' tidak terduga di sini; untuk angka desimal gunakan titik, misalnya 3.5 (posisi 10).")]
    [InlineData("triwulan in 2", 12, "Diharapkan daftar seperti [2, 4] setelah 'in', bukan '2' (posisi 12).")]
    [InlineData("triwulan in", 11, "Diharapkan daftar seperti [2, 4] setelah 'in', bukan akhir kondisi (posisi 11).")]
    [InlineData("triwulan in []", 13, "Daftar setelah 'in' tidak boleh kosong (posisi 13).")]
    [InlineData("triwulan in [2, 4", 12, "Kurung '[' belum ditutup dengan ']' (posisi 12).")]
    [InlineData("triwulan in [2,", 12, "Kurung '[' belum ditutup dengan ']' (posisi 12).")]
    [InlineData("triwulan in [2 4]", 15, "Diharapkan ',' atau ']' di dalam daftar, bukan '4' (posisi 15).")]
    [InlineData("triwulan in [2, ]", 16, "Diharapkan nilai setelah ',', bukan ']' (posisi 16).")]
    [InlineData("triwulan in [a]", 13, "Daftar hanya boleh berisi nilai tetap (teks, angka, true, false, null), bukan variabel 'a' (posisi 13).")]
    [InlineData("[2, 4] == triwulan", 0, "Daftar [..] hanya dapat dipakai setelah 'in', misalnya triwulan in [2, 4] (posisi 0).")]
    [InlineData("\"setuju\"", 0, "\"setuju\" saja bukan syarat benar/salah; bandingkan dengan variabel, misalnya outcome == \"setuju\" (posisi 0).")]
    [InlineData("a && 5", 5, "5 saja bukan syarat benar/salah; bandingkan dengan variabel, misalnya outcome == 5 (posisi 5).")]
    [InlineData("!('x')", 2, "'x' saja bukan syarat benar/salah; bandingkan dengan variabel, misalnya outcome == 'x' (posisi 2).")]
    public void Refuses_faulty_text_with_position_and_plain_message(string text, int position, string message)
    {
        var parse = () => Condition.Parse(text);

        var fault = parse.Should().Throw<ConditionSyntaxException>().Which;
        fault.Position.Should().Be(position);
        fault.Message.Should().Be(message);
    }

    [Fact]
    public void Refuses_null_text()
    {
        var parse = () => Condition.Parse(null!);

        parse.Should().Throw<ArgumentNullException>();
    }

    public static TheoryData<string, int, string> HostileInputs => new()
    {
        { new string('a', 2001), 2000, "Kondisi terlalu panjang; paling banyak 2000 karakter (posisi 2000)." },
        { new string('(', 65) + "t" + new string(')', 65), 64, "Kondisi bersarang terlalu dalam; paling banyak 64 tingkat (posisi 64)." },
        { new string('!', 65) + "t", 64, "Kondisi bersarang terlalu dalam; paling banyak 64 tingkat (posisi 64)." },
        { string.Concat(Enumerable.Repeat("(!", 33)) + "t" + new string(')', 33), 64, "Kondisi bersarang terlalu dalam; paling banyak 64 tingkat (posisi 64)." },
        { new string('(', 1999), 64, "Kondisi bersarang terlalu dalam; paling banyak 64 tingkat (posisi 64)." },
        { new string('"', 1) + new string('\\', 1999), 0, "Tanda kutip penutup tidak ditemukan (posisi 0)." },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Refuses_hostile_input_with_a_syntax_error(string text, int position, string message)
    {
        var parse = () => Condition.Parse(text);

        var fault = parse.Should().Throw<ConditionSyntaxException>().Which;
        fault.Position.Should().Be(position);
        fault.Message.Should().Be(message);
    }

    public static TheoryData<string, bool> LimitInputs => new()
    {
        { new string('(', 64) + "t" + new string(')', 64), true },
        { new string('!', 64) + "t", true },
        { "t" + string.Concat(Enumerable.Repeat(" && t", 399)), true },
        { "f" + string.Concat(Enumerable.Repeat("||f", 666)), false },
        { "n in [" + string.Join(",", Enumerable.Range(2, 450)) + ",1]", true },
    };

    [Theory]
    [MemberData(nameof(LimitInputs))]
    public void Accepts_input_up_to_the_limits(string text, bool expected)
    {
        text.Length.Should().BeLessThanOrEqualTo(2000);

        Condition.Parse(text).Evaluate(Variables.From("""{"t":true,"f":false,"n":1}""")).Should().Be(expected);
    }

    [Theory]
    [InlineData("outcome == \"setuju\"")]
    [InlineData("  triwulan == 4 && nilai >= 80  ")]
    [InlineData("triwulan in [2, 4]")]
    [InlineData("!selesai")]
    [InlineData("unit.nama == \"Sekretariat\"")]
    [InlineData("_x1 == -0.5 or NOT y_2 AND z In ['a', \"b\", true, null, -3]")]
    [InlineData("a==1&&b!=2||!(c<3)")]
    [InlineData("\u00a0selesai\u00a0")]
    public void Accepts_well_formed_conditions(string text)
    {
        var parse = () => Condition.Parse(text);

        parse.Should().NotThrow();
    }
}
