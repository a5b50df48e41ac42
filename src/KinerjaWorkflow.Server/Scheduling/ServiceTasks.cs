using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Performs the jobs the engine requests (HTTP service tasks, send-task messages). The job row is marked done and
/// the item finished in the transaction of the CompleteJob command. When Hangfire's retries are spent the job
/// fails in the engine, which raises an incident on the instance; an admin's retry of the incident requests a
/// fresh job, so a fresh item.
/// </summary>
internal sealed class ServiceTasks(
    KinerjaDbContext db,
    InstanceCommandRunner runner,
    HttpJobPerformer http,
    IRoleNotifier notifications,
    IServiceScopeFactory scopes,
    ILogger<ServiceTasks> logger) : IScheduledItemPerformer
{
    public IReadOnlyList<string> Kinds { get; } = [ScheduledKinds.ServiceTask];

    public async Task PerformAsync(ScheduledItemRecord item, CancellationToken ct)
    {
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == Guid.Parse(item.Reference!), ct);
        if (job is null || job.Status != JobStatusText.Pending)
        {
            item.Status = ScheduledStatus.Cancelled;
            return;
        }

        var pending = JsonSerializer.Deserialize<PendingJob>(job.PayloadJson, InstanceCommandRunner.StateJson)!;
        job.Attempts++;
        JsonElement? result = null;
        if (pending.Kind == JobKind.Http)
        {
            result = await http.PerformAsync(pending, ct);
        }
        else
        {
            await notifications.NotifyRoleAsync(job.OfficeId, pending.Role, pending.Body ?? string.Empty, job.InstanceId, null, $"send:{job.Id}", ct);
        }

        job.Status = JobStatusText.Done;
        job.LastError = null;
        item.Status = ScheduledStatus.Done;
        try
        {
            if (pending.Kind == JobKind.Http)
            {
                await runner.ExecuteAsync(job.InstanceId, new CompleteJob(job.Id, result), null, ct);
            }

            logger.LogInformation("Job {JobId} ({Kind}) at step {StepId} of instance {InstanceId} done", job.Id, job.Kind, job.StepId, job.InstanceId);
        }
        catch (DomainError problem)
        {
            logger.LogWarning("Job {JobId} result not applied to instance {InstanceId}: {Problem}", job.Id, job.InstanceId, problem.Message);
        }
    }

    public async Task AttemptFailedAsync(ScheduledItemRecord item, string error, bool final, CancellationToken ct)
    {
        if (!final)
        {
            return;
        }

        using var scope = scopes.CreateScope();
        var jobs = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var job = await jobs.Jobs.FirstOrDefaultAsync(j => j.Id == Guid.Parse(item.Reference!), ct);
        if (job is null || job.Status != JobStatusText.Pending)
        {
            return;
        }

        job.Status = JobStatusText.Failed;
        job.Attempts = item.Attempts;
        job.LastError = error;
        await scope.ServiceProvider.GetRequiredService<InstanceCommandRunner>()
            .ExecuteAsync(job.InstanceId, new FailJob(job.Id, error.Length <= 500 ? error : error[..500]), null, ct);
    }
}

/// <summary>
/// Performs a service task's HTTP request with the named client <see cref="ClientName"/>; a non-success status is
/// a failure.
/// </summary>
internal sealed class HttpJobPerformer(IHttpClientFactory clients)
{
    public const string ClientName = "jobs";

    public async Task<JsonElement?> PerformAsync(PendingJob job, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(job.Method ?? "GET"), job.Url);
        string? contentType = null;
        foreach (var (name, value) in job.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (job.Body is not null && request.Method != HttpMethod.Get)
        {
            request.Content = new StringContent(job.Body, Encoding.UTF8, contentType ?? "application/json");
        }

        using var client = clients.CreateClient(ClientName);
        using var response = await client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{job.Method} {job.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(text));
            return document.RootElement.Clone();
        }
    }
}
