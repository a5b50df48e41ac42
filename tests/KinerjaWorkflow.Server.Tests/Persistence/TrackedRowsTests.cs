using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>
/// What the command path's writer does beyond what every record's round trip shows (<see cref="RecordRoundTripTests"/>):
/// partial rows, many rows of one table, refusals, and the units of work it leaves to SaveChanges.
/// </summary>
public sealed class TrackedRowsTests
{
    private static readonly DateTimeOffset Created = new(2025, 6, 3, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task A_row_attached_by_its_key_writes_only_the_columns_marked_changed()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var id = Guid.NewGuid();
        await using (var db = database.NewContext())
        {
            db.Tasks.Add(Task(id, "Verifikasi data", "open"));
            await db.SaveChangesAsync();
        }

        await using (var db = database.NewContext())
        {
            var entry = db.Tasks.Attach(Task(id, "a stand-in the row must not get", "open"));
            entry.Entity.Status = "claimed";
            entry.Entity.Assignee = "devi.kurnia";
            entry.Property(t => t.Status).IsModified = true;
            entry.Property(t => t.Assignee).IsModified = true;
            await TrackedRows.SaveAsync(db, CancellationToken.None);
            entry.State.Should().Be(EntityState.Unchanged);
        }

        await using var reader = database.NewContext();
        var stored = await reader.Tasks.SingleAsync(t => t.Id == id);
        (stored.StepName, stored.Status, stored.Assignee).Should().Be(("Verifikasi data", "claimed", "devi.kurnia"));
    }

    [Fact]
    public async Task A_row_read_and_changed_in_place_and_a_row_changed_after_it_was_added_are_written_as_they_stand()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var (read, added) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var db = database.NewContext())
        {
            db.Tasks.Add(Task(read, "Verifikasi data", "open"));
            await db.SaveChangesAsync();
        }

        await using (var db = database.NewContext())
        {
            var task = await db.Tasks.SingleAsync(t => t.Id == read);
            task.Status = "completed";
            task.CompletedBy = "devi.kurnia";
            var opened = db.Tasks.Add(Task(added, "Rapat arahan", "open")).Entity;
            opened.Assignee = "erasukma";
            await TrackedRows.SaveAsync(db, CancellationToken.None);
            db.ChangeTracker.Entries<TaskRecord>().Should().OnlyContain(e => e.State == EntityState.Unchanged);
        }

        await using var reader = database.NewContext();
        var stored = await reader.Tasks.OrderBy(t => t.StepName).Select(t => new { t.StepName, t.Status, t.Assignee, t.CompletedBy }).ToListAsync();
        stored.Should().Equal(
            new { StepName = "Rapat arahan", Status = "open", Assignee = (string?)"erasukma", CompletedBy = (string?)null },
            new { StepName = "Verifikasi data", Status = "completed", Assignee = (string?)null, CompletedBy = (string?)"devi.kurnia" });
    }

    [Fact]
    public async Task Columns_empty_in_every_row_or_in_some_rows_are_stored_empty()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var tasks = new[] { Task(Guid.NewGuid(), "Verifikasi data", "claimed"), Task(Guid.NewGuid(), "Verifikasi data", "open"), Task(Guid.NewGuid(), "Verifikasi data", "open") };
        tasks[0].Assignee = "devi.kurnia";
        tasks[2].DueAt = Created.AddDays(3);
        await using (var db = database.NewContext())
        {
            db.Tasks.AddRange(tasks);
            await TrackedRows.SaveAsync(db, CancellationToken.None);
        }

        await using var reader = database.NewContext();
        var stored = await reader.Tasks.ToListAsync();
        stored.Should().BeEquivalentTo(tasks);
        stored.Should().OnlyContain(t => t.Comment == null && t.CompletedAt == null && t.LoopItem == null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_column_changed_to_empty_is_stored_empty(bool withAnotherColumn)
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var id = Guid.NewGuid();
        await using (var db = database.NewContext())
        {
            var claimed = Task(id, "Verifikasi data", "claimed");
            claimed.Assignee = "devi.kurnia";
            claimed.Comment = "sedang dikerjakan";
            db.Tasks.Add(claimed);
            await db.SaveChangesAsync();
        }

        await using (var db = database.NewContext())
        {
            var task = await db.Tasks.SingleAsync(t => t.Id == id);
            task.Assignee = null;
            task.Comment = null;
            if (withAnotherColumn)
            {
                task.Status = "open";
            }

            await TrackedRows.SaveAsync(db, CancellationToken.None);
        }

        await using var reader = database.NewContext();
        var stored = await reader.Tasks.SingleAsync(t => t.Id == id);
        (stored.Assignee, stored.Comment, stored.Status, stored.StepName).Should().Be((null, null, withAnotherColumn ? "open" : "claimed", "Verifikasi data"));
    }

    [Fact]
    public async Task More_rows_of_one_table_than_one_insert_carries_are_all_written()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var timers = Enumerable.Range(0, 40).Select(i => Timer($"step-{i:00}", Created.AddMinutes(i))).ToList();
        await using (var db = database.NewContext())
        {
            db.Timers.AddRange(timers);
            await TrackedRows.SaveAsync(db, CancellationToken.None);
        }

        await using var reader = database.NewContext();
        var stored = await reader.Timers.OrderBy(t => t.StepId).ToListAsync();
        stored.Should().BeEquivalentTo(timers, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task A_row_refused_by_a_unique_index_fails_the_save_naming_its_table()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await using (var db = database.NewContext())
        {
            db.IdempotencyKeys.Add(Key());
            await TrackedRows.SaveAsync(db, CancellationToken.None);
        }

        await using var racer = database.NewContext();
        racer.IdempotencyKeys.Add(Key());

        var act = () => TrackedRows.SaveAsync(racer, CancellationToken.None);

        var refused = (await act.Should().ThrowAsync<DbUpdateException>()).Which;
        UniqueRows.AlreadyIn(refused, "idempotency_keys").Should().BeTrue();
    }

    [Fact]
    public async Task A_unit_of_work_that_deletes_a_row_is_written_by_SaveChanges_whole()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var gone = await StoredAsync(database, Timer("gone", Created));

        await using (var db = database.NewContext())
        {
            db.Timers.Remove(await db.Timers.SingleAsync(t => t.Id == gone.Id));
            db.Timers.Add(Timer("kept", Created));
            await TrackedRows.SaveAsync(db, CancellationToken.None);
        }

        await using var reader = database.NewContext();
        (await reader.Timers.Select(t => t.StepId).ToListAsync()).Should().Equal("kept");
    }

    [Fact]
    public async Task Audit_lines_of_one_unit_of_work_go_in_one_insert_and_leave_the_context_numbered_in_the_order_added()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var instanceId = Guid.NewGuid();
        var lines = new[] { "task-completed", "task-created", "task-created", "task-created" }
            .Select((action, i) => Line(instanceId, i + 1, action))
            .ToList();
        await using (var db = database.NewContext())
        {
            using var sent = new SqlCapture(db);
            db.AuditEntries.AddRange(lines);
            db.Timers.Add(Timer("step-1", Created));
            await TrackedRows.SaveAsync(db, CancellationToken.None);

            sent.Take().Select(s => s.Text).Where(t => t.StartsWith("INSERT INTO \"audit_entries\"", StringComparison.Ordinal)).Should().ContainSingle()
                .Which.Should().NotContain("RETURNING");
            db.ChangeTracker.Entries<AuditEntryRecord>().Should().BeEmpty("a line's number is not read back, so it is not kept");
            db.ChangeTracker.Entries<TimerRecord>().Should().ContainSingle().Which.State.Should().Be(EntityState.Unchanged);
        }

        await using var reader = database.NewContext();
        var stored = await reader.AuditEntries.OrderBy(a => a.Id).ToListAsync();
        stored.Select(a => (a.Sequence, a.Action)).Should().Equal(lines.Select(a => (a.Sequence, a.Action)));
        stored.Select(a => a.Id).Should().OnlyHaveUniqueItems().And.AllSatisfy(id => id.Should().BePositive());
        stored.Should().BeEquivalentTo(lines, o => o.Excluding(a => a.Id).WithStrictOrdering());
    }

    [Fact]
    public async Task Rows_the_context_does_not_track_are_inserted_with_the_tracked_ones_in_one_statement_and_stay_untracked()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var instanceId = Guid.NewGuid();
        var lines = new[] { "task-completed", "task-created" }.Select((action, i) => Line(instanceId, i + 1, action)).ToList();
        await using (var db = database.NewContext())
        {
            using var sent = new SqlCapture(db);
            db.Timers.Add(Timer("step-1", Created));
            await TrackedRows.SaveAsync(db, lines, CancellationToken.None);

            sent.Take().Select(s => s.Text).Where(t => t.StartsWith("INSERT INTO \"audit_entries\"", StringComparison.Ordinal)).Should().ContainSingle();
            db.ChangeTracker.Entries<AuditEntryRecord>().Should().BeEmpty();
            db.ChangeTracker.Entries<TimerRecord>().Should().ContainSingle().Which.State.Should().Be(EntityState.Unchanged);
        }

        await using var reader = database.NewContext();
        var stored = await reader.AuditEntries.OrderBy(a => a.Id).ToListAsync();
        stored.Should().BeEquivalentTo(lines, o => o.Excluding(a => a.Id).WithStrictOrdering());
        (await reader.Timers.Select(t => t.StepId).ToListAsync()).Should().Equal("step-1");
    }

    [Fact]
    public async Task Rows_the_context_does_not_track_are_written_by_SaveChanges_when_the_unit_of_work_falls_to_it()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var gone = await StoredAsync(database, Timer("gone", Created));

        var line = Line(Guid.NewGuid(), 1, "task-completed");
        await using (var db = database.NewContext())
        {
            db.Timers.Remove(await db.Timers.SingleAsync(t => t.Id == gone.Id));
            await TrackedRows.SaveAsync(db, [line], CancellationToken.None);
        }

        await using var reader = database.NewContext();
        (await reader.Timers.AnyAsync()).Should().BeFalse();
        (await reader.AuditEntries.SingleAsync()).Should().BeEquivalentTo(line, o => o.Excluding(a => a.Id));
    }

    [Fact]
    public async Task A_row_changed_outside_the_context_writes_only_the_columns_it_names_while_its_version_holds()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var stored = await StoredAsync(database, Instance());

        await using (var db = database.NewContext())
        {
            var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == stored.Id);
            instance.StateJson = "{\"status\":\"completed\"}";
            instance.Status = "completed";
            instance.EndedAt = Created.AddHours(2);
            instance.Version++;
            instance.BusinessKey = "a column the change does not name";
            await TrackedRows.SaveAsync(
                db,
                [],
                [new RowChange(instance, new HashSet<string> { "StateJson", "Status", "EndedAt", "Version" }, 3L)],
                CancellationToken.None);
            db.ChangeTracker.Entries().Should().BeEmpty();
        }

        await using var reader = database.NewContext();
        var written = await reader.Instances.SingleAsync(i => i.Id == stored.Id);
        (written.StateJson, written.Status, written.EndedAt, written.Version, written.BusinessKey)
            .Should().Be(("{\"status\":\"completed\"}", "completed", Created.AddHours(2), 4L, "BM-2025-01"));
    }

    [Fact]
    public async Task A_row_changed_outside_the_context_from_a_version_no_longer_stored_fails_before_anything_is_written()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var stored = await StoredAsync(database, Instance());

        await using (var db = database.NewContext())
        {
            var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == stored.Id);
            instance.Status = "cancelled";
            instance.Version = 3;
            var save = () => TrackedRows.SaveAsync(
                db,
                [Line(stored.Id, 1, "instance-cancelled")],
                [new RowChange(instance, new HashSet<string> { "Status", "Version" }, 2L)],
                CancellationToken.None);
            await save.Should().ThrowAsync<DbUpdateConcurrencyException>().WithMessage("*instances*");
        }

        await using var reader = database.NewContext();
        (await reader.Instances.SingleAsync(i => i.Id == stored.Id)).Status.Should().Be("active");
        (await reader.AuditEntries.AnyAsync()).Should().BeFalse();
    }

    [Fact]
    public async Task Rows_changed_outside_the_context_are_still_written_when_the_rest_falls_to_SaveChanges()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var gone = await StoredAsync(database, Timer("gone", Created));
        var id = Guid.NewGuid();
        await using (var db = database.NewContext())
        {
            db.Tasks.Add(Task(id, "Verifikasi data", "open"));
            await db.SaveChangesAsync();
        }

        await using (var db = database.NewContext())
        {
            db.Timers.Remove(await db.Timers.SingleAsync(t => t.Id == gone.Id));
            var task = Task(id, "a stand-in the row must not get", "completed");
            task.CompletedBy = "devi.kurnia";
            await TrackedRows.SaveAsync(db, [], [new RowChange(task, new HashSet<string> { "Status", "CompletedBy" })], CancellationToken.None);
        }

        await using var reader = database.NewContext();
        (await reader.Timers.AnyAsync()).Should().BeFalse();
        var written = await reader.Tasks.SingleAsync(t => t.Id == id);
        (written.StepName, written.Status, written.CompletedBy).Should().Be(("Verifikasi data", "completed", "devi.kurnia"));
    }

    /// <summary>The instance, saved before the unit of work under test begins.</summary>
    private static async Task<InstanceRecord> StoredAsync(TestDatabase database, InstanceRecord instance)
    {
        await using var db = database.NewContext();
        db.Instances.Add(instance);
        await db.SaveChangesAsync();
        return instance;
    }

    /// <summary>The timer, saved before the unit of work under test begins.</summary>
    private static async Task<TimerRecord> StoredAsync(TestDatabase database, TimerRecord timer)
    {
        await using var db = database.NewContext();
        db.Timers.Add(timer);
        await db.SaveChangesAsync();
        return timer;
    }

    private static AuditEntryRecord Line(Guid instanceId, long sequence, string action) => new()
    {
        InstanceId = instanceId,
        Sequence = sequence,
        OfficeId = "dinas-bmcktr-sumbar",
        At = Created,
        Actor = "person",
        UserName = "devi.kurnia",
        Action = action,
        FromStep = "Activity_2",
    };

    private static TaskRecord Task(Guid id, string stepName, string status) => new()
    {
        Id = id,
        InstanceId = Guid.NewGuid(),
        OfficeId = "dinas-bmcktr-sumbar",
        DefinitionKey = "bina-marga-pengumpulan-data-kinerja",
        DefinitionVersion = 1,
        StepId = "Activity_2",
        StepName = stepName,
        Roles = "[\"Kasubag Program\"]",
        Status = status,
        CreatedAt = Created,
    };

    private static InstanceRecord Instance() => new()
    {
        Id = Guid.NewGuid(),
        DefinitionId = Guid.NewGuid(),
        DefinitionKey = "bina-marga-pengumpulan-data-kinerja",
        DefinitionVersion = 1,
        OfficeId = "dinas-bmcktr-sumbar",
        BusinessKey = "BM-2025-01",
        Status = "active",
        StartedAt = Created,
        StateJson = "{}",
        Version = 3,
    };

    private static TimerRecord Timer(string stepId, DateTimeOffset dueAt) => new()
    {
        Id = Guid.NewGuid(),
        InstanceId = Guid.NewGuid(),
        OfficeId = "dinas-bmcktr-sumbar",
        StepId = stepId,
        Purpose = "intermediate",
        DueAt = dueAt,
        Status = "pending",
    };

    private static IdempotencyRecord Key() => new()
    {
        Key = "selesai-1",
        UserName = "devi.kurnia",
        TaskId = Guid.Parse("0196f1a0-11aa-7b2c-8d3e-4f5a6b7c8d9e"),
        StatusCode = 200,
        ResponseJson = "{}",
        CreatedAt = Created,
    };
}
