using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// Starts and walks instances through the service layer the HTTP endpoints call, one DI scope (one DbContext)
/// per operation as one request would have.
/// </summary>
internal sealed class ServiceWalker(IServiceProvider services, WalkPlan plan, string definitionKey, CancellationToken ct)
{
    /// <summary>Far more wait states than the SOP has; reaching it means the walk is going in circles.</summary>
    private const int MaxRounds = 100;

    public async Task<Guid> StartAsync(string businessKey)
    {
        await using var scope = services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<InstanceService>()
            .StartAsync(plan.Starter, new StartInstanceRequest(definitionKey, businessKey, null), ct);
        return view.Id;
    }

    /// <summary>
    /// Completes every open task, wait state after wait state, until the instance has ended; returns how many
    /// tasks were completed. With a log, each completion is timed on its own.
    /// </summary>
    public async Task<int> WalkAsync(Guid instanceId, OperationLog? completions)
    {
        var completed = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var view = await ViewAsync(instanceId);
            if (view.Status == "completed")
            {
                return completed;
            }

            if (view.ActiveSteps.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Instance {instanceId} is {view.Status} with no open task; waiting at {string.Join(", ", view.Waiting.Select(w => w.NodeId))}.");
            }

            foreach (var step in view.ActiveSteps)
            {
                if (completions is null)
                {
                    await CompleteAsync(step);
                }
                else
                {
                    await completions.TimeAsync(() => CompleteAsync(step));
                }

                completed++;
            }
        }

        throw new InvalidOperationException($"Instance {instanceId} has not ended after {MaxRounds} wait states.");
    }

    public async Task<InstanceView> ViewAsync(Guid instanceId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InstanceService>().GetAsync(plan.Starter, instanceId, ct);
    }

    public async Task<TaskDetail> CompleteAsync(ActiveStep step)
    {
        var planned = plan.Step(step.StepId);
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TaskService>().CompleteAsync(
            planned.User,
            step.TaskId,
            new CompleteTaskRequest(planned.Outcome, null, null),
            null,
            ct);
    }
}
