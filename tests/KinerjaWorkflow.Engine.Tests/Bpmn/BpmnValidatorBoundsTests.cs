using KinerjaWorkflow.Engine.Bpmn;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>
/// Values that read but cannot be run: a Waktu or timer too long to count, a start cycle that fires too often.
/// Each is refused at deploy, naming the step and the limit, instead of failing every start afterwards.
/// </summary>
public class BpmnValidatorBoundsTests
{
    private static List<DefinitionProblem> Errors(string xml, ValidationOptions? options = null) =>
        Validate(xml, options).Where(p => p.Severity == ProblemSeverity.Error).ToList();

    private static string Timer(string kind, string expression) =>
        $"""<bpmn:timerEventDefinition><bpmn:{kind}>{expression}</bpmn:{kind}></bpmn:timerEventDefinition>""";

    public static TheoryData<string, string?> Waktus => new()
    {
        { "1250 Hari Kerja", null },
        { "1 – 1250 Hari Kerja", null },
        { "1251 Hari Kerja", "1250 hari kerja" },
        { "600000 menit", null },
        { "600001 menit", "600000 menit" },
        { "10001 jam", "10000 jam" },
        { "1826 hari", null },
        { "99999999 hari", "1826 hari" },
        { "261 minggu", "260 minggu" },
        { "61 bulan", "60 bulan" },
    };

    [Theory]
    [MemberData(nameof(Waktus))]
    public void A_waktu_longer_than_its_unit_allows_is_refused_naming_the_step(string waktu, string? limit)
    {
        var errors = Errors(Linear(("T", Task("T", 4, waktu))));

        if (limit is null)
        {
            errors.Should().BeEmpty();
        }
        else
        {
            errors.Should().ContainSingle().Which.Message.Should().Be(
                $"Langkah 4 \"Tugas T\": Waktu \"{waktu}\" melebihi batas {limit}; periksa angkanya (tenggat sepanjang itu tidak dapat dihitung).");
        }
    }

    [Theory]
    [InlineData("P5Y", true)]
    [InlineData("P1860D", true)]
    [InlineData("P1861D", false)]
    [InlineData("P99999Y", false)]
    [InlineData("PT44640H", true)]
    [InlineData("1250 Hari Kerja", true)]
    [InlineData("1300 Hari Kerja", false)]
    public void A_timer_duration_longer_than_five_years_is_refused(string expression, bool valid)
    {
        var xml = Linear(("Tunggu", $"""<bpmn:intermediateCatchEvent id="Tunggu">{Timer("timeDuration", expression)}</bpmn:intermediateCatchEvent>"""));

        var errors = Errors(xml);

        errors.Select(p => p.ElementId).Should().Equal(valid ? [] : ["Tunggu"]);
        errors.Where(p => !p.Message.Contains("melebihi batas", StringComparison.Ordinal)).Should().BeEmpty();
    }

    public static TheoryData<string, TimeSpan?, string?> Cycles => new()
    {
        { "R/PT1S", ValidationOptions.DefaultMinimumStartCycle, "1 jam" },
        { "R/PT59M", ValidationOptions.DefaultMinimumStartCycle, "1 jam" },
        { "R/2025-01-01T08:00:00+07:00/PT30M", ValidationOptions.DefaultMinimumStartCycle, "1 jam" },
        { "R/PT1H", ValidationOptions.DefaultMinimumStartCycle, null },
        { "R/P1D", ValidationOptions.DefaultMinimumStartCycle, null },
        { "triwulan", ValidationOptions.DefaultMinimumStartCycle, null },
        { "R/PT12H", TimeSpan.FromDays(1), "1 hari" },
        { "R/P1M", TimeSpan.FromDays(28), null },
        { "R/PT1S", null, null },
    };

    [Theory]
    [MemberData(nameof(Cycles))]
    public void A_start_cycle_shorter_than_the_minimum_is_refused(string cycle, TimeSpan? minimum, string? limit)
    {
        var xml = Process($"""<bpmn:startEvent id="Start">{Timer("timeCycle", cycle)}</bpmn:startEvent>""" + End() + Flow("Start", "End"));

        var errors = Errors(xml, new ValidationOptions { MinimumStartCycle = minimum });

        if (limit is null)
        {
            errors.Should().BeEmpty();
        }
        else
        {
            errors.Should().ContainSingle().Which.Message.Should().Be(
                $"Peristiwa awal \"Start\": siklus timer \"{cycle}\" memulai instans lebih sering dari batas sekali per {limit}; perpanjang periodenya.");
        }
    }
}
