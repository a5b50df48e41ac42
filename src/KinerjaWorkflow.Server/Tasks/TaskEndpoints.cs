using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KinerjaWorkflow.Server.Tasks;

public static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks").WithTags("Tugas").RequireAuthorization();

        group.MapGet("/", async Task<Ok<TaskPage>> ([AsParameters] TaskQuery query, HttpContext http, TaskService tasks, CancellationToken ct) =>
                TypedResults.Ok(await tasks.ListAsync(http.User.ToCurrentUser(), query, ct)))
            .WithName("ListTasks")
            .WithSummary("Kotak tugas: milik saya, per peran, yang saya supervisi; per status, SOP, langkah; urut tenggat")
            .WithDescription("Urut tenggat (tanpa tenggat paling akhir), lalu waktu dibuat. Halaman berikutnya: kirim nextCursor sebagai cursor.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/counts", async Task<Ok<TaskCounts>> ([AsParameters] TaskCountQuery query, HttpContext http, TaskService tasks, CancellationToken ct) =>
                TypedResults.Ok(await tasks.CountsAsync(http.User.ToCurrentUser(), query, ct)))
            .WithName("CountTasks")
            .WithSummary("Jumlah tugas per status, yang terlambat, dan yang sedang saya kerjakan (untuk lencana)")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/{id:guid}", async Task<Ok<TaskDetail>> (Guid id, HttpContext http, TaskService tasks, CancellationToken ct) =>
                TypedResults.Ok(await tasks.GetAsync(http.User.ToCurrentUser(), id, ct)))
            .WithName("GetTask")
            .WithSummary("Rincian tugas dengan konteks SOP: Kelengkapan, Output, Waktu, sisa jam kerja, pilihan hasil, riwayat, langkah sebelumnya")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/claim", async Task<Ok<TaskDetail>> (Guid id, HttpContext http, TaskService tasks, CancellationToken ct) =>
                TypedResults.Ok(await tasks.ClaimAsync(http.User.ToCurrentUser(), id, ct)))
            .WithName("ClaimTask")
            .WithSummary("Ambil tugas (perlu peran tugas)")
            .WithActionProblems();

        group.MapPost("/{id:guid}/unclaim", async Task<Ok<TaskDetail>> (Guid id, HttpContext http, TaskService tasks, CancellationToken ct) =>
                TypedResults.Ok(await tasks.UnclaimAsync(http.User.ToCurrentUser(), id, ct)))
            .WithName("UnclaimTask")
            .WithSummary("Lepas tugas yang sedang saya kerjakan")
            .WithActionProblems();

        group.MapPost("/{id:guid}/delegate", async Task<Ok<TaskDetail>> (Guid id, DelegateTaskRequest request, HttpContext http, TaskService tasks, CancellationToken ct) =>
                TypedResults.Ok(await tasks.DelegateAsync(http.User.ToCurrentUser(), id, request.Username, ct)))
            .WithName("DelegateTask")
            .WithSummary("Delegasikan tugas ke anggota lain peran yang sama (tercatat di jejak audit)")
            .WithActionProblems();

        group.MapPost("/{id:guid}/reassign", async Task<Ok<TaskDetail>> (Guid id, ReassignTaskRequest request, HttpContext http, TaskService tasks, CancellationToken ct) =>
                TypedResults.Ok(await tasks.ReassignAsync(http.User.ToCurrentUser(), id, request, ct)))
            .WithName("ReassignTask")
            .WithSummary("Alihkan tugas ke anggota lain perannya (hanya atasan peran tersebut), dengan alasan")
            .WithActionProblems();

        group.MapPost("/{id:guid}/complete", async Task<Ok<TaskDetail>> (
                Guid id,
                CompleteTaskRequest request,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                HttpContext http,
                TaskService tasks,
                CancellationToken ct) =>
                TypedResults.Ok(await tasks.CompleteAsync(http.User.ToCurrentUser(), id, request, idempotencyKey, ct)))
            .WithName("CompleteTask")
            .WithSummary("Selesaikan tugas dengan hasil, komentar dan variabel; Idempotency-Key membuat pengulangan aman")
            .WithDescription("Dokumen keluaran diunggah lebih dulu ke /api/tasks/{id}/attachments. Pengulangan dengan Idempotency-Key yang sama menjawab 200 dengan tugas yang sama.")
            .WithActionProblems();

        return app;
    }

    private static RouteHandlerBuilder WithActionProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
