using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Tests.Bpmn;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Time;

public class WaktuTotalTests
{
    public static TheoryData<string, WaktuUnit?, string> Readable => new()
    {
        { "122 Hari 3 jam", null, "122 hari 3 jam" },
        { "5 Hari Kerja", null, "5 hari kerja" },
        { "1 – 20 Hari Kerja", null, "20 hari kerja" },
        { "2 hari kerja 30 menit", null, "2 hari kerja 30 menit" },
        { "3 jam 30 menit", null, "3 jam 30 menit" },
        { "90 menit", null, "1 jam 30 menit" },
        { "1 bulan 2 minggu", null, "1 bulan 14 hari" },
        { "60", WaktuUnit.Minute, "1 jam" },
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void Reads_a_stated_total_as_sops_write_it(string text, WaktuUnit? bareNumberUnit, string expected)
    {
        WaktuTotal.TryParse(text, bareNumberUnit, out var total, out var error).Should().BeTrue(error);

        total.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lama sekali")]
    [InlineData("122 Hari 3 tahun")]
    [InlineData("kira-kira 5 hari 2 jam")]
    public void Refuses_what_it_cannot_read_with_a_reason(string text)
    {
        WaktuTotal.TryParse(text, null, out var total, out var error).Should().BeFalse();

        total.Should().Be(WaktuTotal.Zero);
        error.Should().NotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData(2, 0, 0, "+2 menit")]
    [InlineData(-62, 0, 0, "−1 jam −2 menit")]
    [InlineData(-30, 0, 1, "+1 hari kerja −30 menit")]
    [InlineData(0, -3, 0, "−3 hari")]
    [InlineData(0, 0, 0, "0 menit")]
    public void A_difference_shows_the_sign_of_each_part(int officeMinutes, int calendarDays, int workingDays, string expected)
    {
        var difference = new WaktuTotal(officeMinutes, calendarDays, workingDays, 0);

        difference.ToSignedString().Should().Be(expected);
    }

    [Fact]
    public void A_difference_is_computed_less_stated()
    {
        WaktuTotal.TryParse("122 Hari 3 jam 2 Menit", null, out var computed, out _).Should().BeTrue();
        WaktuTotal.TryParse("122 Hari 3 jam", null, out var stated, out _).Should().BeTrue();

        (computed - stated).Should().Be(new WaktuTotal(2, 0, 0, 0));
    }

    [Fact]
    public void Each_way_of_counting_stays_apart()
    {
        var total = WaktuTotal.Of(new WaktuDuration(1, WaktuUnit.WorkingDay)) + WaktuTotal.Of(new WaktuDuration(8, WaktuUnit.Hour));

        total.Should().Be(new WaktuTotal(480, 0, 1, 0));
        total.ToString().Should().Be("1 hari kerja 8 jam");
    }

    [Fact]
    public void Sums_each_step_deadline_once_and_lists_the_steps_without_waktu()
    {
        var model = Compile(
            BpmnText.Start(),
            BpmnText.Task("A", 1, "1 – 5 Hari Kerja"),
            BpmnText.Task("B", 2, "2 Menit"),
            BpmnText.Task("C", 3),
            BpmnText.Task("D", 4, "2 jam"),
            BpmnText.End(),
            BpmnText.Chain("Start", "A", "B", "C", "D", "End"));

        var sum = WaktuTotal.OfSteps(model);

        sum.Total.ToString().Should().Be("5 hari kerja 2 jam 2 menit");
        sum.StepsCounted.Should().Be(3);
        sum.StepsWithoutWaktu.Select(t => t.Id).Should().Equal("C");
        sum.StepsUnreadable.Should().BeEmpty();
    }

    [Theory]
    [InlineData("5 Hari Kerja 2 jam", "+2 menit", false)]
    [InlineData("5 hari kerja 2 jam 2 menit", "0 menit", true)]
    public void Sets_the_stated_total_against_the_steps(string stated, string difference, bool agrees)
    {
        var sum = WaktuTotal.OfSteps(Stated(stated));

        sum.StatedText.Should().Be(stated);
        sum.Difference!.Value.ToSignedString().Should().Be(difference);
        sum.Difference!.Value.IsZero.Should().Be(agrees);
        sum.StatedProblem.Should().BeNull();
    }

    [Fact]
    public void An_unreadable_stated_total_gives_its_reason_and_no_difference()
    {
        var sum = WaktuTotal.OfSteps(Stated("kurang lebih seminggu"));

        sum.Stated.Should().BeNull();
        sum.Difference.Should().BeNull();
        sum.StatedProblem.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Without_a_stated_total_there_is_nothing_to_compare()
    {
        var sum = WaktuTotal.OfSteps(Compile(BpmnText.Start(), BpmnText.Task("A", 1, "2 jam"), BpmnText.End(), BpmnText.Chain("Start", "A", "End")));

        sum.StatedText.Should().BeNull();
        sum.Difference.Should().BeNull();
        sum.StatedProblem.Should().BeNull();
    }

    [Fact]
    public void A_bare_number_counts_in_the_unit_the_waktu_column_names()
    {
        var model = Compile(
            [BpmnText.Start(), BpmnText.Task("A", 1, "60"), BpmnText.Task("B", 2, "15"), BpmnText.End(), BpmnText.Chain("Start", "A", "B", "End")],
            """sop:waktuSatuan="Menit" """);

        WaktuTotal.OfSteps(model).Total.ToString().Should().Be("1 jam 15 menit");
    }

    /// <summary>Steps of 1 – 5 Hari Kerja, 2 Menit and 2 jam, under an SOP that states <paramref name="jumlah"/>.</summary>
    private static Engine.Model.ProcessModel Stated(string jumlah) => Compile(
        $"""<bpmn:extensionElements><sop:identity jumlahWaktu="{jumlah}" /></bpmn:extensionElements>""",
        BpmnText.Start(),
        BpmnText.Task("A", 1, "1 – 5 Hari Kerja"),
        BpmnText.Task("B", 2, "2 Menit"),
        BpmnText.Task("C", 3, "2 jam"),
        BpmnText.End(),
        BpmnText.Chain("Start", "A", "B", "C", "End"));

    private static Engine.Model.ProcessModel Compile(params string[] body) => Compile(body, string.Empty);

    private static Engine.Model.ProcessModel Compile(string[] body, string processAttributes)
    {
        var compiled = DefinitionCompiler.Compile(BpmnText.Process(string.Join('\n', body), processAttributes), new ValidationOptions());
        compiled.Errors.Should().BeEmpty();
        return compiled.Model!;
    }
}
