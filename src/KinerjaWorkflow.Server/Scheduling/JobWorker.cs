using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Scheduling;

/// <summary>
/// Performs the jobs that commands wrote (HTTP service tasks, send-task notifications) after their
/// transaction committed. A failed attempt is retried with growing pauses, recorded in the job row so a
/// restart loses nothing; after the last attempt the instance gets an incident an admin can retry.
/// </summary>
internal sealed class JobWorker(
    IServiceScopeFactory scopes,
    JobSignal signal,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<JobWorker> logger) : BackgroundService
{
    private readonly TimeSpan _pollInterval = configuration.GetValue("Jobs:PollInterval", TimeSpan.FromSeconds(2));
    private readonly int _maxAttempts = configuration.GetValue("Jobs:MaxAttempts", 5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunDueJobsAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Job worker pass failed; retrying after {PollInterval}", _pollInterval);
            }

            try
            {
                await signal.WaitAsync(_pollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs every job that is due now; returns how many were attempted.</summary>
    internal async Task<int> RunDueJobsAsync(CancellationToken ct)
    {
        List<Guid> due;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
            var now = clock.GetUtcNow();
            due = await db.Jobs
                .Where(j => j.Status == JobStatusText.Pending && j.NextAttemptAt <= now)
                .OrderBy(j => j.NextAttemptAt)
                .Select(j => j.Id)
                .Take(20)
                .ToListAsync(ct);
        }

        foreach (var id in due)
        {
            await RunAsync(id, ct);
        }

        return due.Count;
    }

    private async Task RunAsync(Guid jobId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<KinerjaDbContext>();
        var job = await db.Jobs.FirstAsync(j => j.Id == jobId, ct);
        var pending = JsonSerializer.Deserialize<PendingJob>(job.PayloadJson, InstanceCommandRunner.StateJson)!;
        job.Attempts++;

        JsonElement? result;
        try
        {
            result = pending.Kind switch
            {
                JobKind.Http => await services.GetRequiredService<HttpJobPerformer>().PerformAsync(pending, ct),
                JobKind.Notification => await DeliverNotificationAsync(services, job, pending, ct),
                _ => throw new InvalidOperationException($"Unknown job kind {pending.Kind}."),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RecordFailureAsync(services, db, job, ex.Message, ct);
            return;
        }

        job.Status = JobStatusText.Done;
        job.LastError = null;
        var runner = services.GetRequiredService<InstanceCommandRunner>();
        try
        {
            if (pending.Kind == JobKind.Http)
            {
                await runner.ExecuteAsync(job.InstanceId, new CompleteJob(job.Id, result), null, ct);
            }
            else
            {
                await db.SaveChangesAsync(ct);
            }

            logger.LogInformation(
                "Job {JobId} ({Kind}) at step {StepId} of instance {InstanceId} done after {Attempts} attempt(s)",
                job.Id,
                job.Kind,
                job.StepId,
                job.InstanceId,
                job.Attempts);
        }
        catch (ProblemException problem)
        {
            logger.LogWarning(
                "Job {JobId} result not applied to instance {InstanceId}: {Problem}",
                job.Id,
                job.InstanceId,
                problem.Message);
        }
    }

    private static async Task<JsonElement?> DeliverNotificationAsync(
        IServiceProvider services,
        JobRecord job,
        PendingJob pending,
        CancellationToken ct)
    {
        await services.GetRequiredService<NotificationService>()
            .NotifyRoleAsync(job.OfficeId, pending.Role, pending.Body ?? string.Empty, job.InstanceId, null, $"send:{job.Id}", ct);
        return null;
    }

    private async Task RecordFailureAsync(IServiceProvider services, KinerjaDbContext db, JobRecord job, string error, CancellationToken ct)
    {
        job.LastError = error;
        var now = clock.GetUtcNow();
        if (job.Attempts < _maxAttempts)
        {
            var pause = TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(3, job.Attempts - 1)));
            job.NextAttemptAt = now + pause;
            await db.SaveChangesAsync(ct);
            logger.LogWarning(
                "Job {JobId} at step {StepId} of instance {InstanceId} failed (attempt {Attempts} of {MaxAttempts}), next at {NextAttemptAt}: {Error}",
                job.Id,
                job.StepId,
                job.InstanceId,
                job.Attempts,
                _maxAttempts,
                job.NextAttemptAt,
                error);
            return;
        }

        job.Status = JobStatusText.Failed;
        logger.LogError(
            "Job {JobId} at step {StepId} of instance {InstanceId} failed for good after {Attempts} attempts: {Error}",
            job.Id,
            job.StepId,
            job.InstanceId,
            job.Attempts,
            error);
        if (job.Kind == nameof(JobKind.Http))
        {
            await services.GetRequiredService<InstanceCommandRunner>()
                .ExecuteAsync(job.InstanceId, new FailJob(job.Id, Truncate(error)), null, ct);
        }
        else
        {
            await db.SaveChangesAsync(ct);
        }
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}

/// <summary>Performs a service task's HTTP request; a non-success status is a failure.</summary>
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
