using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace KinerjaWorkflow.Server.Attachments;

public static class AttachmentEndpoints
{
    /// <summary>What multipart framing may add to a document, on top of the document's own limit.</summary>
    private const long MultipartOverheadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapAttachmentEndpoints(this IEndpointRouteBuilder app, long maxBytes)
    {
        var ofTask = app.MapGroup("/api/tasks/{id:guid}/attachments").WithTags("Lampiran").RequireAuthorization();

        // The bearer API takes no antiforgery token; the sign-in cookie is SameSite=Lax, so a cross-site form
        // cannot post with it.
        ofTask.MapPost("/", async Task<Created<AttachmentView>> (Guid id, IFormFile? file, HttpContext http, AttachmentService attachments, CancellationToken ct) =>
            {
                var view = await attachments.UploadAsync(http.User.ToCurrentUser(), id, file, ct);
                return TypedResults.Created(view.DownloadUrl, view);
            })
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(maxBytes + MultipartOverheadBytes))
            .WithName("UploadAttachment")
            .WithSummary("Unggah dokumen keluaran tugas (PDF, DOCX, XLSX, PNG, JPG; multipart, field 'file')")
            .WithDescription("Isi berkas diperiksa dari tanda tangannya, bukan dari nama atau Content-Type. Disimpan di luar basis data dengan checksum SHA-256.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        ofTask.MapGet("/", async Task<Ok<IReadOnlyList<AttachmentView>>> (Guid id, HttpContext http, AttachmentService attachments, CancellationToken ct) =>
                TypedResults.Ok(await attachments.ListAsync(http.User.ToCurrentUser(), id, ct)))
            .WithName("ListAttachments")
            .WithSummary("Daftar dokumen tugas")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        ofTask.MapDelete("/{attachmentId:guid}", async Task<NoContent> (Guid id, Guid attachmentId, HttpContext http, AttachmentService attachments, CancellationToken ct) =>
            {
                await attachments.DeleteAsync(http.User.ToCurrentUser(), id, attachmentId, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteAttachment")
            .WithSummary("Hapus dokumen yang salah unggah (hanya pengunggah, selama tugas aktif)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/attachments/{id:guid}", async Task<FileStreamHttpResult> (Guid id, HttpContext http, AttachmentService attachments, CancellationToken ct) =>
            {
                var (attachment, content) = await attachments.OpenAsync(http.User.ToCurrentUser(), id, ct);
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers.CacheControl = "private, no-store";
                return TypedResults.Stream(
                    content,
                    attachment.ContentType,
                    attachment.FileName,
                    attachment.UploadedAt,
                    new EntityTagHeaderValue($"\"{attachment.Sha256}\""));
            })
            .RequireAuthorization()
            .WithTags("Lampiran")
            .WithName("DownloadAttachment")
            .WithSummary("Unduh dokumen (bagi yang boleh melihat tugasnya); checksum diperiksa sebelum dikirim")
            .Produces<Stream>(StatusCodes.Status200OK, DocumentKinds.Pdf.ContentType, [.. DocumentKinds.All.Skip(1).Select(k => k.ContentType)])
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

        return app;
    }
}
