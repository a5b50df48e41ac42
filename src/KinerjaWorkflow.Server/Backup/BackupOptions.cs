namespace KinerjaWorkflow.Server.Backup;

/// <summary>The "Backup" configuration section: where the service's own backups go, when, and how many stay.</summary>
public sealed class BackupOptions
{
    public const string SectionName = "Backup";

    /// <summary>
    /// The folder scheduled and admin-started backups are written into, one subfolder each. Unset: <c>backups</c> in
    /// the database's folder; put it on another disk (or a mounted share), or a dying disk takes the backups with it.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>A cron expression in the server's time zone; daily at 02:00 by default. <c>off</c> schedules none.</summary>
    public string Schedule { get; set; } = "0 2 * * *";

    /// <summary>How many backups the folder keeps; the oldest beyond this are deleted after each successful backup.</summary>
    public int Keep { get; set; } = 7;

    /// <summary>The folder of PostgreSQL's pg_dump and pg_restore, when they are not on PATH (e.g. /usr/lib/postgresql/15/bin).</summary>
    public string? PostgresTools { get; set; }

    public bool Scheduled => !string.Equals(Schedule.Trim(), "off", StringComparison.OrdinalIgnoreCase);

    public string ResolveFolder(BackupSources sources, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(Folder))
        {
            return Path.GetFullPath(Folder, environment.ContentRootPath);
        }

        var beside = sources.IsSqlite ? Path.GetDirectoryName(sources.DatabaseFile) : null;
        return Path.Combine(string.IsNullOrEmpty(beside) ? sources.Database.DataDirectory : beside, "backups");
    }
}
