using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class TimerTests
{
    private static ProcessModel Pause() =>
        new ModelDsl()
            .Start().Task("ajukan").Wait("jeda", "PT2H").Task("periksa").End()
            .Path("mulai", "ajukan", "jeda", "periksa", "selesai")
            .Build();

    private static ProcessModel Deadline(bool interrupting) =>
        new ModelDsl()
            .Start().Task("periksa").Boundary("lewat-batas", "periksa", "P3D", interrupting).Task("tegur", role: "Kepala").Task("arsipkan")
            .End().End("selesai-teguran")
            .Path("mulai", "periksa", "arsipkan", "selesai")
            .Path("lewat-batas", "tegur", "selesai-teguran")
            .Build();

    [Fact]
    public void An_intermediate_timer_is_scheduled_and_the_token_waits()
    {
        var instance = new TestInstance(Pause()).Start();
        instance.Now = TestInstance.T0.AddMinutes(30);

        instance.Complete("ajukan");

        var timer = instance.State.Timers.Single();
        (timer.NodeId, timer.Purpose, timer.DueAt).Should().Be(("jeda", TimerPurpose.Intermediate, TestInstance.T0.AddMinutes(150)));
        instance.Effects.OfType<TimerScheduled>().Single().Timer.Should().Be(timer);
        instance.State.ActiveNodeIds.Should().Equal("jeda");
    }

    [Fact]
    public void Firing_an_intermediate_timer_moves_on()
    {
        var instance = new TestInstance(Pause()).Start();
        instance.Complete("ajukan");

        instance.Fire("jeda");

        instance.State.Timers.Should().BeEmpty();
        instance.OpenSteps.Should().Equal("periksa");
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TimerFired, "jeda", "periksa", null));
    }

    [Fact]
    public void Firing_a_timer_that_is_no_longer_pending_is_not_found()
    {
        var instance = new TestInstance(Pause()).Start();
        instance.Complete("ajukan");
        var timer = instance.State.Timers.Single();
        instance.Fire("jeda");

        instance.Refuses(new FireTimer(timer.Id), RuntimeErrorKind.NotFound);
    }

    [Fact]
    public void Entering_an_activity_schedules_its_boundary_timers()
    {
        var instance = new TestInstance(Deadline(interrupting: true)).Start();

        var timer = instance.State.Timers.Single();
        (timer.NodeId, timer.Purpose, timer.DueAt).Should().Be(("lewat-batas", TimerPurpose.Boundary, TestInstance.T0.AddDays(3)));
        timer.ExecutionId.Should().Be(instance.Task("periksa").ExecutionId);
    }

    [Fact]
    public void Leaving_an_activity_cancels_its_boundary_timers()
    {
        var instance = new TestInstance(Deadline(interrupting: true)).Start();
        var timer = instance.State.Timers.Single();

        instance.Complete("periksa");

        instance.State.Timers.Should().BeEmpty();
        instance.Effects.OfType<TimerCancelled>().Single().Timer.Should().Be(timer);
    }

    [Fact]
    public void An_interrupting_boundary_timer_cancels_the_task_and_continues_from_the_boundary()
    {
        var instance = new TestInstance(Deadline(interrupting: true)).Start();
        var task = instance.Task("periksa");

        instance.Fire("lewat-batas");

        instance.OpenSteps.Should().Equal("tegur");
        var cancelled = instance.Effects.OfType<TaskCancelled>().Single();
        (cancelled.Task.Id, cancelled.Reason).Should().Be((task.Id, "batas waktu"));
        instance.State.EndedTasks.Should().ContainSingle(t => t.Id == task.Id && t.Ending == TaskEnding.Cancelled);
        instance.AuditLines.Should().Contain(new AuditLine(AuditActions.TimerFired, "periksa", "tegur", "lewat-batas"));
    }

    [Fact]
    public void A_task_cancelled_by_its_timer_can_no_longer_be_completed()
    {
        var instance = new TestInstance(Deadline(interrupting: true)).Start();
        var task = instance.Task("periksa");
        instance.Fire("lewat-batas");

        instance.Refuses(new CompleteTask(task.Id, null, null, Vars.Of(null)), RuntimeErrorKind.Conflict)
            .Message.Should().Be("Tugas ini sudah dibatalkan.");
    }

    [Fact]
    public void A_non_interrupting_boundary_timer_adds_a_path_and_the_task_stays()
    {
        var instance = new TestInstance(Deadline(interrupting: false)).Start();

        instance.Fire("lewat-batas");

        instance.OpenSteps.Should().Equal("periksa", "tegur");
        instance.State.Timers.Should().BeEmpty("a boundary timer fires once");
        instance.Effects.OfType<TaskCancelled>().Should().BeEmpty();
    }

    [Fact]
    public void After_a_non_interrupting_timer_the_task_still_completes_normally()
    {
        var instance = new TestInstance(Deadline(interrupting: false)).Start();
        instance.Fire("lewat-batas");

        instance.Complete("periksa").Complete("tegur");

        instance.OpenSteps.Should().Equal("arsipkan");
    }

    [Fact]
    public void A_boundary_timer_on_a_sub_process_cancels_everything_inside()
    {
        var model = new ModelDsl()
            .Start()
            .Sub("verifikasi", s => s.Start("v").And("bagi").Task("cek-berkas").Task("cek-lapangan").And("gabung").End("vs")
                .Path("v", "bagi").Path("bagi", "cek-berkas", "gabung").Path("bagi", "cek-lapangan", "gabung").Path("gabung", "vs"))
            .Boundary("lewat-batas", "verifikasi", "P5D")
            .Task("tegur")
            .End()
            .Path("mulai", "verifikasi", "selesai")
            .Path("lewat-batas", "tegur", "selesai")
            .Build();
        var instance = new TestInstance(model).Start();
        instance.Complete("cek-berkas");

        instance.Fire("lewat-batas");

        instance.OpenSteps.Should().Equal("tegur");
        instance.Effects.OfType<TaskCancelled>().Select(c => c.Task.NodeId).Should().Equal("cek-lapangan");
        instance.State.Executions.Should().ContainSingle().Which.NodeId.Should().Be("tegur");
    }

    [Fact]
    public void A_boundary_timer_on_a_multi_instance_task_covers_all_its_children()
    {
        var model = new ModelDsl()
            .Start()
            .Task("isi", loop: new MultiInstance(false, null, null, 3))
            .Boundary("lewat-batas", "isi", "P1D")
            .Task("tegur")
            .End()
            .Path("mulai", "isi", "selesai")
            .Path("lewat-batas", "tegur", "selesai")
            .Build();
        var instance = new TestInstance(model).Start();
        instance.State.Timers.Should().ContainSingle();

        instance.Fire("lewat-batas");

        instance.Effects.OfType<TaskCancelled>().Should().HaveCount(3);
        instance.OpenSteps.Should().Equal("tegur");
    }
}
