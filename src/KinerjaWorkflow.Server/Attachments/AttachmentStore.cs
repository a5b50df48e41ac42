using System.Security.Cryptography;
using KinerjaWorkflow.Server.Errors;

namespace KinerjaWorkflow.Server.Attachments;

/// <summary>
/// Documents on disk, content-addressed: a document is stored once under its SHA-256 (ab/abcdef...), which is
/// also its checksum, verified again on every download. Uploads are written to a staging folder first and
/// moved into place only once accepted, so a refused upload leaves nothing behind.
/// </summary>
public sealed class AttachmentStore(string root, ILogger<AttachmentStore> logger)
{
    private const int HeaderLength = 16;

    public string Root { get; } = root;

    /// <summary>Copies the upload to the staging folder, hashing and counting as it goes; over the limit is a 413.</summary>
    public async Task<StagedFile> StageAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var staging = Path.Combine(Root, "staging");
        Directory.CreateDirectory(staging);
        var path = Path.Combine(staging, Guid.NewGuid().ToString("N"));
        var header = new byte[HeaderLength];
        var headerLength = 0;
        long size = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw AttachmentProblems.TooLarge(maxBytes);
                    }

                    if (headerLength < HeaderLength)
                    {
                        var take = Math.Min(read, HeaderLength - headerLength);
                        buffer.AsSpan(0, take).CopyTo(header.AsSpan(headerLength));
                        headerLength += take;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }

            return new StagedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size, header.AsSpan(0, headerLength).ToArray());
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Moves an accepted upload into place. Content already stored intact is kept; a damaged copy is replaced.</summary>
    public async Task CommitAsync(StagedFile staged, CancellationToken ct)
    {
        var target = PathOf(staged.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            if (await HashOfAsync(target, ct) == staged.Sha256)
            {
                return;
            }

            logger.LogWarning("Stored attachment {Sha256} was damaged; replacing it with a fresh upload", staged.Sha256);
        }

        File.Move(staged.Path, target, overwrite: true);
        staged.Committed = true;
    }

    /// <summary>Opens a stored document after checking it still has the content its name promises.</summary>
    public async Task<Stream> OpenVerifiedAsync(string sha256, CancellationToken ct)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            logger.LogError("Attachment {Sha256} is missing from {Root}", sha256, Root);
            throw AttachmentProblems.Damaged();
        }

        if (await HashOfAsync(path, ct) != sha256)
        {
            logger.LogError("Attachment {Sha256} in {Root} failed its checksum", sha256, Root);
            throw AttachmentProblems.Damaged();
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
    }

    public void Delete(string sha256)
    {
        File.Delete(PathOf(sha256));
        logger.LogInformation("Deleted attachment content {Sha256}: no document refers to it any more", sha256);
    }

    public string PathOf(string sha256) => Path.Combine(Root, sha256[..2], sha256);

    private static async Task<string> HashOfAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}

/// <summary>An upload in the staging folder; deleted on dispose unless it was committed.</summary>
public sealed class StagedFile(string path, string sha256, long size, byte[] header) : IDisposable
{
    public string Path { get; } = path;
    public string Sha256 { get; } = sha256;
    public long Size { get; } = size;

    /// <summary>The first bytes, where the file formats put their signatures.</summary>
    public byte[] Header { get; } = header;

    internal bool Committed { get; set; }

    public void Dispose()
    {
        if (!Committed)
        {
            File.Delete(Path);
        }
    }
}

internal static class AttachmentProblems
{
    public static TooLargeError TooLarge(long maxBytes) => new(
        "Berkas terlalu besar",
        $"Berkas melebihi batas {maxBytes / (1024.0 * 1024.0):0.#} MB.");

    public static UnsupportedContentError Unsupported(string detail) =>
        new("Jenis berkas tidak diizinkan", detail);

    public static DamagedContentError Damaged() => new(
        "Berkas rusak",
        "Berkas lampiran ini tidak lagi sesuai dengan checksum-nya atau hilang dari penyimpanan. Hubungi admin.");
}
