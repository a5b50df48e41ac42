using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Persistence;

namespace KinerjaWorkflow.Server.Tests.Audit;

/// <summary>Script 0006 on a database with lines written before it (docs/audit-trail.md, "Lines written before version 6").</summary>
public sealed class AuditTrailMigrationTests
{
    private const string Laporan = "11111111-1111-1111-1111-111111111111";
    private const string Triwulan = "22222222-2222-2222-2222-222222222222";

    [Fact]
    public async Task Earlier_lines_are_numbered_per_instance_in_written_order_and_credited_as_the_engine_now_credits_them()
    {
        using var database = TestDatabase.Create();
        await using var db = database.NewContext();
        var scripts = SchemaScripts.For(DatabaseProvider.Sqlite);
        await database.Migrator(db).ApplyAsync([.. scripts.Where(s => s.Version < 6)], CancellationToken.None);
        using (var connection = database.OpenConnection())
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"""
                INSERT INTO audit_entries (instance_id, office_id, at, user_name, action, from_step, to_step) VALUES
                ('{Laporan}', 'kantor-uji', 1, 'staf.uji', 'instance-started', 'Mulai', 'Susun'),
                ('{Laporan}', 'kantor-uji', 1, 'staf.uji', 'task-created', NULL, 'Susun'),
                ('{Triwulan}', 'kantor-uji', 1, NULL, 'instance-started', 'Tiap_Triwulan', 'Susun'),
                ('{Laporan}', 'kantor-uji', 2, 'staf.uji', 'task-completed', 'Susun', 'Periksa'),
                ('{Laporan}', 'kantor-uji', 2, 'staf.uji', 'task-created', NULL, 'Periksa'),
                ('{Laporan}', 'kantor-uji', 3, NULL, 'timer-fired', 'Jeda', NULL);
                """;
            insert.ExecuteNonQuery();
        }

        await database.Migrator(db).ApplyAsync(CancellationToken.None);

        var lines = db.AuditEntries.OrderBy(a => a.Id).AsEnumerable()
            .Select(a => (a.InstanceId.ToString(), a.Sequence, a.Actor, a.UserName, a.Action, a.ToSteps))
            .ToList();
        lines.Should().Equal(
            (Laporan, 1L, "person", "staf.uji", "instance-started", """["Susun"]"""),
            (Laporan, 2L, "engine", null, "task-created", """["Susun"]"""),
            (Triwulan, 1L, "scheduler", null, "instance-started", """["Susun"]"""),
            (Laporan, 3L, "person", "staf.uji", "task-completed", """["Periksa"]"""),
            (Laporan, 4L, "engine", null, "task-created", """["Periksa"]"""),
            (Laporan, 5L, "scheduler", null, "timer-fired", null));
    }
}
