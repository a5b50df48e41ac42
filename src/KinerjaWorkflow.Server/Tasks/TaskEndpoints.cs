using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KinerjaWorkflow.Server.Tasks;

public static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks").WithTags("Tugas").RequireAuthorization();

        group.MapGet("/", async ([AsParameters] TaskQuery query, HttpContext http, TaskService tasks, CancellationToken ct) =>
            Results.Ok(await tasks.ListAsync(http.User.ToCurrentUser(), query, ct)))
            .WithSummary("Kotak tugas: milik saya, per peran, per status, terlambat; urut tenggat");

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, TaskService tasks, CancellationToken ct) =>
            Results.Ok(await tasks.GetAsync(http.User.ToCurrentUser(), id, ct)))
            .WithSummary("Rincian tugas dengan konteks SOP");

        group.MapPost("/{id:guid}/claim", async (Guid id, HttpContext http, TaskService tasks, CancellationToken ct) =>
            Results.Ok(await tasks.ClaimAsync(http.User.ToCurrentUser(), id, ct)))
            .WithSummary("Ambil tugas");

        group.MapPost("/{id:guid}/unclaim", async (Guid id, HttpContext http, TaskService tasks, CancellationToken ct) =>
            Results.Ok(await tasks.UnclaimAsync(http.User.ToCurrentUser(), id, ct)))
            .WithSummary("Lepas tugas");

        group.MapPost("/{id:guid}/delegate", async (Guid id, DelegateTaskRequest request, HttpContext http, TaskService tasks, CancellationToken ct) =>
            Results.Ok(await tasks.DelegateAsync(http.User.ToCurrentUser(), id, request.Username, ct)))
            .WithSummary("Delegasikan tugas ke anggota peran yang sama");

        group.MapPost("/{id:guid}/complete", async (
                Guid id,
                CompleteTaskRequest request,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                HttpContext http,
                TaskService tasks,
                CancellationToken ct) =>
            Results.Ok(await tasks.CompleteAsync(http.User.ToCurrentUser(), id, request, idempotencyKey, ct)))
            .WithSummary("Selesaikan tugas dengan hasil, komentar dan variabel");

        return app;
    }
}
