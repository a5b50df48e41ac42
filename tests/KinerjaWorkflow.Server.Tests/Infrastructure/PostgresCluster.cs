using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster the tests start for themselves: initdb into a temporary folder, pg_ctl on a free loopback
/// port, one database per test server, all of it removed when the test process ends. Nothing depends on set-up
/// done by hand; when the server binaries are missing the first test that needs them fails and says how to get them.
/// The bench compiles this same file (bench/KinerjaWorkflow.Bench.csproj links it) for its own, durable cluster.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    /// <summary>Where to look for initdb and pg_ctl when <c>KINERJA_PG_BIN</c> does not say.</summary>
    private const string DebianRoot = "/usr/lib/postgresql";
    private const string Superuser = "postgres";

    private static readonly Lazy<PostgresCluster> LazyShared = new(() => Start(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _binFolder;
    private readonly string _folder;
    private readonly string? _runAs;
    private readonly bool _durable;
    private int _stopped;

    private PostgresCluster(string binFolder, string folder, string? runAs, int port, bool durable)
    {
        _binFolder = binFolder;
        _folder = folder;
        _runAs = runAs;
        _durable = durable;
        Port = port;
    }

    /// <summary>The one cluster of this test process, started on first use.</summary>
    public static PostgresCluster Shared => LazyShared.Value;

    /// <summary>
    /// A cluster of its own with PostgreSQL's default durability (fsync on, synchronous commit), stopped by
    /// <see cref="Dispose"/>: the bench's, so that a commit costs what it costs in production, as SQLite's synced
    /// WAL commits do.
    /// </summary>
    public static PostgresCluster StartDurable() => Start(durable: true);

    public int Port { get; }

    /// <summary>The cluster's server programs, pg_dump and pg_restore among them.</summary>
    public string BinFolder => _binFolder;

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>A connection string to the cluster's maintenance database, for creating and dropping test databases.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        Pooling = true,
        MaxPoolSize = 40,
    }.ToString();

    /// <summary>The server's own version string, e.g. "PostgreSQL 15.14 (Debian 15.14-0+deb12u1) on x86_64…".</summary>
    public string Version()
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT version()", connection);
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Creates an empty database and returns its name.</summary>
    public string CreateDatabase()
    {
        var name = "kinerja_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE DATABASE \"{name}\"");
        return name;
    }

    public void DropDatabase(string name)
    {
        using (var connection = new NpgsqlConnection(ConnectionString(name)))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose() => Stop();

    private static PostgresCluster Start(bool durable)
    {
        var binFolder = FindBinaries();
        var runAs = Environment.UserName == "root" ? Superuser : null;
        var root = Path.Combine(Path.GetTempPath(), "kinerja-postgres");
        RemoveStoppedClusters(root);
        var folder = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (runAs is not null)
        {
            Run("chown", $"{runAs} {folder}", runAs: null);
        }

        var port = FreeLoopbackPort();
        var cluster = new PostgresCluster(binFolder, folder, runAs, port, durable);

        // Ctrl+C or a kill ends the process without unwinding to Dispose; the cluster must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        try
        {
            cluster.InitAndStart();
        }
        catch
        {
            cluster.Stop();
            throw;
        }

        return cluster;
    }

    private void InitAndStart()
    {
        Run(Path.Combine(_binFolder, "initdb"), $"-D {DataFolder} -A trust -U {Superuser} -E UTF8{(_durable ? "" : " --no-sync")}", _runAs);

        // fsync off for the tests: their cluster is thrown away, and durability is proven by kill -9 of the service,
        // not of PostgreSQL.
        var options = $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1{(_durable ? "" : " -c fsync=off")} -c max_connections=300";
        Run(Path.Combine(_binFolder, "pg_ctl"), $"-D {DataFolder} -l {Path.Combine(_folder, "server.log")} -o \"{options}\" -w -t 60 start", _runAs);
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Run(Path.Combine(_binFolder, "pg_ctl"), $"-D {DataFolder} -m immediate -w stop", _runAs);
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"The test PostgreSQL cluster in {_folder} did not stop cleanly: {ex.Message}");
        }
    }

    /// <summary>
    /// The test host may be ended before its exit handler has deleted the folder; a cluster that is no longer running
    /// (no postmaster.pid) is removed by the next test run instead. Not a young one: another test process on the
    /// machine may be between initdb and pg_ctl in it, before postmaster.pid exists.
    /// </summary>
    private static void RemoveStoppedClusters(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        var young = DateTime.UtcNow.AddHours(-1);
        foreach (var stale in Directory.GetDirectories(root)
                     .Where(d => !File.Exists(Path.Combine(d, "data", "postmaster.pid")) && Directory.GetCreationTimeUtc(d) < young))
        {
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (IOException)
            {
                // Another test process may be creating it right now; a later run removes it.
            }
        }
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("KINERJA_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb"))
                ? configured
                : throw new InvalidOperationException($"KINERJA_PG_BIN is {configured}, but there is no initdb in it.");
        }

        var installed = Directory.Exists(DebianRoot)
            ? Directory.GetDirectories(DebianRoot)
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;

        return installed ?? throw new InvalidOperationException(
            "These tests need a PostgreSQL server (initdb and pg_ctl) and found none under " + DebianRoot + ". " +
            "Install it with `apt-get install -y postgresql` (Debian), or set KINERJA_PG_BIN to the folder holding initdb and pg_ctl.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string program, string arguments, string? runAs)
    {
        var start = runAs is null
            ? new ProcessStartInfo(program, arguments)
            : new ProcessStartInfo("runuser", $"-u {runAs} -- {program} {arguments}");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {arguments} did not finish within two minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {arguments} failed with exit code {process.ExitCode}: {error.Result}{output.Result}");
        }
    }
}
