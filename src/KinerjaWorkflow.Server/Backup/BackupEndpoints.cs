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

        group.MapPost("/", async Task<Ok<BackupRun>> (HttpContext http, BackupService backups, CancellationToken ct) =>
                TypedResults.Ok(await backups.RunByAdminAsync(http.User.ToCurrentUser(), ct)))
            .WithName("RunBackup")
            .WithSummary("Cadangkan sekarang, selagi layanan berjalan: basis data, jadwal Hangfire, dokumen, dan manifes; hasilnya berhasil atau gagal dengan alasannya (admin)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }
}
