using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Time;

public class OfficeHoursTests
{
    [Theory]
    [InlineData(DayOfWeek.Monday, "07:30-16:00")]
    [InlineData(DayOfWeek.Tuesday, "07:30-16:00")]
    [InlineData(DayOfWeek.Wednesday, "07:30-16:00")]
    [InlineData(DayOfWeek.Thursday, "07:30-16:00")]
    [InlineData(DayOfWeek.Friday, "07:30-16:30")]
    [InlineData(DayOfWeek.Saturday, null)]
    [InlineData(DayOfWeek.Sunday, null)]
    public void Default_is_the_civil_service_week(DayOfWeek day, string? hours)
    {
        (OfficeHours.Default.For(day)?.ToString()).Should().Be(hours);
    }

    [Fact]
    public void Reads_organization_yaml_and_keeps_the_default_for_days_not_named()
    {
        var yaml = new Dictionary<string, string?>
        {
            ["monday"] = "07:00-15:30",
            ["friday"] = "07.30 – 11.30",
            ["saturday"] = null,
            ["Sabtu"] = "tutup",
        };

        OfficeHours.TryParse(yaml, out var hours, out var errors).Should().BeTrue(string.Join("; ", errors));

        errors.Should().BeEmpty();
        hours!.For(DayOfWeek.Monday).ToString().Should().Be("07:00-15:30");
        hours.For(DayOfWeek.Friday).ToString().Should().Be("07:30-11:30");
        hours.For(DayOfWeek.Tuesday).ToString().Should().Be("07:30-16:00");
        hours.For(DayOfWeek.Saturday).Should().BeNull();
    }

    [Theory]
    [InlineData("senin", DayOfWeek.Monday)]
    [InlineData("Jumat", DayOfWeek.Friday)]
    [InlineData("jum'at", DayOfWeek.Friday)]
    [InlineData("SUNDAY", DayOfWeek.Sunday)]
    [InlineData("minggu", DayOfWeek.Sunday)]
    public void Reads_day_names_in_english_and_bahasa_indonesia(string name, DayOfWeek expected)
    {
        OfficeHours.TryParseDay(name, out var day).Should().BeTrue();

        day.Should().Be(expected);
    }

    [Theory]
    [InlineData("mondey", "07:30-16:00", "Hari \"mondey\" tidak dikenal")]
    [InlineData("monday", "7:30-16", "Senin: Jam kantor \"7:30-16\" tidak dapat dibaca")]
    [InlineData("monday", "07:30", "Senin: Jam kantor \"07:30\" tidak dapat dibaca")]
    [InlineData("tuesday", "16:00-07:30", "Selasa: Jam kantor \"16:00-07:30\": jam tutup harus sesudah jam buka")]
    public void Reports_each_bad_entry_in_a_sentence(string day, string value, string expected)
    {
        OfficeHours.TryParse([new(day, value)], out var hours, out var errors).Should().BeFalse();

        hours.Should().BeNull();
        errors.Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void Refuses_an_office_that_never_opens()
    {
        var allClosed = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }
            .Select(d => new KeyValuePair<string, string?>(d, null));

        OfficeHours.TryParse(allClosed, out _, out var errors).Should().BeFalse();

        errors.Should().ContainSingle().Which.Should().Be("Kantor harus buka setidaknya satu hari dalam seminggu.");
    }

    [Fact]
    public void With_changes_one_day_and_leaves_the_original_alone()
    {
        var hours = OfficeHours.Default.With(DayOfWeek.Friday, new OfficeDay(new TimeOnly(7, 30), new TimeOnly(16, 0)));

        hours.For(DayOfWeek.Friday).ToString().Should().Be("07:30-16:00");
        OfficeHours.Default.For(DayOfWeek.Friday).ToString().Should().Be("07:30-16:30");
    }

    [Fact]
    public void An_office_day_must_close_after_it_opens()
    {
        var create = () => new OfficeDay(new TimeOnly(16, 0), new TimeOnly(7, 30));

        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Reads_breaks_per_weekday()
    {
        Dictionary<string, string?> days = new()
        {
            ["monday"] = "07:30-16:00",
            ["friday"] = "07:30-16:30",
        };
        Dictionary<string, string?> breaks = new()
        {
            ["monday"] = "12:00-13:00",
            ["jumat"] = "11.30 – 13.00",
            ["tuesday"] = "tidak ada",
        };

        OfficeHours.TryParse(days, breaks, out var hours, out var errors).Should().BeTrue(string.Join("; ", errors));

        hours!.For(DayOfWeek.Monday).ToString().Should().Be("07:30-16:00 (istirahat 12:00-13:00)");
        hours.For(DayOfWeek.Friday)!.Value.Length.Should().Be(TimeSpan.FromHours(7.5));
        hours.For(DayOfWeek.Tuesday)!.Value.Breaks.Should().BeEmpty();
    }

    [Theory]
    [InlineData("monday", "12-13", "Senin: Jam istirahat \"12-13\" tidak dapat dibaca")]
    [InlineData("monday", "06:00-08:00", "Senin: Jam istirahat \"06:00-08:00\": istirahat 06:00-08:00 harus di dalam jam kantor 07:30-16:00")]
    [InlineData("monday", "12:00-13:00, 12:30-13:30", "Senin: Jam istirahat \"12:00-13:00, 12:30-13:30\": istirahat 12:30-13:30 harus di dalam jam kantor")]
    [InlineData("saturday", "12:00-13:00", "Sabtu: kantor tutup, jadi tidak punya jam istirahat.")]
    [InlineData("someday", "12:00-13:00", "Hari \"someday\" pada jam istirahat tidak dikenal")]
    public void Reports_each_bad_break_in_a_sentence(string day, string value, string expected)
    {
        OfficeHours.TryParse([], [new(day, value)], out var hours, out var errors).Should().BeFalse();

        hours.Should().BeNull();
        errors.Should().ContainSingle().Which.Should().StartWith(expected);
    }
}
