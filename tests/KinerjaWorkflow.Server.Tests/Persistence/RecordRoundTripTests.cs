using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>
/// Every record goes into the scripted schema on a real SQLite file and comes back equal, written by EF's SaveChanges
/// and by <see cref="TrackedRows"/>, the command path's writer: both must store the same rows and refuse the same ones.
/// </summary>
public sealed class RecordRoundTripTests
{
    public const string SaveChanges = "SaveChanges";
    public const string Tracked = "TrackedRows";

    public static TheoryData<string> Writers() => new(SaveChanges, Tracked);

    private static Task SaveAsync(KinerjaDbContext db, string writer) =>
        writer == Tracked ? TrackedRows.SaveAsync(db, CancellationToken.None) : db.SaveChangesAsync();

    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);
    private static readonly DateTimeOffset Instant = new(2025, 3, 14, 9, 26, 53, 589, Wib);
    private static readonly Guid InstanceId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly Guid UserId = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");

    private static readonly OfficeRecord Office = new()
    {
        Id = "dinas-bmcktr-sumbar",
        Name = "Dinas Bina Marga, Cipta Karya dan Tata Ruang Provinsi Sumatera Barat",
        TimeZone = "Asia/Jakarta",
        OrganizationYaml = "name: Dinas BMCKTR\ntimeZone: Asia/Jakarta\n",
    };

    private static readonly UserRecord User = new()
    {
        Id = UserId,
        UserName = "erasukma",
        DisplayName = "Erasukma Munaf, ST, MMI",
        OfficeId = Office.Id,
        PasswordHash = "AQAAAAIAAYagAAAAEHash",
        IsAdmin = true,
        Email = "erasukma@binamarga.sumbarprov.example",
        FailedLogins = 2,
        LockedUntil = Instant.AddMinutes(15),
        CreatedAt = Instant,
    };

    private static long _auditSequence;

    private static readonly Dictionary<string, Func<object>> Records = new()
    {
        ["office"] = () => Office,
        ["office role"] = () => new OfficeRoleRecord { OfficeId = Office.Id, Name = "Bidang", SupervisorRole = "Sekretaris" },
        ["user"] = () => User,
        ["user role"] = () => new UserRoleRecord { UserId = UserId, RoleName = "Kepala Dinas" },
        ["definition"] = () => new DefinitionRecord
        {
            Id = Guid.NewGuid(),
            Key = "sop-penyusunan-renja",
            Version = 3,
            OfficeId = Office.Id,
            Name = "Penyusunan Renja",
            Xml = "<definitions/>",
            ContentHash = "ab12",
            DeployedAt = Instant,
            DeployedBy = "erasukma",
            Source = "workflows/x/renja.bpmn",
        },
        ["instance"] = () => new InstanceRecord
        {
            Id = InstanceId,
            DefinitionId = Guid.NewGuid(),
            DefinitionKey = "sop-penyusunan-renja",
            DefinitionVersion = 3,
            OfficeId = Office.Id,
            BusinessKey = "RENJA-2026",
            Status = "active",
            StartedAt = Instant,
            StartedBy = "erasukma",
            EndedAt = Instant.AddDays(20),
            ParentInstanceId = Guid.NewGuid(),
            HasIncident = true,
            StateJson = """{"tokens":[]}""",
            Version = 7,
        },
        ["task"] = () => new TaskRecord
        {
            Id = Guid.NewGuid(),
            InstanceId = InstanceId,
            OfficeId = Office.Id,
            DefinitionKey = "sop-penyusunan-renja",
            DefinitionVersion = 3,
            BusinessKey = "RENJA-2026",
            StepId = "Activity_1",
            StepName = "Menyusun rancangan",
            StepNumber = 4,
            Roles = "|Bidang|Tim SAKIP|",
            Assignee = "budi",
            Status = "completed",
            CreatedAt = Instant,
            ExpectedAt = Instant.AddDays(1),
            DueAt = Instant.AddDays(20),
            CompletedAt = Instant.AddDays(2),
            CompletedBy = "budi",
            Outcome = "revisi",
            Comment = "Perlu revisi",
            LoopIndex = 2,
            LoopItem = "\"Bidang Tata Ruang\"",
        },
        ["audit entry"] = () => new AuditEntryRecord
        {
            InstanceId = InstanceId,
            Sequence = Interlocked.Increment(ref _auditSequence),
            OfficeId = Office.Id,
            At = Instant,
            Actor = "person",
            UserName = "budi",
            ActorName = "Budi Santoso, S.T.",
            ActorRoles = """["Bidang"]""",
            Action = "task-completed",
            FromStep = "Activity_1",
            ToSteps = """["Activity_2"]""",
            TaskId = Guid.NewGuid(),
            Item = "\"Bidang Jalan\"",
            Detail = "revisi",
            Comment = "Data belum lengkap",
            Variables = """[{"name":"nilai","before":70,"after":85}]""",
            Documents = """[{"id":"0196f1a0-11aa-7b2c-8d3e-4f5a6b7c8d9e","fileName":"laporan.pdf"}]""",
        },
        ["idempotency key"] = () => new IdempotencyRecord
        {
            Key = "c0ffee",
            UserName = "budi",
            TaskId = Guid.NewGuid(),
            StatusCode = 200,
            ResponseJson = "{}",
            CreatedAt = Instant,
        },
        ["job"] = () => new JobRecord
        {
            Id = Guid.NewGuid(),
            InstanceId = InstanceId,
            OfficeId = Office.Id,
            StepId = "Notify_1",
            Kind = "http",
            PayloadJson = """{"url":"https://example.test"}""",
            Status = "failed",
            Attempts = 3,
            NextAttemptAt = Instant.AddMinutes(5),
            LastError = "503 Service Unavailable",
            CreatedAt = Instant,
        },
        ["timer"] = () => new TimerRecord
        {
            Id = Guid.NewGuid(),
            InstanceId = InstanceId,
            OfficeId = Office.Id,
            StepId = "Timer_1",
            Purpose = "boundary",
            DueAt = Instant.AddHours(3),
            Status = "pending",
        },
        ["data protection key"] = () => new DataProtectionKeyRecord { FriendlyName = "key-5f0e", Xml = "<key id=\"5f0e\" />" },
    };

    public static TheoryData<string, string> RecordNamesAndWriters()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Records.Keys)
        {
            data.Add(name, SaveChanges);
            data.Add(name, Tracked);
        }

        return data;
    }

    /// <summary>The record's parents (office, user) are added in the same unit of work, so the writer must put them first.</summary>
    [Theory]
    [MemberData(nameof(RecordNamesAndWriters))]
    public async Task A_record_reads_back_as_written(string name, string writer)
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var record = Records[name]();
        await using (var db = database.NewContext())
        {
            db.Add(record);
            AddParents(db, record);
            await SaveAsync(db, writer);
        }

        await using var reader = database.NewContext();
        if (writer == Tracked && record is AuditEntryRecord line)
        {
            // TrackedRows does not read back the number the database gives a line: it is found by its sequence.
            var numbered = await reader.AuditEntries.SingleAsync(a => a.InstanceId == line.InstanceId && a.Sequence == line.Sequence);
            line.Id.Should().Be(0);
            numbered.Id.Should().BePositive();
            numbered.Should().BeEquivalentTo(line, o => o.Excluding(a => a.Id));
            return;
        }

        var key = reader.Model.FindEntityType(record.GetType())!.FindPrimaryKey()!.Properties
            .Select(p => p.PropertyInfo!.GetValue(record))
            .ToArray();
        var stored = await reader.FindAsync(record.GetType(), key);

        stored.Should().BeEquivalentTo(record, o => o.RespectingRuntimeTypes());
    }

    [Fact]
    public async Task Instants_compare_and_order_by_the_moment_not_the_written_offset()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var at03Utc = new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.FromHours(7));
        var at05Utc = new DateTimeOffset(2025, 1, 1, 5, 0, 0, TimeSpan.Zero);
        var at09Utc = new DateTimeOffset(2025, 1, 1, 4, 0, 0, TimeSpan.FromHours(-5));
        await using (var db = database.NewContext())
        {
            db.Timers.AddRange(Timer("c", at09Utc), Timer("a", at03Utc), Timer("b", at05Utc));
            await db.SaveChangesAsync();
        }

        await using var reader = database.NewContext();
        var cutoff = new DateTimeOffset(2025, 1, 1, 6, 0, 0, TimeSpan.Zero);
        var due = await reader.Timers.Where(t => t.DueAt < cutoff).OrderBy(t => t.DueAt).Select(t => t.StepId).ToListAsync();
        var all = await reader.Timers.OrderByDescending(t => t.DueAt).Select(t => t.StepId).ToListAsync();

        due.Should().Equal("a", "b");
        all.Should().Equal("c", "b", "a");
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_stale_instance_update_is_refused(string writer)
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await using (var db = database.NewContext())
        {
            db.Add(Records["instance"]());
            await db.SaveChangesAsync();
        }

        await using var first = database.NewContext();
        await using var second = database.NewContext();
        var winner = await first.Instances.SingleAsync(i => i.Id == InstanceId);
        var loser = await second.Instances.SingleAsync(i => i.Id == InstanceId);
        winner.StateJson = """{"by":"first"}""";
        winner.Version++;
        await first.SaveChangesAsync();
        loser.StateJson = """{"by":"second"}""";
        loser.Version++;

        var act = () => SaveAsync(second, writer);

        await act.Should().ThrowAsync<DbUpdateConcurrencyException>();
        await using var reader = database.NewContext();
        (await reader.Instances.SingleAsync(i => i.Id == InstanceId)).StateJson.Should().Be("""{"by":"first"}""");
    }

    [Fact]
    public async Task Audit_entries_saved_by_SaveChanges_get_increasing_ids_from_the_database()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await using var db = database.NewContext();
        var entries = Enumerable.Range(0, 6).Select(_ => (AuditEntryRecord)Records["audit entry"]()).ToList();

        foreach (var entry in entries[..3])
        {
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync();
        }

        db.AuditEntries.AddRange(entries[3..]);
        await db.SaveChangesAsync();

        entries.Select(e => e.Id).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems().And.AllSatisfy(id => id.Should().BePositive());
        db.ChangeTracker.Entries().Should().OnlyContain(e => e.State == EntityState.Unchanged);
        await using var reader = database.NewContext();
        (await reader.AuditEntries.OrderBy(a => a.Id).Select(a => a.Sequence).ToListAsync())
            .Should().Equal(entries.Select(e => e.Sequence));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_user_of_an_unknown_office_is_refused(string writer)
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await using var db = database.NewContext();
        db.Users.Add(new UserRecord
        {
            Id = Guid.NewGuid(),
            UserName = "tanpa.kantor",
            DisplayName = "Tanpa Kantor",
            OfficeId = "no-such-office",
            PasswordHash = "",
        });

        var act = () => SaveAsync(db, writer);

        (await act.Should().ThrowAsync<DbUpdateException>()).WithInnerException<Microsoft.Data.Sqlite.SqliteException>()
            .WithMessage("*FOREIGN KEY constraint failed*");
    }

    private static void AddParents(KinerjaDbContext db, object record)
    {
        if (record is OfficeRoleRecord or UserRecord or UserRoleRecord)
        {
            db.Offices.Add(Office);
        }

        if (record is UserRoleRecord)
        {
            db.Users.Add(User);
        }
    }

    private static TimerRecord Timer(string stepId, DateTimeOffset dueAt) => new()
    {
        Id = Guid.NewGuid(),
        InstanceId = InstanceId,
        OfficeId = Office.Id,
        StepId = stepId,
        Purpose = "intermediate",
        DueAt = dueAt,
        Status = "pending",
    };
}
