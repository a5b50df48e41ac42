using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Time;

public class HolidayCalendarReaderTests
{
    private static HolidayReadResult Read(string text) => HolidayCalendarReader.Read(new StringReader(text));

    [Fact]
    public void Reads_dates_names_and_kinds()
    {
        var result = Read("""
            tanggal,nama,jenis
            2025-03-31,Idul Fitri 1446 Hijriah,libur-nasional

            2025-04-02,"Cuti Bersama Idul Fitri, hari pertama",cuti-bersama
            """);

        result.Errors.Should().BeEmpty();
        result.Holidays.Should().Equal(
            new Holiday(new DateOnly(2025, 3, 31), "Idul Fitri 1446 Hijriah", HolidayKind.NationalHoliday),
            new Holiday(new DateOnly(2025, 4, 2), "Cuti Bersama Idul Fitri, hari pertama", HolidayKind.CutiBersama));
    }

    [Theory]
    [InlineData("2025-02-30,Tanggal salah,libur-nasional", "tanggal \"2025-02-30\" tidak valid")]
    [InlineData("31-03-2025,Idul Fitri,libur-nasional", "tanggal \"31-03-2025\" tidak valid")]
    [InlineData("2025-03-31,Idul Fitri", "harus ada 3 kolom (tanggal,nama,jenis), ditemukan 2")]
    [InlineData("2025-03-31,,libur-nasional", "nama hari libur kosong")]
    [InlineData("2025-03-31,Idul Fitri,libur", "jenis \"libur\" tidak dikenal")]
    [InlineData("2025-03-31,\"Idul Fitri,libur-nasional", "tanda kutip tidak ditutup")]
    public void Reports_a_bad_line_with_its_number_and_keeps_the_good_ones(string badLine, string message)
    {
        var result = Read($"tanggal,nama,jenis\n2025-01-01,Tahun Baru 2025 Masehi,libur-nasional\n{badLine}\n2025-12-25,Kelahiran Yesus Kristus,libur-nasional\n");

        result.Succeeded.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Line.Should().Be(3);
        result.Errors[0].Message.Should().StartWith(message);
        result.Errors[0].ToString().Should().StartWith("baris 3: ");
        result.Holidays.Select(h => h.Date).Should().Equal(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 25));
    }

    [Fact]
    public void Reports_a_date_listed_twice_with_the_line_that_listed_it_first()
    {
        var result = Read("tanggal,nama,jenis\n2025-03-31,Idul Fitri,libur-nasional\n2025-03-31,Idul Fitri lagi,cuti-bersama\n");

        result.Errors.Should().ContainSingle().Which.Should().Be(new HolidayReadError(3, "tanggal 2025-03-31 sudah ada di baris 2."));
        result.Holidays.Should().ContainSingle().Which.Name.Should().Be("Idul Fitri");
    }

    [Fact]
    public void Reports_a_date_outside_the_year_the_file_is_for()
    {
        var result = HolidayCalendarReader.Read(new StringReader("tanggal,nama,jenis\n2025-12-31,Akhir tahun,cuti-bersama\n2026-01-01,Tahun Baru,libur-nasional\n"), 2026);

        result.Errors.Should().ContainSingle().Which.Should().Be(new HolidayReadError(2, "tanggal 2025-12-31 bukan tahun 2026."));
        result.Holidays.Select(h => h.Date).Should().Equal(new DateOnly(2026, 1, 1));
    }

    [Fact]
    public void Reports_a_missing_header()
    {
        var result = Read("2025-01-01,Tahun Baru 2025 Masehi,libur-nasional\n");

        result.Errors.Should().ContainSingle().Which.Should().Be(
            new HolidayReadError(1, "baris pertama harus \"tanggal,nama,jenis\", bukan \"2025-01-01,Tahun Baru 2025 Masehi,libur-nasional\"."));
    }

    [Fact]
    public void Reports_an_empty_file()
    {
        Read("").Errors.Should().ContainSingle().Which.Message.Should().StartWith("berkas kosong");
    }

    [Theory]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void Shipped_calendar_reads_without_errors(int year)
    {
        var result = TestCalendars.ReadShipped(year);

        result.Errors.Should().BeEmpty();
        result.Holidays.Should().NotBeEmpty();
    }

    [Theory]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void Shipped_calendar_lists_each_day_of_its_own_year_once_in_order(int year)
    {
        var dates = TestCalendars.ReadShipped(year).Holidays.Select(h => h.Date).ToList();

        dates.Should().OnlyContain(d => d.Year == year);
        dates.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
    }

    [Theory]
    [InlineData(2024, 19, 10)]
    [InlineData(2025, 17, 11)]
    [InlineData(2026, 17, 8)]
    public void Shipped_calendar_has_the_decreed_number_of_days(int year, int nationalHolidays, int cutiBersama)
    {
        var holidays = TestCalendars.ReadShipped(year).Holidays;

        holidays.Count(h => h.Kind == HolidayKind.NationalHoliday).Should().Be(nationalHolidays);
        holidays.Count(h => h.Kind == HolidayKind.CutiBersama).Should().Be(cutiBersama);
    }

    [Fact]
    public void Cuti_bersama_falls_on_weekdays()
    {
        TestCalendars.ShippedHolidays.Where(h => h.Kind == HolidayKind.CutiBersama)
            .Should().OnlyContain(h => h.Date.DayOfWeek != DayOfWeek.Saturday && h.Date.DayOfWeek != DayOfWeek.Sunday);
    }
}
