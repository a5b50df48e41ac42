using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KinerjaWorkflow.Server.Backup;

public static class BackupEndpoints
{
    /// <summary>The service's backups for admins: /api/admin/backups.</summary>
    public static IEndpointRouteBuilder MapBackupEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/backups").WithTags("Cadangan").RequireAuthorization();

        group.MapGet("/", async Task<Ok<BackupStatus>> (HttpContext http, BackupService backups, CancellationToken ct) =>
                TypedResults.Ok(await backups.StatusAsync(http.User.ToCurrentUser(), ct)))
            .WithName("GetBackups")
            .WithSummary("Folder cadangan, jadwal dan jadwal berikutnya, hasil pencadangan terakhir, dan cadangan yang disimpan (admin)")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", async Task<Accepted<BackupRun>> (HttpContext http, BackupService backups, CancellationToken ct) =>
            {
                var run = await backups.StartByAdminAsync(http.User.ToCurrentUser(), ct);
                return TypedResults.Accepted($"/api/admin/backups/runs/{run.Id}", run);
            })
            .WithName("RunBackup")
            .WithSummary("Mulai pencadangan sekarang, selagi layanan berjalan: basis data, jadwal Hangfire, dokumen, dan manifes (admin). " +
                "Jawabannya 202 dengan Location pencadangan itu, yang ditanyakan sampai running false; 409 bila pencadangan lain sedang berjalan")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/runs/{id:guid}", async Task<Ok<BackupRun>> (Guid id, HttpContext http, BackupService backups, CancellationToken ct) =>
                TypedResults.Ok(await backups.RunOfAsync(http.User.ToCurrentUser(), id, ct)))
            .WithName("GetBackupRun")
            .WithSummary("Satu pencadangan: masih berjalan (running), atau selesai dengan hasilnya, berhasil atau gagal dengan alasannya (admin)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }
}
