using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Supervision;

/// <summary>A supervisor saw an escalation they received and took it on (or reassigned its task).</summary>
public sealed class EscalationAcknowledgementRecord
{
    /// <summary>The in-app notification of kind "escalation" that was acknowledged.</summary>
    public required Guid NotificationId { get; set; }
    public required string OfficeId { get; set; }
    public required string UserName { get; set; }
    public Guid? TaskId { get; set; }
    public required DateTimeOffset AcknowledgedAt { get; set; }
    public string? Note { get; set; }
}

internal sealed class EscalationAcknowledgementConfiguration : IEntityTypeConfiguration<EscalationAcknowledgementRecord>
{
    public void Configure(EntityTypeBuilder<EscalationAcknowledgementRecord> builder)
    {
        builder.ToTable("escalation_acknowledgements");
        builder.HasKey(x => x.NotificationId);
    }
}
