using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>
/// The indexes the inbox pages walk (script 0004): one status of an office, and one person's tasks of one
/// status, each already in (due, created, id) order so a keyset page reads only the rows it returns.
/// </summary>
internal sealed class TaskListIndexes : IEntityTypeConfiguration<TaskRecord>
{
    public void Configure(EntityTypeBuilder<TaskRecord> builder)
    {
        builder.HasIndex(x => new { x.OfficeId, x.Status, x.DueAt, x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.OfficeId, x.Assignee, x.Status, x.DueAt, x.CreatedAt, x.Id });
    }
}
