using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Shows a scheduled item whose retries are spent as an incident on its instance, where admins already look and
/// retry (<see cref="ReportScheduledFailure"/>): the engine keeps one incident per item however often it is reported.
/// The admin's retry resolves it and <see cref="ScheduleEffectsHook"/> puts the item back in the schedule.
/// </summary>
internal sealed class ScheduledIncidents(IServiceScopeFactory scopes, ILogger<ScheduledIncidents> logger)
{
    private const int Attempts = 3;

    /// <summary>
    /// Raises the incident in a unit of work of its own (the failed run's context holds its half-done work);
    /// <paramref name="describe"/> reads, through that unit's context, the step it shows at and its message. An
    /// instance that ended meanwhile gets none.
    /// </summary>
    public async Task RaiseAsync(
        ScheduledItemRecord item,
        Func<KinerjaDbContext, CancellationToken, Task<(string NodeId, string Message)>> describe,
        CancellationToken ct)
    {
        if (item.InstanceId is not { } instanceId)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            using var scope = scopes.CreateScope();
            var runner = scope.ServiceProvider.GetRequiredService<InstanceCommandRunner>();
            var (nodeId, message) = await describe(scope.ServiceProvider.GetRequiredService<KinerjaDbContext>(), ct);
            try
            {
                await runner.ExecuteAsync(instanceId, new ReportScheduledFailure(item.Id, nodeId, message), null, ct);
                logger.LogWarning("Scheduled {Kind} {Key} failed for good: incident on instance {InstanceId} at {StepId}", item.Kind, item.Key, instanceId, nodeId);
                return;
            }
            catch (DomainError error)
            {
                // A conflict is another command on the instance committing first: the report is made again on the fresh state.
                if (error is not ConflictError || attempt >= Attempts || !await IsActiveAsync(scope, instanceId, ct))
                {
                    logger.LogWarning("Scheduled {Kind} {Key} failed for good; no incident on instance {InstanceId}: {Problem}", item.Kind, item.Key, instanceId, error.Message);
                    return;
                }
            }
        }
    }

    /// <summary>The step and step name of a task, or empty ones when the task is not known.</summary>
    public static async Task<(string StepId, string StepName)> StepOfTaskAsync(KinerjaDbContext db, Guid? taskId, CancellationToken ct) =>
        await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => new { t.StepId, t.StepName }).FirstOrDefaultAsync(ct) is { } step
            ? (step.StepId, step.StepName)
            : (string.Empty, string.Empty);

    /// <summary>The words an incident ends with: how often it was tried, why it failed, what the admin does.</summary>
    public static string Failed(int attempts, string error) =>
        $"gagal setelah {attempts} percobaan: {error} Perbaiki penyebabnya, lalu klik Coba lagi pada insiden ini.";

    private static Task<bool> IsActiveAsync(IServiceScope scope, Guid instanceId, CancellationToken ct)
    {
        var active = InstanceCommandRunner.StatusText(InstanceStatus.Active);
        return scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().Instances.AnyAsync(i => i.Id == instanceId && i.Status == active, ct);
    }
}
