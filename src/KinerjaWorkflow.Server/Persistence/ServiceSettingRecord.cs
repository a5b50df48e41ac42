using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>A named setting the service keeps in its own database (the Testing clock, the calendar's and the people's stamps).</summary>
public sealed class ServiceSettingRecord
{
    public required string Name { get; set; }
    public required string Value { get; set; }

    /// <summary>Gives the setting a fresh stamp in <paramref name="db"/>'s unit of work, so it commits with the change it marks.</summary>
    public static async Task RestampAsync(KinerjaDbContext db, string name, CancellationToken ct)
    {
        var stamp = Guid.NewGuid().ToString("N");
        var stored = await db.Set<ServiceSettingRecord>().FirstOrDefaultAsync(s => s.Name == name, ct);
        if (stored is null)
        {
            db.Add(new ServiceSettingRecord { Name = name, Value = stamp });
        }
        else
        {
            stored.Value = stamp;
        }
    }
}

internal sealed class ServiceSettingConfiguration : IEntityTypeConfiguration<ServiceSettingRecord>
{
    public void Configure(EntityTypeBuilder<ServiceSettingRecord> e)
    {
        e.ToTable("service_settings");
        e.HasKey(x => x.Name);
    }
}
