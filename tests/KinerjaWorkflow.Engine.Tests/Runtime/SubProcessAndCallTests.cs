using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class SubProcessAndCallTests
{
    private static ProcessModel WithSubProcess() =>
        new ModelDsl()
            .Start()
            .Sub("verifikasi", s => s.Start("v-mulai").Task("cek-berkas").Task("cek-lapangan").End("v-selesai")
                .Path("v-mulai", "cek-berkas", "cek-lapangan", "v-selesai"))
            .Task("putuskan")
            .End()
            .Path("mulai", "verifikasi", "putuskan", "selesai")
            .Build();

    private static ProcessModel WithCall() =>
        new ModelDsl()
            .Start().Call("survei", "survei-lapangan").Task("putuskan").End()
            .Path("mulai", "survei", "putuskan", "selesai")
            .Build();

    [Fact]
    public void Entering_a_sub_process_opens_a_scope_and_starts_inside_it()
    {
        var instance = new TestInstance(WithSubProcess()).Start();

        instance.OpenSteps.Should().Equal("cek-berkas");
        var scope = instance.State.Executions.Single(e => e.NodeId == "verifikasi");
        scope.State.Should().Be(ExecutionState.Scope);
        instance.State.Executions.Single(e => e.NodeId == "cek-berkas").ParentId.Should().Be(scope.Id);
        instance.State.ActiveNodeIds.Should().Equal("cek-berkas");
    }

    [Fact]
    public void Ending_inside_a_sub_process_leaves_it()
    {
        var instance = new TestInstance(WithSubProcess()).Start();

        instance.Complete("cek-berkas").Complete("cek-lapangan");

        instance.OpenSteps.Should().Equal("putuskan");
        instance.State.Executions.Should().ContainSingle().Which.ParentId.Should().BeNull();
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TaskCompleted, "cek-lapangan", "putuskan", null));
    }

    [Fact]
    public void A_task_inside_a_per_item_sub_process_says_which_item_it_is_for()
    {
        var model = new ModelDsl()
            .Start()
            .Sub(
                "per-tim",
                s => s.Start("t-mulai").Task("susun").End("t-selesai").Path("t-mulai", "susun", "t-selesai"),
                new MultiInstance(false, "timKerja", "tim", null))
            .End()
            .Path("mulai", "per-tim", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { timKerja = new[] { "Tim Sosial", "Tim Produksi" } });

        instance.State.Tasks.Select(t => (t.LoopIndex, t.LoopItem?.GetString()))
            .Should().BeEquivalentTo([(0, "Tim Sosial"), (1, "Tim Produksi")]);
    }

    [Fact]
    public void A_call_activity_asks_for_the_called_instance_with_a_copy_of_the_variables()
    {
        var instance = new TestInstance(WithCall()).Start(new { ruas = "Padang-Bukittinggi" });

        var request = instance.Effects.OfType<CalledInstanceRequested>().Single();
        request.DefinitionKey.Should().Be("survei-lapangan");
        request.Variables.Keys.Should().Equal("ruas");
        request.ExecutionId.Should().Be(instance.State.Executions.Single().Id);
        instance.State.Executions.Single().CalledInstanceId.Should().Be(request.ChildInstanceId);
        instance.State.ActiveNodeIds.Should().Equal("survei");
    }

    [Fact]
    public void Completing_the_called_instance_brings_its_variables_back_and_moves_on()
    {
        var instance = new TestInstance(WithCall()).Start(new { ruas = "Padang-Bukittinggi" });
        var child = instance.Effects.OfType<CalledInstanceRequested>().Single().ChildInstanceId;

        instance.Run(new CompleteCalledInstance(child, Vars.Of(new { kondisi = "rusak ringan" })));

        instance.OpenSteps.Should().Equal("putuskan");
        instance.Variable("kondisi").GetString().Should().Be("rusak ringan");
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.CalledInstanceCompleted, "survei", "putuskan", child.ToString()));
    }

    [Fact]
    public void Completing_an_instance_that_was_not_called_is_not_found()
    {
        var instance = new TestInstance(WithCall()).Start();

        instance.Refuses(new CompleteCalledInstance(Guid.NewGuid(), Vars.Of(null)), RuntimeErrorKind.NotFound);
    }

    [Fact]
    public void Cancelling_asks_for_the_called_instance_to_be_cancelled_too()
    {
        var instance = new TestInstance(WithCall()).Start();
        var child = instance.Effects.OfType<CalledInstanceRequested>().Single().ChildInstanceId;

        instance.Run(new CancelInstance("salah input"));

        instance.Effects.OfType<CalledInstanceCancelled>().Single().ChildInstanceId.Should().Be(child);
    }

    [Fact]
    public void A_multi_instance_call_activity_calls_once_per_item_and_moves_on_when_all_have_completed()
    {
        var model = new ModelDsl()
            .Start().Node(new CallActivity
            {
                Id = "survei",
                ElementType = "callActivity",
                CalledElement = "survei-lapangan",
                MultiInstance = new MultiInstance(false, "ruas", "ruasIni", null),
            })
            .Task("putuskan").End()
            .Path("mulai", "survei", "putuskan", "selesai")
            .Build();
        var instance = new TestInstance(model).Start(new { ruas = new[] { "A", "B" } });
        var requests = instance.Effects.OfType<CalledInstanceRequested>().ToList();
        requests.Select(r => r.Variables["ruasIni"].GetString()).Should().Equal("A", "B");

        instance.Run(new CompleteCalledInstance(requests[1].ChildInstanceId, Vars.Of(null)));
        instance.OpenSteps.Should().BeEmpty();
        instance.Run(new CompleteCalledInstance(requests[0].ChildInstanceId, Vars.Of(null)));

        instance.OpenSteps.Should().Equal("putuskan");
    }
}
