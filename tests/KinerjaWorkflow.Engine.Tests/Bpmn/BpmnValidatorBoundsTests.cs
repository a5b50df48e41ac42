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

    public static TheoryData<string, TimeSpan?, string?> Loops => new()
    {
        { "timer P0D", ValidationOptions.DefaultMinimumStartCycle, "Putar" },
        { "timer PT59M", ValidationOptions.DefaultMinimumStartCycle, "Putar" },
        { "timer 30 menit", ValidationOptions.DefaultMinimumStartCycle, "Putar" },
        { "timer date", ValidationOptions.DefaultMinimumStartCycle, "Putar" },
        { "service task", ValidationOptions.DefaultMinimumStartCycle, "Putar" },
        { "gateway", ValidationOptions.DefaultMinimumStartCycle, "Ulang" },
        { "timer PT1H", ValidationOptions.DefaultMinimumStartCycle, null },
        { "timer 1 Hari Kerja", ValidationOptions.DefaultMinimumStartCycle, null },
        { "user task", ValidationOptions.DefaultMinimumStartCycle, null },
        { "timer PT59M", TimeSpan.FromMinutes(30), null },
        { "timer P0D", null, null },
    };

    [Theory]
    [MemberData(nameof(Loops))]
    public void A_loop_that_no_person_holds_up_must_wait_the_minimum_each_turn(string body, TimeSpan? minimum, string? refusedAt)
    {
        var turn = body switch
        {
            "timer P0D" => $"""<bpmn:intermediateCatchEvent id="Putar">{Timer("timeDuration", "P0D")}</bpmn:intermediateCatchEvent>""",
            "timer PT59M" => $"""<bpmn:intermediateCatchEvent id="Putar">{Timer("timeDuration", "PT59M")}</bpmn:intermediateCatchEvent>""",
            "timer 30 menit" => $"""<bpmn:intermediateCatchEvent id="Putar">{Timer("timeDuration", "30 menit")}</bpmn:intermediateCatchEvent>""",
            "timer date" => $"""<bpmn:intermediateCatchEvent id="Putar">{Timer("timeDate", "2025-01-01T08:00:00+07:00")}</bpmn:intermediateCatchEvent>""",
            "timer PT1H" => $"""<bpmn:intermediateCatchEvent id="Putar">{Timer("timeDuration", "PT1H")}</bpmn:intermediateCatchEvent>""",
            "timer 1 Hari Kerja" => $"""<bpmn:intermediateCatchEvent id="Putar">{Timer("timeDuration", "1 Hari Kerja")}</bpmn:intermediateCatchEvent>""",
            "service task" => """<bpmn:serviceTask id="Putar"><bpmn:extensionElements><sop:http method="GET" url="https://monev.example/status" resultVariable="selesai" /></bpmn:extensionElements></bpmn:serviceTask>""",
            "user task" => Task("Putar"),
            _ => """<bpmn:exclusiveGateway id="Putar" />""",
        };
        var xml = Process(
            Start() + End() + """<bpmn:exclusiveGateway id="Ulang" default="Lagi" />""" + turn
            + Flow("Start", "Ulang") + Flow("Ulang", "End", "selesai == true") + Flow("Ulang", "Putar", id: "Lagi") + Flow("Putar", "Ulang"));

        var errors = Errors(xml, new ValidationOptions { MinimumStartCycle = minimum });

        if (refusedAt is null)
        {
            errors.Should().BeEmpty();
        }
        else
        {
            errors.Should().ContainSingle().Which.Should().Match<DefinitionProblem>(p => p.ElementId == refusedAt
                && p.Message.Contains("berada pada perulangan yang berputar sendiri", StringComparison.Ordinal)
                && p.Message.EndsWith("Tambahkan tugas pengguna ke perulangan ini, atau timer paling sedikit 1 jam.", StringComparison.Ordinal));
        }
    }
}
