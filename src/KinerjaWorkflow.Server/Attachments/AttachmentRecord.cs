using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Attachments;

/// <summary>An output document uploaded to a task. The bytes are on disk under their SHA-256 (<see cref="AttachmentStore"/>).</summary>
public sealed class AttachmentRecord
{
    public required Guid Id { get; set; }
    public required string OfficeId { get; set; }
    public required Guid TaskId { get; set; }
    public required Guid InstanceId { get; set; }

    /// <summary>The uploader's file name, cleaned of any path.</summary>
    public required string FileName { get; set; }

    /// <summary>The type the content was recognised as, not the one the client claimed.</summary>
    public required string ContentType { get; set; }
    public required long SizeBytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of the content: its name on disk and its checksum.</summary>
    public required string Sha256 { get; set; }
    public required string UploadedBy { get; set; }
    public required DateTimeOffset UploadedAt { get; set; }
}

internal sealed class AttachmentRecordConfiguration : IEntityTypeConfiguration<AttachmentRecord>
{
    public void Configure(EntityTypeBuilder<AttachmentRecord> builder)
    {
        builder.ToTable("attachments");
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => x.TaskId);
        builder.HasIndex(x => x.Sha256);
        builder.HasOne<TaskRecord>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>An attachment as the API shows it; <see cref="DownloadUrl"/> is where those who may see the task fetch it.</summary>
public sealed record AttachmentView(
    Guid Id,
    Guid TaskId,
    string FileName,
    string ContentType,
    long SizeBytes,
    string Sha256,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    string DownloadUrl)
{
    public static AttachmentView From(AttachmentRecord a) =>
        new(a.Id, a.TaskId, a.FileName, a.ContentType, a.SizeBytes, a.Sha256, a.UploadedBy, a.UploadedAt, DownloadUrlOf(a.Id));

    public static string DownloadUrlOf(Guid attachmentId) => $"/api/attachments/{attachmentId}";
}
