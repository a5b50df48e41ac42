using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>
/// The indexes the inbox pages walk (script 0004): one status of an office, and one person's tasks of one
/// status, each already in (due, created, id) order so a keyset page reads only the rows it returns; and one
/// case of an office by its business key. The first carries roles and assignee, so whether a row belongs to
/// the caller's roles is decided from the index alone, for pages and for counts.
/// </summary>
internal sealed class TaskListIndexes : IEntityTypeConfiguration<TaskRecord>
{
    public void Configure(EntityTypeBuilder<TaskRecord> builder)
    {
        builder.HasIndex(x => new { x.OfficeId, x.Status, x.DueAt, x.CreatedAt, x.Id, x.Roles, x.Assignee });
        builder.HasIndex(x => new { x.OfficeId, x.Assignee, x.Status, x.DueAt, x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.OfficeId, x.BusinessKey });
    }
}
