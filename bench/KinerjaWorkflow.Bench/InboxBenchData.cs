using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// Writes the inbox rows straight into the tasks table: a year of finished work and the open work of today,
/// spread over the bench offices. Only the list reads these rows, so no instance rows back them.
/// </summary>
internal static class InboxBenchData
{
    private const int Batch = 50_000;
    private static readonly string[] Roles = ["Bidang 1", "Bidang 2", "Bidang 3", "Bidang 4", "Sekretaris"];

    /// <returns>How long the load took.</returns>
    public static TimeSpan Load(string databasePath, BenchShape shape, DateTimeOffset now)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(20251006);
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        Execute(connection, "PRAGMA synchronous = OFF;");
        Execute(connection, "PRAGMA cache_size = -524288;");
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO tasks (id, instance_id, office_id, definition_key, definition_version, business_key, step_id, step_name,
                step_number, roles, assignee, status, created_at, expected_at, due_at, completed_at, completed_by, outcome, comment,
                loop_index, loop_item)
            VALUES ($id, $instance, $office, 'bench-spj', 1, $key, $step, $stepName, $number, $roles, $assignee, $status, $created,
                NULL, $due, $completedAt, $completedBy, NULL, NULL, NULL, NULL);
            """;
        var parameters = new[] { "$id", "$instance", "$office", "$key", "$step", "$stepName", "$number", "$roles", "$assignee", "$status", "$created", "$due", "$completedAt", "$completedBy" }
            .ToDictionary(name => name, name => insert.Parameters.Add(new SqliteParameter { ParameterName = name }));
        var nowMs = now.ToUnixTimeMilliseconds();
        const long day = 24L * 60 * 60 * 1000;

        SqliteTransaction? transaction = null;
        for (var n = 0; n < shape.Tasks; n++)
        {
            if (n % Batch == 0)
            {
                transaction?.Commit();
                transaction?.Dispose();
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
            }

            var office = 1 + (n % shape.Offices);
            var roleIndex = random.Next(10) == 0 ? 4 : random.Next(4);
            var secretary = roleIndex == 4;
            var open = random.NextInt64(shape.Tasks) < shape.Open;
            var staff = InboxBenchHost.StaffUser(office, roleIndex + 1, 1 + random.Next(office == 1 ? shape.StaffPerRole : 1));
            var owner = secretary ? InboxBenchHost.SecretaryUser(office) : staff;
            long created;
            long? due;
            string status;
            string? assignee = null;
            long? completedAt = null;
            if (open)
            {
                created = nowMs - random.NextInt64(20 * day);
                due = random.Next(10) == 0 ? null : created + day + random.NextInt64(14 * day);
                status = random.Next(5) == 0 ? "claimed" : "open";
                assignee = status == "claimed" ? owner : null;
            }
            else
            {
                created = nowMs - (20 * day) - random.NextInt64(380 * day);
                due = created + day + random.NextInt64(9 * day);
                status = random.Next(50) == 0 ? "cancelled" : "completed";
                completedAt = created + random.NextInt64(12 * day);
                assignee = status == "completed" ? owner : null;
            }

            parameters["$id"].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            parameters["$instance"].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            parameters["$office"].Value = InboxBenchHost.OfficeId(office);
            parameters["$key"].Value = "BK-" + (n / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters["$step"].Value = secretary ? "Verifikasi" : "Siapkan";
            parameters["$stepName"].Value = secretary ? "Memverifikasi berkas" : "Menyiapkan berkas";
            parameters["$number"].Value = secretary ? 2 : 1;
            parameters["$roles"].Value = "|" + Roles[roleIndex] + "|";
            parameters["$assignee"].Value = (object?)assignee ?? DBNull.Value;
            parameters["$status"].Value = status;
            parameters["$created"].Value = created;
            parameters["$due"].Value = (object?)due ?? DBNull.Value;
            parameters["$completedAt"].Value = (object?)completedAt ?? DBNull.Value;
            parameters["$completedBy"].Value = status == "completed" ? owner : DBNull.Value;
            insert.ExecuteNonQuery();
        }

        transaction?.Commit();
        transaction?.Dispose();
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return clock.Elapsed;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <param name="Tasks">Rows in the tasks table.</param>
/// <param name="Open">Of those, open or claimed (a fifth claimed); the rest completed (a few cancelled).</param>
/// <param name="StaffPerRole">Staff per Bidang role in office 01, the office the load runs against.</param>
internal sealed record BenchShape(int Tasks, int Open, int Offices, int StaffPerRole);
