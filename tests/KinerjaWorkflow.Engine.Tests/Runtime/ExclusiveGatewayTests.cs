using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class ExclusiveGatewayTests
{
    /// <summary>ajukan -> (gabung) -> periksa -> cek: "revisi" back to ajukan, "setuju" on to tandatangani.</summary>
    private static ProcessModel ReviewLoop() =>
        new ModelDsl()
            .Start().Xor("gabung").Task("ajukan").Task("periksa").Xor("cek").Task("tandatangani").End()
            .Path("mulai", "gabung", "ajukan", "periksa", "cek")
            .Flow("cek", "gabung", "outcome == \"revisi\"")
            .Flow("cek", "tandatangani", "outcome == \"setuju\"")
            .Path("tandatangani", "selesai")
            .Build();

    [Theory]
    [InlineData("setuju", "tandatangani")]
    [InlineData("revisi", "ajukan")]
    public void The_split_follows_the_flow_whose_condition_holds(string outcome, string next)
    {
        var instance = new TestInstance(ReviewLoop()).Start();
        instance.Complete("ajukan");

        instance.Complete("periksa", outcome, comment: "Lampiran belum lengkap.");

        instance.OpenSteps.Should().Equal(next);
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TaskCompleted, "periksa", next, outcome));
    }

    [Fact]
    public void A_revision_loop_runs_back_through_the_join_as_often_as_needed()
    {
        var instance = new TestInstance(ReviewLoop()).Start();

        instance.Complete("ajukan").Complete("periksa", "revisi", comment: "Lampiran belum lengkap.");
        instance.Complete("ajukan").Complete("periksa", "revisi", comment: "Tanda tangan belum ada.");
        instance.Complete("ajukan").Complete("periksa", "setuju");

        instance.OpenSteps.Should().Equal("tandatangani");
        instance.State.EndedTasks.Select(t => t.NodeId).Should()
            .Equal("ajukan", "periksa", "ajukan", "periksa", "ajukan", "periksa");
        instance.State.Executions.Should().ContainSingle();
    }

    [Fact]
    public void The_first_true_flow_in_document_order_wins()
    {
        var model = new ModelDsl()
            .Start().Xor("nilai").Task("istimewa").Task("baik").End()
            .Path("mulai", "nilai")
            .Flow("nilai", "istimewa", "skor >= 90")
            .Flow("nilai", "baik", "skor >= 70")
            .Path("istimewa", "selesai").Path("baik", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { skor = 95 });

        instance.OpenSteps.Should().Equal("istimewa");
    }

    [Fact]
    public void An_unconditional_flow_counts_as_true()
    {
        var model = new ModelDsl()
            .Start().Xor("pilih").Task("khusus").Task("biasa").End()
            .Path("mulai", "pilih")
            .Flow("pilih", "khusus", "skor >= 90")
            .Flow("pilih", "biasa")
            .Path("khusus", "selesai").Path("biasa", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { skor = 10 });

        instance.OpenSteps.Should().Equal("biasa");
    }

    [Fact]
    public void The_default_flow_is_taken_when_no_condition_holds()
    {
        var model = new ModelDsl()
            .Start().Xor("pilih", defaultTo: "lainnya").Task("triwulan4").Task("lainnya").End()
            .Path("mulai", "pilih")
            .Flow("pilih", "lainnya")
            .Flow("pilih", "triwulan4", "triwulan == 4")
            .Path("triwulan4", "selesai").Path("lainnya", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { triwulan = 2 });

        instance.OpenSteps.Should().Equal("lainnya");
    }

    [Fact]
    public void The_default_flow_is_passed_over_when_a_condition_holds()
    {
        var model = new ModelDsl()
            .Start().Xor("pilih", defaultTo: "lainnya").Task("triwulan4").Task("lainnya").End()
            .Path("mulai", "pilih")
            .Flow("pilih", "lainnya")
            .Flow("pilih", "triwulan4", "triwulan == 4")
            .Path("triwulan4", "selesai").Path("lainnya", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { triwulan = 4 });

        instance.OpenSteps.Should().Equal("triwulan4");
    }

    [Fact]
    public void A_completion_that_leaves_no_way_out_is_refused()
    {
        var model = new ModelDsl()
            .Start().Task("periksa", outcomes: ["setuju", "tolak"]).Xor("cek").Task("tandatangani").End()
            .Path("mulai", "periksa", "cek")
            .Flow("cek", "tandatangani", "outcome == \"setuju\"")
            .Path("tandatangani", "selesai")
            .Build();
        var instance = new TestInstance(model).Start();

        instance.Refuses(new CompleteTask(instance.Task("periksa").Id, "tolak", null, Vars.Of(null)), RuntimeErrorKind.Invalid)
            .Message.Should().Contain("tidak ada jalur yang memenuhi syarat");
    }

    [Fact]
    public void An_outcome_whose_flow_leads_back_to_an_earlier_step_sends_the_work_back()
    {
        var task = (HumanTask)ReviewLoop().Node("periksa");

        task.SendBackOutcomes.Should().Equal("revisi");
    }

    [Fact]
    public void Sending_work_back_without_a_reason_is_refused_and_changes_nothing()
    {
        var instance = new TestInstance(ReviewLoop()).Start();
        instance.Complete("ajukan");
        var before = instance.State;

        instance.Refuses(new CompleteTask(instance.Task("periksa").Id, "revisi", "  ", Vars.Of(null)), RuntimeErrorKind.Invalid)
            .Message.Should().Be("Hasil \"revisi\" mengembalikan pekerjaan ke langkah sebelumnya; tuliskan alasannya agar penerimanya tahu apa yang harus diperbaiki.");
        instance.State.Should().BeSameAs(before);
    }

    [Fact]
    public void An_outcome_that_goes_forward_needs_no_reason()
    {
        var instance = new TestInstance(ReviewLoop()).Start();
        instance.Complete("ajukan");

        instance.Complete("periksa", "setuju");

        instance.OpenSteps.Should().Equal("tandatangani");
    }

    [Fact]
    public void The_reason_for_sending_back_is_kept_on_the_completion_line()
    {
        var instance = new TestInstance(ReviewLoop()).Start();
        instance.Complete("ajukan");

        instance.Complete("periksa", "revisi", comment: "Lampiran belum lengkap.");

        instance.Effects.OfType<Audited>().First(a => a.Action == AuditActions.TaskCompleted).Comment.Should().Be("Lampiran belum lengkap.");
    }
}
