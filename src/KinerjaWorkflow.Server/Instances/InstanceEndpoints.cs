using KinerjaWorkflow.Server.Identity;

namespace KinerjaWorkflow.Server.Instances;

public static class InstanceEndpoints
{
    public static IEndpointRouteBuilder MapInstanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances").WithTags("Proses berjalan").RequireAuthorization();

        group.MapPost("/", async (StartInstanceRequest request, HttpContext http, InstanceService instances, CancellationToken ct) =>
        {
            var view = await instances.StartAsync(http.User.ToCurrentUser(), request, ct);
            return Results.Created($"/api/instances/{view.Id}", view);
        }).WithSummary("Mulai proses baru dari definisi SOP")
            .WithName("StartInstance")
            .Produces<InstanceView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/", async (string? definitionKey, string? status, HttpContext http, InstanceService instances, CancellationToken ct) =>
            Results.Ok(await instances.ListAsync(http.User.ToCurrentUser(), definitionKey, status, ct)))
            .WithSummary("Daftar proses berjalan di kantor pengguna")
            .WithName("ListInstances")
            .Produces<IReadOnlyList<InstanceSummary>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, InstanceService instances, CancellationToken ct) =>
            Results.Ok(await instances.GetAsync(http.User.ToCurrentUser(), id, ct)))
            .WithSummary("Status proses dengan langkah aktif dan tenggatnya")
            .WithName("GetInstance")
            .Produces<InstanceView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/history", async (Guid id, HttpContext http, InstanceService instances, CancellationToken ct) =>
            Results.Ok(await instances.HistoryAsync(http.User.ToCurrentUser(), id, ct)))
            .WithSummary("Riwayat proses: siapa, kapan, dari langkah mana ke mana")
            .WithName("GetInstanceHistory")
            .Produces<IReadOnlyList<HistoryEntry>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/cancel", async (Guid id, CancelInstanceRequest? request, HttpContext http, InstanceService instances, CancellationToken ct) =>
            Results.Ok(await instances.CancelAsync(http.User.ToCurrentUser(), id, request?.Reason, ct)))
            .WithSummary("Batalkan proses berjalan, dengan alasan (admin, atau yang memulainya selama belum ada langkah diselesaikan)")
            .WithName("CancelInstance")
            .Produces<InstanceView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{id:guid}/incidents/{incidentId:guid}/retry", async (Guid id, Guid incidentId, HttpContext http, InstanceService instances, CancellationToken ct) =>
            Results.Ok(await instances.RetryIncidentAsync(http.User.ToCurrentUser(), id, incidentId, ct)))
            .WithSummary("Ulangi tugas layanan yang gagal (admin)")
            .WithName("RetryIncident")
            .Produces<InstanceView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }
}

public sealed record CancelInstanceRequest(string? Reason);
