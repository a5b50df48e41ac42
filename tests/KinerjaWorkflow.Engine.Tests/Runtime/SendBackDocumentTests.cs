using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Tests.Time;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

/// <summary>The worked examples of docs/send-back-outcomes.md, read from the document's table.</summary>
public class SendBackDocumentTests
{
    private static readonly WorkedExamples Examples = new("send-back-outcomes.md");

    private static readonly Dictionary<string, ProcessModel> Processes = new(StringComparer.Ordinal)
    {
        ["R"] = new ModelDsl()
            .Start().Xor("gabung").Task("ajukan").Task("periksa", outcomes: ["setuju", "revisi"]).Xor("cek").Task("tandatangani").End()
            .Path("mulai", "gabung", "ajukan", "periksa", "cek")
            .Flow("cek", "gabung", "outcome == \"revisi\"")
            .Flow("cek", "tandatangani", "outcome == \"setuju\"")
            .Path("tandatangani", "selesai")
            .Build(),
        ["K"] = new ModelDsl()
            .Start().Task("periksa", outcomes: ["kembali", "lanjut"]).Xor("cek").Task("arsipkan").Task("tandatangani").Xor("gabung").End()
            .Path("mulai", "periksa", "cek")
            .Flow("cek", "arsipkan", "outcome == \"kembali\"")
            .Flow("cek", "tandatangani", "outcome == \"lanjut\"")
            .Path("arsipkan", "gabung")
            .Path("tandatangani", "gabung", "selesai")
            .Build(),
        ["D"] = new ModelDsl()
            .Start().Xor("gabung").Task("ajukan").Task("periksa", outcomes: ["setuju", "perbaiki"]).Xor("cek", defaultTo: "gabung").Task("tandatangani").End()
            .Path("mulai", "gabung", "ajukan", "periksa", "cek")
            .Flow("cek", "gabung")
            .Flow("cek", "tandatangani", "outcome == \"setuju\"")
            .Path("tandatangani", "selesai")
            .Build(),
    };

    public static TheoryData<string> Rows() => Examples.Numbers();

    [Fact]
    public void The_document_has_an_example_for_every_process()
    {
        Examples.Rows.Select(r => r[1]).Distinct().Should().BeEquivalentTo(Processes.Keys);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Example(string number)
    {
        var row = Examples.Row(number);
        var step = (HumanTask)Processes[row[1]].Node("periksa");

        step.Outcomes.Should().Contain(row[2], $"row {number}: the step offers the outcome");
        (step.SendsBack(row[2]) ? "ya" : "tidak").Should().Be(row[3], $"row {number}");
    }
}
