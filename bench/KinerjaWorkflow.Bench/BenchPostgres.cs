using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// A throwaway PostgreSQL cluster for one bench run, started as the server tests start theirs
/// (tests/…/Infrastructure/PostgresCluster.cs): initdb into a temporary folder, pg_ctl on a free loopback port,
/// as the postgres user when the bench runs as root. Durability stays at PostgreSQL's defaults (fsync on,
/// synchronous commit), as SQLite's WAL commits are synced too, so the two providers pay the same for a commit.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private const string DebianRoot = "/usr/lib/postgresql";
    private const string Superuser = "postgres";

    private readonly string _binFolder;
    private readonly string _folder;
    private readonly string? _runAs;
    private int _stopped;

    private BenchPostgres(string binFolder, string folder, string? runAs, int port)
    {
        _binFolder = binFolder;
        _folder = folder;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's own version string, e.g. "PostgreSQL 15.14 (Debian 15.14-0+deb12u1) on x86_64…".</summary>
    public string Version { get; private set; } = "";

    private string DataFolder => Path.Combine(_folder, "data");

    public static async Task<BenchPostgres> StartAsync()
    {
        var binFolder = FindBinaries();
        var runAs = Environment.UserName == "root" ? Superuser : null;
        var folder = Path.Combine(Path.GetTempPath(), "kinerja-bench-postgres", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (runAs is not null)
        {
            await RunAsync("chown", $"{runAs} {folder}", runAs: null);
        }

        var cluster = new BenchPostgres(binFolder, folder, runAs, FreeLoopbackPort());

        // Ctrl+C or a kill ends the process without unwinding to DisposeAsync; the cluster must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            await cluster.RunAsync("initdb", $"-D {cluster.DataFolder} -A trust -U {Superuser} -E UTF8");
            var options = $"-p {cluster.Port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200";
            await cluster.RunAsync("pg_ctl", $"-D {cluster.DataFolder} -l {Path.Combine(folder, "server.log")} -o \"{options}\" -w -t 60 start");
            await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
            await connection.OpenAsync();
            await using var version = new NpgsqlCommand("SELECT version()", connection);
            cluster.Version = (string)(await version.ExecuteScalarAsync())!;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        MaxPoolSize = 100,
    }.ToString();

    /// <summary>An empty database of its own for one bench service; the cluster's removal removes it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                await RunAsync("pg_ctl", $"-D {DataFolder} -m fast -w stop");
            }

            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"The bench PostgreSQL cluster in {_folder} did not stop cleanly: {ex.Message}");
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
            "The PostgreSQL bench needs a PostgreSQL server (initdb and pg_ctl) and found none under " + DebianRoot + ". " +
            "Install it with `apt-get install -y postgresql` (Debian), or set KINERJA_PG_BIN to the folder holding initdb and pg_ctl.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunAsync(string tool, string arguments) => RunAsync(Path.Combine(_binFolder, tool), arguments, _runAs);

    private static async Task RunAsync(string program, string arguments, string? runAs)
    {
        var start = runAs is null
            ? new ProcessStartInfo(program, arguments)
            : new ProcessStartInfo("runuser", $"-u {runAs} -- {program} {arguments}");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {arguments} did not finish within two minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed with exit code {process.ExitCode}: {await error}{await output}");
        }
    }
}
