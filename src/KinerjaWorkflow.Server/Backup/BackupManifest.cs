using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// What a backup folder holds and how to check it: written last, beside a file with its own SHA-256, so a folder
/// without both is not a finished backup and a damaged manifest is caught before it is believed.
/// </summary>
public sealed record BackupManifest(
    int Format,
    string ProductVersion,
    DateTimeOffset CreatedAt,
    string Provider,
    string SchemaVersion,
    IReadOnlyList<string> Migrations,
    IReadOnlyList<BackupTable> Tables,
    IReadOnlyList<BackupFile> Files,
    int Documents)
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";
    public const string ChecksumFileName = "manifest.json.sha256";

    /// <summary>Where each part lives inside the backup folder.</summary>
    public const string DatabaseFile = "database/kinerja.db";
    public const string PostgresDumpFile = "database/kinerja.dump";
    public const string SchedulerFile = "scheduler/kinerja.hangfire.db";
    public const string DocumentsFolder = "attachments";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public long TotalBytes => Files.Sum(f => f.Size);

    public async Task WriteAsync(string folder, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, Json);
        await File.WriteAllBytesAsync(Path.Combine(folder, FileName), bytes, ct);
        await File.WriteAllTextAsync(Path.Combine(folder, ChecksumFileName), Convert.ToHexStringLower(SHA256.HashData(bytes)) + "\n", ct);
    }

    /// <summary>Reads a backup's manifest after checking it against its checksum file.</summary>
    public static async Task<BackupManifest> ReadAsync(string folder, CancellationToken ct)
    {
        var path = Path.Combine(folder, FileName);
        var checksumPath = Path.Combine(folder, ChecksumFileName);
        if (!File.Exists(path) || !File.Exists(checksumPath))
        {
            throw new BackupException($"{folder} is not a finished backup: {FileName} or {ChecksumFileName} is missing.");
        }

        var bytes = await File.ReadAllBytesAsync(path, ct);
        var expected = (await File.ReadAllTextAsync(checksumPath, ct)).Trim();
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupException($"The backup is damaged: {FileName} does not match its checksum in {ChecksumFileName}. Nothing was changed.");
        }

        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(bytes, Json);
        }
        catch (JsonException ex)
        {
            throw new BackupException($"The backup is damaged: {FileName} cannot be read ({ex.Message}). Nothing was changed.");
        }

        if (manifest is null || manifest.Format != CurrentFormat)
        {
            throw new BackupException($"{FileName} is of format {manifest?.Format}; this build reads format {CurrentFormat}.");
        }

        return manifest;
    }

    /// <summary>A file's SHA-256 as lower-case hex, read as a stream.</summary>
    public static async Task<string> ChecksumAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}

/// <summary>One table at the backup's instant: its rows and a digest of their contents in key order.</summary>
public sealed record BackupTable(string Name, long Rows, string Sha256);

/// <summary>One file of the backup, by its path inside the folder ('/' separated).</summary>
public sealed record BackupFile(string Path, long Size, string Sha256);

/// <summary>A backup or restore cannot go ahead, or went wrong; the message says what to do, and nothing was changed.</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);
