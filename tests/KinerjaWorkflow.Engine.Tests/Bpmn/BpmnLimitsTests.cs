using System.Text;
using KinerjaWorkflow.Engine.Bpmn;
using static KinerjaWorkflow.Engine.Tests.Bpmn.BpmnText;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>
/// Files beyond <see cref="BpmnLimits"/> are refused with one error naming the limit, before anything walks
/// them deeply; files at a limit read as usual. The limits and these cases are in docs/bpmn-extensions.md.
/// </summary>
public class BpmnLimitsTests
{
    public static TheoryData<int, string?> SubProcessNestings => new()
    {
        { 1, null },
        { BpmnLimits.MaxSubProcessNesting, null },
        { BpmnLimits.MaxSubProcessNesting + 1, "sub-proses ini bersarang 11 tingkat di dalam sub-proses lain, melebihi batas 10 tingkat" },
        { 40, "sub-proses ini bersarang 11 tingkat di dalam sub-proses lain, melebihi batas 10 tingkat" },
        { 3_000, "bersarang 65 tingkat, melebihi batas 64 tingkat elemen XML bersarang" },
    };

    [Theory]
    [MemberData(nameof(SubProcessNestings))]
    public void Sub_processes_nest_up_to_the_limit(int nesting, string? refusal)
    {
        var compiled = DefinitionCompiler.Compile(NestedSubProcesses(nesting), new ValidationOptions());

        if (refusal is null)
        {
            compiled.Problems.Should().BeEmpty();
            compiled.IsValid.Should().BeTrue();
        }
        else
        {
            compiled.Errors.Should().ContainSingle().Which.Message.Should().Contain(refusal);
        }
    }

    public static TheoryData<int, string?> LaneNestings => new()
    {
        { 1, null },
        { BpmnLimits.MaxLaneNesting, null },
        { BpmnLimits.MaxLaneNesting + 1, "Lajur \"Peran 11\" bersarang 11 tingkat (childLaneSet), melebihi batas 10 tingkat lajur bersarang" },
        { 5_000, "bersarang 65 tingkat, melebihi batas 64 tingkat elemen XML bersarang" },
    };

    [Theory]
    [MemberData(nameof(LaneNestings))]
    public void Lanes_nest_up_to_the_limit(int nesting, string? refusal)
    {
        var result = BpmnReader.Read(NestedLanes(nesting));

        if (refusal is null)
        {
            result.Problems.Should().BeEmpty();
            result.Model!.Lanes.Should().HaveCount(nesting);
        }
        else
        {
            result.Problems.Should().ContainSingle().Which.Message.Should().Contain(refusal);
        }
    }

    public static TheoryData<string, string> Oversized => new()
    {
        { "bytes", "Berkas BPMN berukuran 1075 KB, melebihi batas 1024 KB" },
        { "elements", "Berkas BPMN memuat lebih dari 20000 elemen XML (batasnya 20000)" },
        { "flow elements", "memuat lebih dari 2000 elemen alur" },
        { "any element nested", "bersarang 65 tingkat, melebihi batas 64 tingkat elemen XML bersarang" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public void A_file_beyond_a_limit_is_one_error_naming_the_limit(string what, string refusal)
    {
        var xml = what switch
        {
            "bytes" => Process($"<bpmn:documentation>{new string('x', 1_100_000)}</bpmn:documentation>"),
            "elements" => Process(Repeat(BpmnLimits.MaxElements, _ => "<bpmn:documentation />")),
            "flow elements" => Process(Repeat(BpmnLimits.MaxFlowElements + 1, i => $"""<bpmn:task id="T{i}" />""")),
            _ => Process($"<bpmn:extensionElements>{Repeat(62, _ => "<sop:x>")}{Repeat(62, _ => "</sop:x>")}</bpmn:extensionElements>"),
        };

        var compiled = DefinitionCompiler.Compile(xml, new ValidationOptions());

        compiled.Model.Should().BeNull();
        compiled.Errors.Should().ContainSingle().Which.Message.Should().Contain(refusal);
    }

    [Fact]
    public void A_process_with_exactly_the_most_flow_elements_is_read()
    {
        var xml = Process(Start() + End() + Flow("Start", "End") + Repeat(BpmnLimits.MaxFlowElements - 3, i => $"""<bpmn:task id="T{i}" />"""));

        BpmnReader.Read(xml).Problems.Should().BeEmpty();
    }

    [Fact]
    public void Reading_stops_when_the_request_is_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var read = () => DefinitionCompiler.Compile(Fixture("bpmn-js.bpmn"), new ValidationOptions(), cancelled.Token);

        read.Should().Throw<OperationCanceledException>();
    }

    public static TheoryData<string, int, bool> OutcomeCounts => new()
    {
        { "declared", BpmnLimits.MaxOutcomes, true },
        { "declared", BpmnLimits.MaxOutcomes + 1, false },
        { "declared", 50_000, false },
        { "read from the conditions", BpmnLimits.MaxOutcomes, true },
        { "read from the conditions", BpmnLimits.MaxOutcomes + 1, false },
        { "read from the conditions", 20_000, false },
    };

    [Theory]
    [MemberData(nameof(OutcomeCounts))]
    public void A_step_offers_at_most_the_most_outcomes(string how, int count, bool valid)
    {
        var outcomes = Enumerable.Range(1, count).Select(i => $"hasil{i}").ToList();
        var flows = how == "declared"
            ? [Flow("Pilih", "End", "outcome != \"tidak ada\"", "Terus")]
            : outcomes.Chunk(100).Select((chunk, i) => Flow("Pilih", "End", $"outcome in [{string.Join(", ", chunk.Select(o => $"\"{o}\""))}]", $"Alur{i}")).ToList();
        var xml = Process(
            Start() + End() + Task("T", 1, outcomes: how == "declared" ? string.Join(",", outcomes) : null)
            + """<bpmn:exclusiveGateway id="Pilih" />""" + Flow("Start", "T") + Flow("T", "Pilih") + string.Join('\n', flows));

        var errors = DefinitionCompiler.Compile(xml, new ValidationOptions()).Errors.ToList();

        if (valid)
        {
            errors.Should().BeEmpty();
        }
        else
        {
            errors.Should().ContainSingle().Which.Message.Should().Be(
                $"Langkah 1 \"Tugas T\" menawarkan lebih dari {BpmnLimits.MaxOutcomes} pilihan hasil (outcome), melebihi batasnya; sebuah langkah biasanya memilih di antara dua atau tiga hasil, misalnya setuju dan dikembalikan.");
        }
    }

    /// <summary>
    /// The largest shapes within the limits that once held a processor for minutes: a gateway with nearly every
    /// flow element as its conditional flows (compared pair by pair), a hundred thousand outcomes tried against
    /// two thousand conditions, fifty thousand Camunda attributes on one element. Each must now be quick; ten
    /// seconds leaves a slow machine room while the old cost was ninety and more.
    /// </summary>
    public static TheoryData<string> CostlyShapes => new() { "gateway", "outcomes", "vendor attributes" };

    [Theory]
    [MemberData(nameof(CostlyShapes))]
    public void The_costliest_file_within_the_limits_is_checked_quickly(string shape)
    {
        var xml = shape switch
        {
            "gateway" => Process(
                Start() + End() + """<bpmn:exclusiveGateway id="Pilih" />""" + Flow("Start", "Pilih")
                + Repeat(BpmnLimits.MaxFlowElements - 4, i => Flow("Pilih", "End", $"!{new string('(', 60)}a == {i}{new string(')', 60)}", $"Alur{i}"))),
            "outcomes" => Process(
                Start() + End() + Task("T", 1, outcomes: string.Join(",", Enumerable.Range(1, 100_000).Select(i => $"h{i}")))
                + """<bpmn:exclusiveGateway id="Pilih" />""" + Flow("Start", "T") + Flow("T", "Pilih")
                + Repeat(BpmnLimits.MaxFlowElements - 6, i => Flow("Pilih", "End", $"outcome == \"x{i}\"", $"Alur{i}"))),
            _ => Process(Start() + End() + Flow("Start", "End")
                + $"""<bpmn:task id="T" {string.Join(' ', Enumerable.Range(1, 50_000).Select(i => $"camunda:a{i}=\"\""))} />"""),
        };

        Action compile = () => DefinitionCompiler.Compile(xml, new ValidationOptions());

        compile.ExecutionTime().Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    private static string Repeat(int count, Func<int, string> text)
    {
        var builder = new StringBuilder();
        for (var i = 1; i <= count; i++)
        {
            builder.Append(text(i));
        }

        return builder.ToString();
    }

    /// <summary>Start, sub-process 1 (holding sub-process 2, and so on), End; each sub-process a valid scope.</summary>
    private static string NestedSubProcesses(int nesting)
    {
        var opening = Repeat(nesting, i => $"""<bpmn:subProcess id="S{i}"><bpmn:startEvent id="Mulai{i}" /><bpmn:endEvent id="Selesai{i}" />""");
        var closing = new StringBuilder();
        for (var i = nesting; i >= 1; i--)
        {
            var inner = i == nesting ? Flow($"Mulai{i}", $"Selesai{i}") : Flow($"Mulai{i}", $"S{i + 1}") + Flow($"S{i + 1}", $"Selesai{i}");
            closing.Append(inner).Append("</bpmn:subProcess>");
        }

        return Process(Start() + End() + Flow("Start", "S1") + Flow("S1", "End") + opening + closing);
    }

    /// <summary>Lane "Peran 1" holding lane "Peran 2", and so on; each lists the one start event.</summary>
    private static string NestedLanes(int nesting)
    {
        var opening = Repeat(nesting, i => $"""<bpmn:lane id="L{i}" name="Peran {i}"><bpmn:flowNodeRef>Start</bpmn:flowNodeRef><bpmn:childLaneSet id="C{i}">""");
        var closing = Repeat(nesting, _ => "</bpmn:childLaneSet></bpmn:lane>");
        return Process($"""<bpmn:laneSet id="Lanes">{opening}{closing}</bpmn:laneSet>""" + Start() + End() + Flow("Start", "End"));
    }
}
