using KinerjaWorkflow.Server.Access;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Attachments;

/// <summary>
/// Output documents of tasks: uploaded by those who may work on the task while it is active, downloaded by
/// those who may see it. A refused upload changes nothing: no row, no file.
/// </summary>
public sealed class AttachmentService(
    KinerjaDbContext db,
    TaskGate gate,
    AttachmentStore store,
    IOptions<AttachmentOptions> options,
    TimeProvider clock,
    ILogger<AttachmentService> logger)
{
    public const int MaxFileNameLength = 200;

    private static readonly string[] UnspecificContentTypes = ["", "application/octet-stream"];

    public async Task<AttachmentView> UploadAsync(CurrentUser user, Guid taskId, IFormFile? file, CancellationToken ct)
    {
        if (file is null)
        {
            throw new InvalidRequestError("Kirim berkas sebagai multipart/form-data dengan nama field 'file'.");
        }

        var (task, _) = await gate.FindWorkableAsync(user, taskId, ct);
        if (!TaskAccess.IsActive(task))
        {
            throw new ConflictError("Tugas ini sudah selesai atau dibatalkan: dokumennya tidak dapat diubah lagi.");
        }

        if (task.Assignee is not null && task.Assignee != user.UserName)
        {
            throw new ConflictError($"Tugas ini sedang dikerjakan oleh {task.Assignee}.");
        }

        var maxBytes = options.Value.MaxBytes;
        if (file.Length == 0)
        {
            throw new RuleViolation("Berkas kosong.");
        }

        if (file.Length > maxBytes)
        {
            throw AttachmentProblems.TooLarge(maxBytes);
        }

        var fileName = CleanFileName(file.FileName);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        await using var content = file.OpenReadStream();
        using var staged = await store.StageAsync(content, maxBytes, ct);
        var kind = DocumentKinds.Detect(staged)
            ?? throw AttachmentProblems.Unsupported(
                $"Isi berkas '{fileName}' bukan dokumen yang diizinkan; hanya {string.Join(", ", DocumentKinds.All.Select(k => k.Name))}.");
        if (!kind.Extensions.Contains(extension))
        {
            throw AttachmentProblems.Unsupported(
                $"Isi berkas '{fileName}' adalah {kind.Name}, tetapi namanya tidak berakhiran {string.Join(" atau ", kind.Extensions)}.");
        }

        var declared = (file.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (!UnspecificContentTypes.Contains(declared) && declared != kind.ContentType)
        {
            throw AttachmentProblems.Unsupported(
                $"Berkas '{fileName}' dikirim sebagai {declared}, tetapi isinya {kind.Name} ({kind.ContentType}).");
        }

        await store.CommitAsync(staged, ct);
        var record = new AttachmentRecord
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            OfficeId = task.OfficeId,
            TaskId = task.Id,
            InstanceId = task.InstanceId,
            FileName = fileName,
            ContentType = kind.ContentType,
            SizeBytes = staged.Size,
            Sha256 = staged.Sha256,
            UploadedBy = user.UserName,
            UploadedAt = clock.GetUtcNow(),
        };
        db.Add(record);
        await db.SaveChangesAsync(ct);
        logger.LogInformation(
            "Attachment {AttachmentId} ({ContentType}, {SizeBytes} bytes, {Sha256}) uploaded to task {TaskId} by {User}",
            record.Id,
            record.ContentType,
            record.SizeBytes,
            record.Sha256,
            task.Id,
            user.UserName);
        return AttachmentView.From(record);
    }

    public async Task<IReadOnlyList<AttachmentView>> ListAsync(CurrentUser user, Guid taskId, CancellationToken ct)
    {
        var (task, _) = await gate.FindVisibleAsync(user, taskId, ct);
        var rows = await db.Set<AttachmentRecord>().AsNoTracking()
            .Where(a => a.TaskId == task.Id)
            .OrderBy(a => a.UploadedAt)
            .ToListAsync(ct);
        return rows.Select(AttachmentView.From).ToList();
    }

    /// <summary>The document and its verified content, for someone who may see its task.</summary>
    public async Task<(AttachmentRecord Attachment, Stream Content)> OpenAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        var attachment = await db.Set<AttachmentRecord>().AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == id && a.OfficeId == user.OfficeId, ct)
            ?? throw new NotFoundError("Lampiran tidak ditemukan.");
        await gate.FindVisibleAsync(user, attachment.TaskId, ct);
        return (attachment, await store.OpenVerifiedAsync(attachment.Sha256, ct));
    }

    /// <summary>Takes back a wrong upload while the task is still open; only its uploader may.</summary>
    public async Task DeleteAsync(CurrentUser user, Guid taskId, Guid id, CancellationToken ct)
    {
        var (task, _) = await gate.FindWorkableAsync(user, taskId, ct);
        var attachment = await db.Set<AttachmentRecord>()
            .FirstOrDefaultAsync(a => a.Id == id && a.TaskId == task.Id, ct)
            ?? throw new NotFoundError("Lampiran tidak ditemukan.");
        if (!TaskAccess.IsActive(task))
        {
            throw new ConflictError("Tugas ini sudah selesai atau dibatalkan: dokumennya tidak dapat diubah lagi.");
        }

        if (attachment.UploadedBy != user.UserName)
        {
            throw new ForbiddenError($"Hanya pengunggahnya ({attachment.UploadedBy}) yang dapat menghapus lampiran ini.");
        }

        db.Remove(attachment);
        await db.SaveChangesAsync(ct);
        if (!await db.Set<AttachmentRecord>().AnyAsync(a => a.Sha256 == attachment.Sha256, ct))
        {
            store.Delete(attachment.Sha256);
        }

        logger.LogInformation("Attachment {AttachmentId} removed from task {TaskId} by {User}", id, task.Id, user.UserName);
    }

    /// <summary>The name without any folder part or control characters, as the download will offer it.</summary>
    internal static string CleanFileName(string? name)
    {
        var leaf = (name ?? "").Replace('\\', '/');
        leaf = leaf[(leaf.LastIndexOf('/') + 1)..];
        var cleaned = new string(leaf.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (cleaned.Length == 0 || cleaned is "." or "..")
        {
            throw new RuleViolation("Berkas harus memiliki nama, mis. laporan.pdf.");
        }

        return cleaned.Length <= MaxFileNameLength
            ? cleaned
            : throw new RuleViolation($"Nama berkas paling panjang {MaxFileNameLength} karakter.");
    }
}
