using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Time;

public class WaktuParserTests
{
    private static WaktuDuration D(decimal amount, WaktuUnit unit) => new(amount, unit);

    public static TheoryData<string, WaktuUnit?, WaktuDuration?, WaktuDuration> Readable => new()
    {
        // As the seeds write it.
        { "1 – 20 Hari Kerja", null, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },
        { "1 – 10 Hari Kerja", null, D(1, WaktuUnit.WorkingDay), D(10, WaktuUnit.WorkingDay) },
        { "1 Hari Kerja", null, null, D(1, WaktuUnit.WorkingDay) },
        { "15 Menit", null, null, D(15, WaktuUnit.Minute) },
        { "10 menit", null, null, D(10, WaktuUnit.Minute) },
        { "2 Jam", null, null, D(2, WaktuUnit.Hour) },
        { "5 hari", null, null, D(5, WaktuUnit.Day) },
        { "120 Hari", null, null, D(120, WaktuUnit.Day) },
        { "2 Menit", null, null, D(2, WaktuUnit.Minute) },
        { "60", WaktuUnit.Minute, null, D(60, WaktuUnit.Minute) },
        { "1 - 20", WaktuUnit.WorkingDay, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },

        // As people write it.
        { "1-20 hari kerja", null, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },
        { "1 — 20 hari kerja", null, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },
        { "1 s.d. 20 HK", null, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },
        { "1 s/d 20 HK", null, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },
        { "1 sampai 20 hari kerja", null, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },
        { "1 sampai dengan 20 hari kerja", null, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },
        { "1 sd 20 hari", null, D(1, WaktuUnit.Day), D(20, WaktuUnit.Day) },
        { "30 menit - 2 jam", null, D(30, WaktuUnit.Minute), D(2, WaktuUnit.Hour) },
        { "2 minggu", null, null, D(2, WaktuUnit.Week) },
        { "1 pekan", null, null, D(1, WaktuUnit.Week) },
        { "1 bulan", null, null, D(1, WaktuUnit.Month) },
        { "½ jam", null, null, D(0.5m, WaktuUnit.Hour) },
        { "1½ jam", null, null, D(1.5m, WaktuUnit.Hour) },
        { "1,5 jam", null, null, D(1.5m, WaktuUnit.Hour) },
        { "1.5 jam", null, null, D(1.5m, WaktuUnit.Hour) },
        { "30'", null, null, D(30, WaktuUnit.Minute) },
        { "45 mnt", null, null, D(45, WaktuUnit.Minute) },
        { "3 jam 30 menit", null, null, D(210, WaktuUnit.Minute) },
        { "3 jam, 30 menit", null, null, D(210, WaktuUnit.Minute) },
        { "1 - 3 jam 30 menit", null, D(1, WaktuUnit.Hour), D(210, WaktuUnit.Minute) },
        { "1 minggu 2 hari", null, null, D(9, WaktuUnit.Day) },
        { "  2   JAM  ", null, null, D(2, WaktuUnit.Hour) },
        { "2\u00A0Jam", null, null, D(2, WaktuUnit.Hour) },
        { "1\u00A0–\u00A020\u202FHari\u00A0Kerja", null, D(1, WaktuUnit.WorkingDay), D(20, WaktuUnit.WorkingDay) },
        { "20 hari kerja.", null, null, D(20, WaktuUnit.WorkingDay) },
        { "5 hari kalender", null, null, D(5, WaktuUnit.Day) },
        { "2 jam", WaktuUnit.Minute, null, D(2, WaktuUnit.Hour) },
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void Reads_the_forms_SOPs_and_people_write(string text, WaktuUnit? bareNumberUnit, WaktuDuration? expected, WaktuDuration deadline)
    {
        WaktuParser.TryParse(text, bareNumberUnit, out var waktu, out var error).Should().BeTrue(error);

        waktu.Should().Be(new Waktu(text, expected, deadline));
        error.Should().BeNull();
    }

    [Theory]
    [InlineData("dua hari", "\"dua\" bukan angka atau satuan yang dikenal")]
    [InlineData("60", "angka 60 tidak bersatuan")]
    [InlineData("1 - 20", "angka 20 tidak bersatuan")]
    [InlineData("20 - 1 hari kerja", "batas bawah (20 hari kerja) lebih besar dari batas atas (1 hari kerja)")]
    [InlineData("3 jam - 30 menit", "batas bawah (3 jam) lebih besar dari batas atas (30 menit)")]
    [InlineData("1 hari kerja 2 jam", "hari kerja dan jam tidak dapat digabung")]
    [InlineData("122 Hari 3 jam", "hari dan jam tidak dapat digabung")]
    [InlineData("1 bulan 2 hari", "bulan dan hari tidak dapat digabung")]
    [InlineData("2 jam 3 jam", "satuan jam ditulis dua kali")]
    [InlineData("jam", "satuan \"jam\" tidak didahului angka")]
    [InlineData("2 jam menit", "satuan \"menit\" tidak didahului angka")]
    [InlineData("1 2 jam", "angka 1 tidak bersatuan")]
    [InlineData("0 menit", "jumlah waktu harus lebih dari nol")]
    [InlineData("1,5 hari kerja", "hari kerja harus bilangan bulat")]
    [InlineData("½ hari", "hari harus bilangan bulat")]
    [InlineData("1 - 2 - 3 jam", "hanya boleh ada satu rentang")]
    [InlineData("- 2 jam", "rentang harus punya batas bawah dan batas atas")]
    [InlineData("2 jam -", "rentang harus punya batas bawah dan batas atas")]
    [InlineData("2 jam (rapat)", "tanda \"(\" tidak dikenal")]
    public void Refuses_what_it_cannot_read_with_a_sentence_naming_the_text(string text, string reason)
    {
        WaktuParser.TryParse(text, null, out var waktu, out var error).Should().BeFalse();

        waktu.Should().BeNull();
        error.Should().StartWith($"Waktu \"{text.Trim()}\" tidak dapat dibaca: ").And.Contain(reason).And.EndWith(".");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Refuses_an_empty_waktu(string? text)
    {
        WaktuParser.TryParse(text, WaktuUnit.Minute, out var waktu, out var error).Should().BeFalse();

        waktu.Should().BeNull();
        error.Should().Be("Waktu kosong.");
    }

    [Fact]
    public void Parse_throws_the_same_sentence()
    {
        var parse = () => WaktuParser.Parse("dua hari");

        parse.Should().Throw<FormatException>().WithMessage("Waktu \"dua hari\" tidak dapat dibaca: *");
    }

    [Theory]
    [InlineData("menit", WaktuUnit.Minute)]
    [InlineData("Menit", WaktuUnit.Minute)]
    [InlineData("(Menit)", WaktuUnit.Minute)]
    [InlineData("Waktu (Menit)", WaktuUnit.Minute)]
    [InlineData("jam", WaktuUnit.Hour)]
    [InlineData("hari", WaktuUnit.Day)]
    [InlineData("Hari Kerja", WaktuUnit.WorkingDay)]
    [InlineData("HK", WaktuUnit.WorkingDay)]
    [InlineData("minggu", WaktuUnit.Week)]
    [InlineData("bulan", WaktuUnit.Month)]
    public void Reads_a_unit_name(string text, WaktuUnit expected)
    {
        WaktuParser.TryParseUnit(text, out var unit).Should().BeTrue();

        unit.Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("detik")]
    [InlineData("2 jam")]
    [InlineData("jam menit")]
    public void Refuses_what_is_not_a_single_unit(string? text)
    {
        WaktuParser.TryParseUnit(text, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(20, WaktuUnit.WorkingDay, "20 hari kerja")]
    [InlineData(1.5, WaktuUnit.Hour, "1,5 jam")]
    [InlineData(210, WaktuUnit.Minute, "210 menit")]
    public void A_duration_reads_back_in_bahasa_indonesia(double amount, WaktuUnit unit, string expected)
    {
        new WaktuDuration((decimal)amount, unit).ToString().Should().Be(expected);
    }
}
