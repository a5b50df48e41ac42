namespace KinerjaWorkflow.Server.Backup;

/// <summary>
/// An operating-system lock on a file (flock on Linux, a share mode on Windows). The kernel drops it with its holder's
/// process however that ends, kill -9 and power cuts included, so unlike a file that merely exists it never outlives
/// a crashed holder. The file itself stays: deleting a lock file another process has just opened would let two
/// holders lock two different files.
/// </summary>
internal static class LockFile
{
    /// <summary>Takes the lock, exclusive or shared with other shared holders; null while someone holds it in a way that excludes this one.</summary>
    public static FileStream? TryTake(string path, bool exclusive)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // Opened for reading: .NET takes a shared lock on every file system only then (not on NFS or SMB for writing).
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, exclusive ? FileShare.None : FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            return null;
        }
    }
}
