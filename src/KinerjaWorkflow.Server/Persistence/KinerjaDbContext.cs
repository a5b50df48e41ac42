using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// The one place data access is mapped. Each provider has a context of its own (<see cref="SqliteKinerjaDbContext"/>,
/// <see cref="PostgresKinerjaDbContext"/>) only so that each has its own set of EF Core migrations
/// (Persistence/Migrations/&lt;provider&gt;), applied at start-up; the model is this one.
/// </summary>
public abstract class KinerjaDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OfficeRecord> Offices => Set<OfficeRecord>();
    public DbSet<OfficeRoleRecord> OfficeRoles => Set<OfficeRoleRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<UserRoleRecord> UserRoles => Set<UserRoleRecord>();
    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();
    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();
    public DbSet<AuditEntryRecord> AuditEntries => Set<AuditEntryRecord>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<JobRecord> Jobs => Set<JobRecord>();
    public DbSet<TimerRecord> Timers => Set<TimerRecord>();
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();

    /// <summary>
    /// Instants are stored as Unix milliseconds (UTC) on every provider: SQLite cannot order or compare
    /// DateTimeOffset text, and one representation keeps the schemas of both providers alike.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Features that own tables (notifications, scheduling, attachments) map them in their own folder
        // with IEntityTypeConfiguration; the core tables stay here.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KinerjaDbContext).Assembly);
        modelBuilder.Entity<OfficeRecord>(e =>
        {
            e.ToTable("offices");
            e.HasKey(x => x.Id);
        });
        modelBuilder.Entity<OfficeRoleRecord>(e =>
        {
            e.ToTable("office_roles");
            e.HasKey(x => new { x.OfficeId, x.Name });
            e.HasOne<OfficeRecord>().WithMany().HasForeignKey(x => x.OfficeId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<UserRecord>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.UserName).IsUnique();
            e.HasIndex(x => x.OfficeId);
            e.HasOne<OfficeRecord>().WithMany().HasForeignKey(x => x.OfficeId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<UserRoleRecord>(e =>
        {
            e.ToTable("user_roles");
            e.HasKey(x => new { x.UserId, x.RoleName });
            e.HasOne<UserRecord>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<DefinitionRecord>(e =>
        {
            e.ToTable("definitions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Key, x.Version }).IsUnique();
        });
        modelBuilder.Entity<InstanceRecord>(e =>
        {
            e.ToTable("instances");
            e.HasKey(x => x.Id);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.OfficeId, x.Status });
            e.HasIndex(x => x.DefinitionKey);
        });
        modelBuilder.Entity<TaskRecord>(e =>
        {
            e.ToTable("tasks");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.InstanceId);
        });
        modelBuilder.Entity<AuditEntryRecord>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.InstanceId, x.Sequence });
        });
        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(x => new { x.UserName, x.Key });
        });
        modelBuilder.Entity<JobRecord>(e =>
        {
            e.ToTable("jobs");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        });
        modelBuilder.Entity<TimerRecord>(e =>
        {
            e.ToTable("timers");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Status, x.DueAt });
        });
        modelBuilder.Entity<DataProtectionKeyRecord>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(x => x.FriendlyName);
        });

        ApplyNamingConvention(modelBuilder);
    }

    /// <summary>
    /// Every column, key, index and foreign key gets a lower snake_case name so hand-written SQL reads the same on
    /// SQLite and PostgreSQL, where unquoted identifiers fold to lower case.
    /// </summary>
    private static void ApplyNamingConvention(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()
                ?? throw new InvalidOperationException($"{entity.DisplayName()} is not mapped to a table.");
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(StoreNames.SnakeCase(property.Name));
            }

            entity.FindPrimaryKey()?.SetName($"pk_{table}");
            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(StoreNames.Index(table, index.Properties.Select(p => StoreNames.SnakeCase(p.Name))));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                var principal = foreignKey.PrincipalEntityType.GetTableName();
                foreignKey.SetConstraintName(StoreNames.ForeignKey(table, principal!, foreignKey.Properties.Select(p => StoreNames.SnakeCase(p.Name))));
            }
        }
    }
}

internal sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
