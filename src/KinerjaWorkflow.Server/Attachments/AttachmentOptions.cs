using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;

namespace KinerjaWorkflow.Server.Attachments;

/// <summary>The "Attachments" configuration section.</summary>
public sealed class AttachmentOptions
{
    public const string SectionName = "Attachments";

    public const string SharedFolderRequired =
        "Attachments:Path must be set on PostgreSQL: name the folder every node of the service shares (the same network " +
        "share mounted on each), so a document uploaded through one node can be downloaded through another.";

    /// <summary>The largest document accepted, in bytes (default 10 MB).</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Where documents are stored (the database holds their names and checksums, not their bytes). Unset: an
    /// "attachments" folder beside the SQLite database file (the data folder of the embedded default), or under
    /// the data folder for PostgreSQL in Development and Testing. On PostgreSQL elsewhere it must be set, because
    /// several nodes may serve one database and each must read what another stored: every node names the same
    /// shared folder (an NFS or SMB mount), as deploy/README.md says.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Whether the setting will do for this database and environment (see <see cref="Path"/>).</summary>
    public bool NamesFolderForEveryNode(DatabaseSettings database, IHostEnvironment environment) =>
        database.Provider != DatabaseProvider.Postgres
        || !string.IsNullOrWhiteSpace(Path)
        || environment.IsDevelopment()
        || environment.IsEnvironment(ServerComposition.TestingEnvironment);

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
