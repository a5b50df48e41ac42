using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>Append-only: one change an office admin made to a user or their roles.</summary>
public sealed class UsersAuditRecord
{
    public long Id { get; set; }
    public required string OfficeId { get; set; }
    public required DateTimeOffset At { get; set; }

    /// <summary>The admin who made the change.</summary>
    public required string UserName { get; set; }

    /// <summary>One of <see cref="UsersAuditActions"/>.</summary>
    public required string Action { get; set; }

    /// <summary>The user changed.</summary>
    public required string Target { get; set; }
    public string? Detail { get; set; }

    /// <summary>A change made now by the signed-in admin.</summary>
    public static UsersAuditRecord By(CurrentUser admin, DateTimeOffset at, string action, string target, string? detail) => new()
    {
        OfficeId = admin.OfficeId,
        At = at,
        UserName = admin.UserName,
        Action = action,
        Target = target,
        Detail = detail,
    };
}

public static class UsersAuditActions
{
    public const string Created = "user-created";
    public const string RolesChanged = "roles-changed";
    public const string PasswordSet = "password-set";
    public const string Disabled = "user-disabled";
    public const string Enabled = "user-enabled";
    public const string Unlocked = "user-unlocked";
}

internal sealed class UsersAuditConfiguration : IEntityTypeConfiguration<UsersAuditRecord>
{
    public void Configure(EntityTypeBuilder<UsersAuditRecord> builder)
    {
        builder.ToTable("admin_audit");
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => new { x.OfficeId, x.Id });
    }
}
