using Serilog;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// The <c>backup</c> and <c>restore</c> verbs, with the settings of a normal start (appsettings, environment variables,
/// <c>--Section:Key=value</c>):
/// <c>dotnet KinerjaWorkflow.Server.dll backup /var/backups/kinerja</c> writes a new backup folder inside the given one
/// while the service runs; <c>dotnet KinerjaWorkflow.Server.dll restore /var/backups/kinerja/kinerja-20251006-020000</c>
/// restores one into the configured, empty data location with the service stopped (<c>--force</c> replaces data).
/// Exit code 0 when done, 1 when refused or failed (the message says why; nothing was changed), 2 for a wrong call.
/// </summary>
public static class BackupCommand
{
    public const string BackupVerb = "backup";
    public const string RestoreVerb = "restore";
    private const string Force = "--force";

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args[0];
        var folder = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : null;
        if (folder is null)
        {
            await Console.Error.WriteLineAsync(
                $"Usage: {BackupVerb} <folder>          writes a backup of the running installation into a new folder inside <folder>" + Environment.NewLine +
                $"       {RestoreVerb} <backup folder> [{Force}]   restores a backup into the configured data location (stop the service first;" + Environment.NewLine +
                $"                                       {Force} replaces a database that already holds data)");
            return 2;
        }

        var force = args.Contains(Force);
        var builder = WebApplication.CreateBuilder(args.Skip(2).Where(a => a != Force).ToArray());
        var sources = BackupSources.FromConfiguration(builder.Configuration, builder.Environment);
        var postgresTools = builder.Configuration[$"{BackupOptions.SectionName}:{nameof(BackupOptions.PostgresTools)}"];
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSerilog(
            new LoggerConfiguration().WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}").CreateLogger(),
            dispose: true));
        var logger = loggerFactory.CreateLogger(typeof(BackupCommand));
        try
        {
            if (verb == BackupVerb)
            {
                var result = await new BackupWriter(sources, postgresTools, TimeProvider.System, logger).WriteAsync(Path.GetFullPath(folder), CancellationToken.None);
                var manifest = result.Manifest;
                Console.WriteLine(
                    $"Backup written to {result.Folder} in {result.Took.TotalSeconds:0.0} s: schema {manifest.SchemaVersion}, " +
                    $"{manifest.Tables.Sum(t => t.Rows)} row(s) in {manifest.Tables.Count} table(s), {manifest.Documents} document(s), {manifest.TotalBytes} bytes; every file checked.");
                return 0;
            }

            var restored = await new BackupRestorer(sources, postgresTools, logger).RestoreAsync(folder, force, CancellationToken.None);
            Console.WriteLine(
                $"Restored the backup taken {restored.Manifest.CreatedAt:u} (schema {restored.Manifest.SchemaVersion}) into {restored.Target}: " +
                $"{restored.Manifest.Tables.Sum(t => t.Rows)} row(s), {restored.Documents} document(s); every table matches the manifest. " +
                "Start the service: it handles the reminders, escalations and timers that came due meanwhile.");
            return 0;
        }
        catch (BackupException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }
}
