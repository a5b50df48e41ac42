using System.Diagnostics;
using System.Text.Json;
using KinerjaWorkflow.Engine.Runtime;
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

    private static readonly IReadOnlyDictionary<string, JsonElement> NoVariables = new Dictionary<string, JsonElement>();

    public async Task<Guid> StartAsync(string businessKey)
    {
        await using var scope = services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<InstanceService>()
            .StartAsync(plan.Starter, new StartInstanceRequest(definitionKey, businessKey, null), ct);
        return view.Id;
    }

    /// <summary>
    /// Completes every open task, wait state after wait state, until the instance has ended; returns how many
    /// tasks were completed. With a log, each completion is timed on its own. With <paramref name="commandOnly"/>,
    /// each completion is the command runner's alone (load, engine, write, commit), without the task service's
    /// checks before it and the task detail it answers with after it.
    /// </summary>
    public async Task<int> WalkAsync(Guid instanceId, OperationLog? completions, bool commandOnly = false)
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
                Func<Task<bool>> complete = commandOnly
                    ? () => RunCompletionAsync(instanceId, step)
                    : async () => await CompleteAsync(step) is not null;
                if (completions is null)
                {
                    await complete();
                }
                else
                {
                    await completions.TimeAsync(complete);
                }

                completed++;
            }
        }

        throw new InvalidOperationException($"Instance {instanceId} has not ended after {MaxRounds} wait states.");
    }

    /// <summary>
    /// <paramref name="clients"/> clients walk whole instances side by side until the time is up; rates are over the
    /// wall time of the run, since the clients' operations overlap.
    /// </summary>
    public async Task<ClientsRun> WalkConcurrentlyAsync(int clients, TimeSpan duration)
    {
        var walks = new OperationLog("whole instance", "instances");
        var completed = new OperationLog("complete task", "tasks");
        var errors = 0;
        string? firstError = null;
        var walkNumber = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();

        // Task.Run: SQLite's async calls complete synchronously, so without it the first client would run alone
        // until the time is up.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var businessKey = $"walk-{clients}-{Interlocked.Increment(ref walkNumber)}";
                try
                {
                    await walks.TimeAsync(async () => await WalkAsync(await StartAsync(businessKey), completed));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.GetBaseException().Message, null);
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var whole = walks.Result();
        var tasks = completed.Result();
        return new ClientsRun(clients, whole.Count / elapsed, tasks.Count / elapsed, tasks.P50Ms, tasks.P99Ms, whole.P99Ms, errors, firstError);
    }

    public async Task<InstanceView> ViewAsync(Guid instanceId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InstanceService>().GetAsync(plan.Starter, instanceId, ct);
    }

    private async Task<bool> RunCompletionAsync(Guid instanceId, ActiveStep step)
    {
        var planned = plan.Step(step.StepId);
        await using var scope = services.CreateAsyncScope();
        var (instance, _) = await scope.ServiceProvider.GetRequiredService<InstanceCommandRunner>().ExecuteAsync(
            instanceId,
            new CompleteTask(step.TaskId, planned.Outcome, null, NoVariables),
            planned.User.UserName,
            ct);
        return instance.Version > 0;
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

/// <summary>Whole instances walked by several clients at once; p50 and p99 are of single completions and instances.</summary>
internal sealed record ClientsRun(
    int Clients,
    double InstancesPerSecond,
    double CompletionsPerSecond,
    double CompletionP50Ms,
    double CompletionP99Ms,
    double InstanceP99Ms,
    int Errors,
    string? FirstError);
