using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// Where an installation keeps its data, resolved from configuration exactly as the service resolves it at start:
/// the database, the documents folder, and Hangfire's SQLite file (none on PostgreSQL, whose <c>hangfire</c> schema
/// is in the one database).
/// </summary>
public sealed record BackupSources(DatabaseSettings Database, string DocumentsFolder, string? SchedulerFile)
{
    public bool IsSqlite => Database.Provider == DatabaseProvider.Sqlite;

    /// <summary>The SQLite file, for an installation on the embedded default.</summary>
    public string DatabaseFile => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Database.ConnectionString).DataSource;

    public static BackupSources FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var database = DatabaseSettings.FromConfiguration(configuration, environment);
        var attachments = configuration.GetSection(AttachmentOptions.SectionName).Get<AttachmentOptions>() ?? new AttachmentOptions();
        return Of(database, attachments.ResolveFolder(database, environment), configuration);
    }

    public static BackupSources Of(DatabaseSettings database, string documentsFolder, IConfiguration configuration) =>
        new(
            database,
            documentsFolder,
            database.Provider == DatabaseProvider.Sqlite
                ? SchedulingServiceCollectionExtensions.HangfireFile(database, configuration.GetSection("Scheduling"))
                : null);
}
