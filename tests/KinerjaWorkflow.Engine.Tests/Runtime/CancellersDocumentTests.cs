using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Engine.Tests.Time;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

/// <summary>The worked examples of docs/cancel-an-instance.md, read from the document's table.</summary>
public class CancellersDocumentTests
{
    private const string Starter = "siti";

    private static readonly WorkedExamples Examples = new("cancel-an-instance.md");

    /// <summary>How each state of the table is reached from a fresh instance of process A.</summary>
    private static readonly Dictionary<string, Action<TestInstance>> States = new(StringComparer.Ordinal)
    {
        ["langkah 1 menunggu"] = _ => { },
        ["langkah 1 diambil orang lain"] = i => i.Run(new ClaimTask(i.Task("terima").Id, "budi")),
        ["langkah 1 selesai, langkah 2 menunggu"] = i => i.Complete("terima"),
        ["selesai"] = i => i.Complete("terima").Complete("disposisi"),
        ["dibatalkan"] = i => i.Run(new CancelInstance("salah input")),
    };

    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        [nameof(CancelRight.Allowed)] = "ya",
        [nameof(CancelRight.NotStarter)] = "tidak: bukan pemulai",
        [nameof(CancelRight.PastFirstStep)] = "tidak: sudah lewat langkah pertama",
        [nameof(CancelRight.Ended)] = "tidak: sudah berakhir",
    };

    public static TheoryData<string> Rows() => Examples.Numbers();

    [Fact]
    public void The_document_has_an_example_for_every_answer()
    {
        Examples.Rows.Select(r => r[3]).Distinct().Should().BeEquivalentTo(Answers.Values);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Example(string number)
    {
        var row = Examples.Row(number);
        var instance = new TestInstance(ProcessA()) { User = Starter }.Start();
        instance.User = "budi";
        States[row[1]](instance);
        var (user, isAdmin) = row[2] switch
        {
            "pemulai" => (Starter, false),
            "admin" => ("kepala", true),
            "orang lain" => ("budi", false),
            _ => throw new InvalidOperationException($"row {number}: unknown user {row[2]}"),
        };

        Answers[Cancellers.RightOf(instance.State, Starter, user, isAdmin).ToString()].Should().Be(row[3], $"row {number}");
    }

    private static ProcessModel ProcessA() =>
        new ModelDsl()
            .Start()
            .Task("terima", role: "Sekretaris")
            .Task("disposisi", role: "Kepala Dinas")
            .End()
            .Path("mulai", "terima", "disposisi", "selesai")
            .Build();
}
