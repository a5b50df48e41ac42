using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>A year whose national holidays and cuti bersama are complete, and where its list came from.</summary>
public sealed class CalendarYearRecord
{
    public required int Year { get; set; }

    /// <summary>The repository file it was seeded from, or <see cref="CalendarSources.Admin"/> once an admin changed it.</summary>
    public required string Source { get; set; }
    public required DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The admin who last changed the year; null while it is as seeded.</summary>
    public string? UpdatedBy { get; set; }
}

/// <summary>One closed day: national (no office, shared by every office) or one office's own closure.</summary>
public sealed class CalendarDayRecord
{
    public long Id { get; set; }

    /// <summary>Null for a national holiday or cuti bersama.</summary>
    public string? OfficeId { get; set; }
    public required DateOnly Date { get; set; }
    public required string Name { get; set; }

    /// <summary>One of <see cref="CalendarKinds"/>.</summary>
    public required string Kind { get; set; }
}

/// <summary>The kinds of closed day as the calendar files and the API spell them.</summary>
public static class CalendarKinds
{
    public const string NationalHoliday = "libur-nasional";
    public const string CutiBersama = "cuti-bersama";
    public const string OfficeClosure = "penutupan-kantor";

    public static string Of(HolidayKind kind) => kind switch
    {
        HolidayKind.NationalHoliday => NationalHoliday,
        HolidayKind.CutiBersama => CutiBersama,
        _ => OfficeClosure,
    };

    public static HolidayKind ToHolidayKind(string kind) => kind switch
    {
        NationalHoliday => HolidayKind.NationalHoliday,
        CutiBersama => HolidayKind.CutiBersama,
        _ => HolidayKind.OfficeClosure,
    };
}

public static class CalendarSources
{
    public const string Admin = "admin";
}

internal sealed class CalendarYearConfiguration : IEntityTypeConfiguration<CalendarYearRecord>
{
    public void Configure(EntityTypeBuilder<CalendarYearRecord> builder)
    {
        builder.ToTable("calendar_years");
        builder.HasKey(x => x.Year);
        builder.Property(x => x.Year).ValueGeneratedNever();
    }
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDayRecord>
{
    public void Configure(EntityTypeBuilder<CalendarDayRecord> builder)
    {
        builder.ToTable("calendar_days");
        builder.HasKey(x => x.Id);
        // One row per day and scope, kept by the database so two admins adding the same day on two nodes at once
        // cannot both succeed. Two partial indexes because a unique index treats every null office as distinct.
        builder.HasIndex(x => x.Date).IsUnique().HasFilter("office_id IS NULL");
        builder.HasIndex(x => new { x.OfficeId, x.Date }).IsUnique().HasFilter("office_id IS NOT NULL");
        builder.HasOne<OfficeRecord>().WithMany().HasForeignKey(x => x.OfficeId).OnDelete(DeleteBehavior.Cascade);
    }
}
