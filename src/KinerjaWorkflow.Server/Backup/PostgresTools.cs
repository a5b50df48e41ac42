using System.Diagnostics;
using Npgsql;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// PostgreSQL's own pg_dump and pg_restore, run as processes: a backup on PostgreSQL is pg_dump's custom format, taken
/// in the snapshot the manifest was read in. Found in <c>Backup:PostgresTools</c> or on PATH.
/// </summary>
internal sealed class PostgresTools(string? folder)
{
    public async Task DumpAsync(string connectionString, string snapshot, string file, CancellationToken ct) =>
        await RunAsync("pg_dump", connectionString, ["--format=custom", $"--snapshot={snapshot}", $"--file={file}"], ct);

    /// <param name="clean">Drop what the dump holds before recreating it (restore --force over a database in use).</param>
    public async Task RestoreAsync(string connectionString, string file, bool clean, CancellationToken ct)
    {
        List<string> arguments = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"];
        if (clean)
        {
            arguments.AddRange(["--clean", "--if-exists"]);
        }

        arguments.Add(file);
        await RunAsync("pg_restore", connectionString, arguments, ct);
    }

    private async Task RunAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var path = Find(tool);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // The password goes through the environment, never the command line another user's ps could read.
        start.Environment["PGHOST"] = settings.Host ?? "localhost";
        start.Environment["PGPORT"] = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = settings.Database ?? "";
        start.Environment["PGUSER"] = settings.Username ?? Environment.UserName;
        if (!string.IsNullOrEmpty(settings.Password))
        {
            start.Environment["PGPASSWORD"] = settings.Password;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (tool == "pg_restore")
        {
            start.ArgumentList.Insert(0, $"--dbname={settings.Database}");
        }

        using var process = Process.Start(start) ?? throw new BackupException($"{path} could not be started.");
        var errors = process.StandardError.ReadToEndAsync(ct);
        var output = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new BackupException($"{tool} failed (exit code {process.ExitCode}): {(await errors).Trim()} {(await output).Trim()}".Trim());
        }
    }

    private string Find(string tool)
    {
        if (!string.IsNullOrWhiteSpace(folder))
        {
            var configured = Path.Combine(folder, tool);
            return File.Exists(configured)
                ? configured
                : throw new BackupException($"{tool} is not in {folder} (Backup:PostgresTools). Install PostgreSQL's client programs (Debian: apt-get install postgresql-client) or name the folder that holds them.");
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new BackupException(
            $"{tool} is not on PATH. A backup of a PostgreSQL installation is taken with PostgreSQL's {tool}: install the client programs " +
            "(Debian: apt-get install postgresql-client) or set Backup:PostgresTools to the folder that holds them, e.g. /usr/lib/postgresql/15/bin.");
    }
}
