using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class MultiInstanceTests
{
    private static readonly string[] Units = ["Bidang Jalan", "Bidang Jembatan", "Bidang Tata Ruang"];

    private static ProcessModel PerUnit(bool sequential) =>
        new ModelDsl()
            .Start()
            .Task("isi-data", outcomes: ["lengkap", "kurang"], loop: new MultiInstance(sequential, "unitKerja", "unit", null))
            .Task("rekap")
            .End()
            .Path("mulai", "isi-data", "rekap", "selesai")
            .Build();

    [Fact]
    public void Parallel_creates_one_task_per_item_at_once()
    {
        var instance = new TestInstance(PerUnit(sequential: false)).Start(new { unitKerja = Units });

        instance.State.Tasks.Select(t => (t.NodeId, t.LoopIndex, t.LoopItem!.Value.GetString())).Should().Equal(
            ("isi-data", 0, "Bidang Jalan"), ("isi-data", 1, "Bidang Jembatan"), ("isi-data", 2, "Bidang Tata Ruang"));
    }

    [Fact]
    public void Parallel_body_waits_for_every_child()
    {
        var instance = new TestInstance(PerUnit(sequential: false)).Start(new { unitKerja = Units });

        instance.Complete(instance.State.Tasks[0], "lengkap").Complete(instance.State.Tasks[0], "lengkap");

        instance.OpenSteps.Should().Equal("isi-data");
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TaskCompleted, "isi-data", null, "lengkap"));
    }

    [Fact]
    public void Parallel_body_keeps_each_childs_outcome_in_loop_order_and_the_last_as_outcome()
    {
        var instance = new TestInstance(PerUnit(sequential: false)).Start(new { unitKerja = Units });
        var tasks = instance.State.Tasks;

        instance.Complete(tasks[2], "kurang").Complete(tasks[0], "lengkap").Complete(tasks[1], "lengkap");

        instance.OpenSteps.Should().Equal("rekap");
        instance.Variable("isi-data_outcomes").GetRawText().Should().Be("""["lengkap","lengkap","kurang"]""");
        instance.Variable("outcome").GetString().Should().Be("lengkap");
    }

    [Fact]
    public void Sequential_creates_one_task_at_a_time_in_order()
    {
        var instance = new TestInstance(PerUnit(sequential: true)).Start(new { unitKerja = Units });
        instance.State.Tasks.Should().ContainSingle().Which.LoopIndex.Should().Be(0);

        instance.Complete("isi-data", "lengkap");

        instance.State.Tasks.Should().ContainSingle().Which.LoopItem!.Value.GetString().Should().Be("Bidang Jembatan");
    }

    [Fact]
    public void Sequential_body_completes_after_the_last_item_with_every_outcome()
    {
        var instance = new TestInstance(PerUnit(sequential: true)).Start(new { unitKerja = Units });

        instance.Complete("isi-data", "lengkap").Complete("isi-data", "kurang").Complete("isi-data", "lengkap");

        instance.OpenSteps.Should().Equal("rekap");
        instance.Variable("isi-data_outcomes").GetRawText().Should().Be("""["lengkap","kurang","lengkap"]""");
    }

    [Fact]
    public void Sequential_keeps_the_items_it_started_with()
    {
        var instance = new TestInstance(PerUnit(sequential: true)).Start(new { unitKerja = Units });

        instance.Complete("isi-data", "lengkap", new { unitKerja = new[] { "lain" } });

        instance.Task("isi-data").LoopItem!.Value.GetString().Should().Be("Bidang Jembatan");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_empty_collection_completes_the_body_at_once(bool sequential)
    {
        var instance = new TestInstance(PerUnit(sequential)).Start(new { unitKerja = Array.Empty<string>() });

        instance.OpenSteps.Should().Equal("rekap");
        instance.Variable("isi-data_outcomes").GetRawText().Should().Be("[]");
    }

    [Fact]
    public void A_missing_collection_is_refused()
    {
        new TestInstance(PerUnit(false)).Refuses(new StartInstance(Guid.NewGuid(), null, Vars.Of(null)), RuntimeErrorKind.Invalid)
            .Message.Should().Contain("'unitKerja'").And.Contain("belum ada");
    }

    [Fact]
    public void A_collection_that_is_not_an_array_is_refused()
    {
        new TestInstance(PerUnit(false))
            .Refuses(new StartInstance(Guid.NewGuid(), null, Vars.Of(new { unitKerja = "Bidang Jalan" })), RuntimeErrorKind.Invalid)
            .Message.Should().Contain("larik JSON");
    }

    [Fact]
    public void A_cardinality_creates_that_many_tasks()
    {
        var model = new ModelDsl()
            .Start().Task("nilai", loop: new MultiInstance(false, null, null, 3)).End()
            .Path("mulai", "nilai", "selesai")
            .Build();

        var instance = new TestInstance(model).Start();

        instance.State.Tasks.Select(t => t.LoopIndex).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void The_element_variable_is_substituted_for_each_child()
    {
        var model = new ModelDsl()
            .Start()
            .Service("kirim", new HttpCall("POST", "https://monev.example/unit/${unit}", [], null, null), new MultiInstance(false, "unitKerja", "unit", null))
            .End()
            .Path("mulai", "kirim", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { unitKerja = new[] { "jalan", "jembatan" } });

        instance.State.Jobs.Select(j => j.Url).Should().Equal("https://monev.example/unit/jalan", "https://monev.example/unit/jembatan");
    }

    [Fact]
    public void The_element_variable_is_visible_to_conditions_inside_the_child_and_not_after()
    {
        var model = new ModelDsl()
            .Start()
            .Sub("per-unit", s => s
                .Start("m").Xor("jenis").Task("survei-lapangan").Task("telaah-dokumen").End("s")
                .Path("m", "jenis")
                .Flow("jenis", "survei-lapangan", "unit == \"jalan\"")
                .Flow("jenis", "telaah-dokumen", "unit != \"jalan\"")
                .Path("survei-lapangan", "s").Path("telaah-dokumen", "s"),
                new MultiInstance(false, "unitKerja", "unit", null))
            .End()
            .Path("mulai", "per-unit", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { unitKerja = new[] { "jalan", "tata-ruang" } });

        instance.OpenSteps.Should().Equal("survei-lapangan", "telaah-dokumen");
        instance.State.Variables.Should().NotContainKey("unit");
    }

    [Fact]
    public void A_multi_instance_sub_process_completes_when_every_child_scope_has()
    {
        var model = new ModelDsl()
            .Start()
            .Sub("per-unit", s => s.Start("m").Task("laporkan").End("s").Path("m", "laporkan", "s"),
                new MultiInstance(true, null, null, 2))
            .Task("rekap")
            .End()
            .Path("mulai", "per-unit", "rekap", "selesai")
            .Build();
        var instance = new TestInstance(model).Start();

        instance.Complete("laporkan").Complete("laporkan");

        instance.OpenSteps.Should().Equal("rekap");
    }
}
