using System.ComponentModel;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KinerjaWorkflow.Server.Supervision;

public static class SupervisionEndpoints
{
    public static IEndpointRouteBuilder MapSupervisionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/supervision").WithTags("Supervisi").RequireAuthorization();

        group.MapGet("/overdue", async Task<Ok<OverduePage>> (
                [Description("Jumlah tugas per halaman, 1 sampai 200 (bawaan 50).")] int? pageSize,
                [Description("nextCursor dari halaman sebelumnya, apa adanya.")] string? cursor,
                HttpContext http,
                SupervisionService supervision,
                CancellationToken ct) =>
                TypedResults.Ok(await supervision.OverdueAsync(http.User.ToCurrentUser(), pageSize, cursor, ct)))
            .WithName("ListOverdueSupervisedTasks")
            .WithSummary("Tugas terlambat di peran-peran yang saya supervisi, paling lama terlambat dulu")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/escalations", async Task<Ok<IReadOnlyList<EscalationView>>> (
                [Description("Hanya eskalasi yang belum ditindaklanjuti, oleh saya maupun penerima lain.")] bool? unacknowledged,
                HttpContext http,
                SupervisionService supervision,
                CancellationToken ct) =>
                TypedResults.Ok(await supervision.EscalationsAsync(http.User.ToCurrentUser(), unacknowledged == true, ct)))
            .WithName("ListEscalations")
            .WithSummary("Eskalasi yang saya terima, terbaru dulu, dengan keadaan tugasnya sekarang dan siapa yang menindaklanjutinya")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/escalations/{id:guid}/acknowledge", async Task<Ok<EscalationView>> (
                Guid id, AcknowledgeEscalationRequest? request, HttpContext http, SupervisionService supervision, CancellationToken ct) =>
                TypedResults.Ok(await supervision.AcknowledgeAsync(http.User.ToCurrentUser(), id, request?.Note, ct)))
            .WithName("AcknowledgeEscalation")
            .WithSummary("Tandai eskalasi sudah ditindaklanjuti (siapa dan kapan dicatat), dengan catatan opsional")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/escalations/{id:guid}/reassign", async Task<Ok<EscalationView>> (
                Guid id, ReassignTaskRequest request, HttpContext http, SupervisionService supervision, CancellationToken ct) =>
                TypedResults.Ok(await supervision.ReassignAsync(http.User.ToCurrentUser(), id, request, ct)))
            .WithName("ReassignEscalatedTask")
            .WithSummary("Alihkan tugas yang dieskalasi ke anggota lain perannya; eskalasi tercatat sudah ditindaklanjuti dan penerima baru diberi tahu")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }
}
