using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>A named setting the service keeps in its own database (the Testing clock, the calendar's stamp).</summary>
public sealed class ServiceSettingRecord
{
    public required string Name { get; set; }
    public required string Value { get; set; }
}

internal sealed class ServiceSettingConfiguration : IEntityTypeConfiguration<ServiceSettingRecord>
{
    public void Configure(EntityTypeBuilder<ServiceSettingRecord> e)
    {
        e.ToTable("service_settings");
        e.HasKey(x => x.Name);
    }
}
