using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

public class StepCapTests
{
    [Fact]
    public void A_loop_without_a_wait_state_is_refused_instead_of_running_forever()
    {
        var model = new ModelDsl()
            .Start().Task("ajukan").Xor("putar").Xor("balik")
            .Path("mulai", "ajukan", "putar", "balik", "putar")
            .Build();
        var instance = new TestInstance(model).Start();

        instance.Refuses(new CompleteTask(instance.Task("ajukan").Id, null, null, Vars.Of(null)), RuntimeErrorKind.Invalid)
            .Message.Should().Contain(WorkflowRuntime.MaxStepsPerCommand.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
