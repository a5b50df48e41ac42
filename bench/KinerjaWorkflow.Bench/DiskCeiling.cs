using System.Diagnostics;
using System.Globalization;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// What the disk allows: plain SQLite commits of one small row each, on a file beside the service's database with
/// the service's own connection settings (WAL, the same synchronous and busy timeout, the same page size). No
/// command of the service can commit faster than this, so its figures are read as a share of it.
/// </summary>
internal sealed record DiskCeiling(string Durability, int Commits, double Seconds, double CommitsPerSecond, double P50Ms, double P99Ms)
{
    public static DiskCeiling Measure(string folder, DatabaseSettings service, string serviceFile, int commits)
    {
        var pageSize = PageSizeOf(serviceFile);
        var path = Path.Combine(folder, "ceiling.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA page_size = {pageSize}; PRAGMA journal_mode = WAL;"));
        Execute(connection, SqliteConnectionSetup.Pragmas(service.BusyTimeoutMilliseconds, service.Durability));
        Execute(connection, "CREATE TABLE commits (id INTEGER PRIMARY KEY, at TEXT NOT NULL, body TEXT NOT NULL);");

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO commits (at, body) VALUES ($at, $body);";
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        insert.Parameters.AddWithValue("$body", new string('x', 200));
        var warmup = Math.Min(100, commits);
        var ticks = new long[commits];
        for (var i = -warmup; i < commits; i++)
        {
            at.Value = i.ToString(CultureInfo.InvariantCulture);
            var started = Stopwatch.GetTimestamp();
            insert.ExecuteNonQuery();
            if (i >= 0)
            {
                ticks[i] = Stopwatch.GetTimestamp() - started;
            }
        }

        Array.Sort(ticks);
        var seconds = (double)ticks.Sum() / Stopwatch.Frequency;
        return new DiskCeiling(
            service.Durability.ToString(),
            commits,
            seconds,
            commits / seconds,
            Milliseconds(ticks[(commits - 1) / 2]),
            Milliseconds(ticks[Math.Clamp((int)Math.Ceiling(0.99 * commits) - 1, 0, commits - 1)]));
    }

    /// <summary>Whole instances a second the disk allows when each commits <paramref name="commitsPerInstance"/> times.</summary>
    public double InstancesPerSecond(double commitsPerInstance) => CommitsPerSecond / commitsPerInstance;

    private static long PageSizeOf(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size;";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
