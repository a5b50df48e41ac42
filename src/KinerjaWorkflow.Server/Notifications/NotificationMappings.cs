using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Notifications;

internal sealed class NotificationRecordMapping : IEntityTypeConfiguration<NotificationRecord>
{
    public void Configure(EntityTypeBuilder<NotificationRecord> e)
    {
        e.ToTable("notifications");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.UserName, x.DeduplicationKey }).IsUnique();
        e.HasIndex(x => new { x.UserName, x.CreatedAt });
    }
}

internal sealed class NotificationDeliveryRecordMapping : IEntityTypeConfiguration<NotificationDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<NotificationDeliveryRecord> e)
    {
        e.ToTable("notification_deliveries");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.Channel, x.Target, x.DeduplicationKey }).IsUnique();
        e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        e.HasIndex(x => new { x.OfficeId, x.Status });
    }
}
