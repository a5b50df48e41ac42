using System.Collections.Concurrent;
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
    /// <summary>Far more tasks than the SOP has; reaching it means the walk is going in circles.</summary>
    private const int MaxTasks = 1000;

    private static readonly IReadOnlyDictionary<string, JsonElement> NoVariables = new Dictionary<string, JsonElement>();

    public async Task<StartedInstance> StartAsync(string businessKey)
    {
        await using var scope = services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<InstanceService>()
            .StartAsync(plan.Starter, new StartInstanceRequest(definitionKey, businessKey, null), ct);
        return new StartedInstance(view.Id, view.ActiveSteps.Select(s => new OpenTask(s.TaskId, s.StepId)).ToList());
    }

    /// <summary>
    /// Completes the open tasks one by one, and the tasks each completion answers it opened, until none is left, as a
    /// client that goes on from the answers does; returns how many tasks were completed. With a log, each completion is
    /// timed on its own. With <paramref name="commandOnly"/>, each completion is the command runner's alone (load,
    /// engine, write, commit), without the task service's checks before it and the task detail it answers with after it.
    /// </summary>
    public async Task<int> WalkAsync(StartedInstance started, OperationLog? completions, bool commandOnly = false)
    {
        var open = new Queue<OpenTask>(started.Open);
        var completed = 0;
        while (open.TryDequeue(out var task))
        {
            if (++completed > MaxTasks)
            {
                throw new InvalidOperationException($"Instance {started.Id} has not ended after {MaxTasks} tasks.");
            }

            Func<Task<IReadOnlyList<OpenTask>>> complete = commandOnly
                ? () => RunCompletionAsync(started.Id, task)
                : () => CompleteAsync(task);
            var opened = completions is null ? await complete() : await completions.TimeAsync(complete);
            foreach (var next in opened)
            {
                open.Enqueue(next);
            }
        }

        return completed;
    }

    /// <summary>Fails unless the instance has ended: a walk goes by the answers alone and ends when they name no more tasks.</summary>
    public async Task ExpectEndedAsync(Guid instanceId)
    {
        var view = await ViewAsync(instanceId);
        if (view.Status != "completed")
        {
            throw new InvalidOperationException(
                $"Instance {instanceId} is {view.Status} after its walk, at {string.Join(", ", view.ActiveSteps.Select(s => s.StepId).Concat(view.Waiting.Select(w => w.NodeId)))}.");
        }
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
        var walked = new ConcurrentBag<Guid>();
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
                    var instance = await walks.TimeAsync(async () =>
                    {
                        var started = await StartAsync(businessKey);
                        await WalkAsync(started, completed);
                        return started.Id;
                    });
                    walked.Add(instance);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.GetBaseException().Message, null);
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        foreach (var instance in walked)
        {
            await ExpectEndedAsync(instance);
        }

        var whole = walks.Result();
        var tasks = completed.Result();
        return new ClientsRun(clients, whole.Count / elapsed, tasks.Count / elapsed, tasks.P50Ms, tasks.P99Ms, whole.P99Ms, errors, firstError);
    }

    public async Task<InstanceView> ViewAsync(Guid instanceId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InstanceService>().GetAsync(plan.Starter, instanceId, ct);
    }

    private async Task<IReadOnlyList<OpenTask>> RunCompletionAsync(Guid instanceId, OpenTask task)
    {
        var planned = plan.Step(task.StepId);
        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<InstanceCommandRunner>().ExecuteAsync(
            instanceId,
            new CompleteTask(task.TaskId, planned.Outcome, null, NoVariables),
            planned.User.UserName,
            ct);
        return outcome.Opened.Select(t => new OpenTask(t.Id, t.StepId)).ToList();
    }

    public async Task<IReadOnlyList<OpenTask>> CompleteAsync(OpenTask task)
    {
        var planned = plan.Step(task.StepId);
        await using var scope = services.CreateAsyncScope();
        var answer = await scope.ServiceProvider.GetRequiredService<TaskService>().CompleteAsync(
            planned.User,
            task.TaskId,
            new CompleteTaskRequest(planned.Outcome, null, null),
            null,
            ct);
        return answer.Opened.Select(t => new OpenTask(t.Id, t.StepId)).ToList();
    }
}

/// <summary>A task a walk has yet to complete: named by the start's answer or by the completion that opened it.</summary>
internal sealed record OpenTask(Guid TaskId, string StepId);

/// <summary>An instance just started, with the tasks its start opened.</summary>
internal sealed record StartedInstance(Guid Id, IReadOnlyList<OpenTask> Open);

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
