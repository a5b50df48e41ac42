using System.Globalization;
using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Import;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Tests.Time;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Import;

/// <summary>
/// The examples of docs/sop-table-import.md, read from the document itself: the decision forms, the Waktu forms
/// and the worked example, so the rules admins read and the rules the import applies cannot drift apart.
/// </summary>
public class DecisionDocumentTests
{
    private static readonly Lazy<string[]> Document = new(() =>
        File.ReadAllLines(Path.Combine(TestCalendars.RepositoryRoot, "docs", "sop-table-import.md")));

    private static readonly WorkedExamples Decisions = new("sop-table-import.md", "## Decisions and jumps");

    private static readonly WorkedExamples WaktuForms = new("sop-table-import.md", "## Waktu");

    public static TheoryData<string, string> DecisionRows => Pairs(Decisions);

    public static TheoryData<string, string> WaktuRows => Pairs(WaktuForms);

    [Theory]
    [MemberData(nameof(DecisionRows))]
    public void Decision_form(string keterangan, string branches)
    {
        DecisionText.TryRead(keterangan.Trim('`'), out var read, out var error).Should().BeTrue(error);

        var shown = read.Count == 0
            ? "(no routing: the next step)"
            : string.Join(", ", read.Select(b => $"{b.Label}{(b.Kind == BranchKind.Otherwise ? " (default)" : string.Empty)} → {b.Target?.ToString(CultureInfo.InvariantCulture) ?? "selesai"}".TrimStart()));
        shown.Should().Be(branches);
    }

    [Theory]
    [MemberData(nameof(WaktuRows))]
    public void Waktu_form(string written, string readAs)
    {
        var minutes = written.EndsWith(" under `Waktu (Menit)`", StringComparison.Ordinal);
        var waktu = WaktuParser.Parse((minutes ? written.Split(' ')[0] : written).Trim('`'), minutes ? WaktuUnit.Minute : null);

        var shown = waktu.Expected is { } expected ? $"{waktu.Deadline}; {expected}" : waktu.Deadline.ToString();
        shown.Should().Be(minutes ? readAs.Split(" (")[0] : readAs);
    }

    [Fact]
    public void The_worked_example_builds_the_steps_the_document_lists()
    {
        var model = Compile(Block("```csv"));

        StepGraph.Of(model).Lines.Should().Equal(Block("```text").Split('\n'));
    }

    [Fact]
    public void The_worked_example_carries_the_identity_the_document_names()
    {
        var model = Compile(Block("```csv"));

        model.Should().BeEquivalentTo(new
        {
            Key = "reviu-laporan-kinerja-triwulan",
            Name = "Reviu Laporan Kinerja Triwulan",
            Identity = new SopIdentity("SOP-03/CONTOH/2025", "Reviu Laporan Kinerja Triwulan", "Kantor Contoh", null, null, "3 Hari Kerja 2 jam"),
        });
        model.Lanes.Select(l => l.Role).Should().Equal("Kepala", "Sekretaris", "Staf");
    }

    [Fact]
    public void The_worked_example_with_a_word_for_a_mark_is_refused_as_the_document_says()
    {
        var csv = Block("```csv").Replace("3,Membahas laporan dalam rapat,√,", "3,Membahas laporan dalam rapat,Ya,", StringComparison.Ordinal);

        var reading = SopTableReader.Read(TableText.Read(csv, TableFormat.Csv));

        var said = string.Join(' ', Document.Value.SkipWhile(l => !l.StartsWith("Had row 3", StringComparison.Ordinal)).TakeWhile(l => l.Length > 0));
        var quoted = said[..said.LastIndexOf('`')];
        reading.Problems.Should().ContainSingle().Which.Message.Should().Be(quoted[(quoted.LastIndexOf('`') + 1)..]);
    }

    private static ProcessModel Compile(string csv)
    {
        var reading = SopTableReader.Read(TableText.Read(csv, TableFormat.Csv));
        reading.Problems.Should().BeEmpty();
        var table = reading.Table!;
        var xml = SopBpmnBuilder.Build(table, new SopProcessIdentity(SopBpmnBuilder.KeyFromName(table.Identity.Name!), table.Identity.Name!, table.Identity.Number, table.Identity.Office, table.Identity.StatedTotal));
        var compiled = DefinitionCompiler.Compile(xml, new ValidationOptions { KnownRoles = table.Roles.ToHashSet() });
        compiled.Errors.Should().BeEmpty();
        return compiled.Model!;
    }

    /// <summary>The first fenced block of the worked example that opens with <paramref name="fence"/>.</summary>
    private static string Block(string fence)
    {
        var lines = Document.Value.SkipWhile(l => l != "## Worked example").SkipWhile(l => l != fence).Skip(1).TakeWhile(l => l != "```");
        return string.Join('\n', lines);
    }

    /// <summary>A table's rows as (as written, as read): the cells exactly as the document shows them, code quotes and all.</summary>
    private static TheoryData<string, string> Pairs(WorkedExamples table)
    {
        var data = new TheoryData<string, string>();
        foreach (var row in table.Rows)
        {
            data.Add(row[0], row[1]);
        }

        return data;
    }
}
