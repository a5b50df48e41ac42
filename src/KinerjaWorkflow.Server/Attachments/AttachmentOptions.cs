using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;

namespace KinerjaWorkflow.Server.Attachments;

/// <summary>The "Attachments" configuration section.</summary>
public sealed class AttachmentOptions
{
    public const string SectionName = "Attachments";

    /// <summary>The largest document accepted, in bytes (default 10 MB).</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Where documents are stored. Unset: an "attachments" folder beside the SQLite database file (the data
    /// folder of the embedded default), or under the data folder for PostgreSQL.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>The folder to store documents in, as an absolute path.</summary>
    public string ResolveFolder(DatabaseSettings database, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(Path))
        {
            return System.IO.Path.GetFullPath(Path, environment.ContentRootPath);
        }

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            if (file is not ("" or ":memory:") && System.IO.Path.GetDirectoryName(file) is { Length: > 0 } folder)
            {
                return System.IO.Path.Combine(folder, "attachments");
            }
        }

        return System.IO.Path.Combine(database.DataDirectory, "attachments");
    }
}
