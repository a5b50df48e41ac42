using System.Buffers.Binary;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>
/// A position in the inbox order: by deadline (tasks without one last), then creation, then id. A page
/// continues strictly after the last task of the previous one, so tasks created or completed meanwhile
/// neither repeat nor push others off the page, as an offset would.
/// </summary>
public sealed record TaskCursor(DateTimeOffset? DueAt, DateTimeOffset CreatedAt, Guid Id)
{
    private const byte FormatVersion = 1;
    private const int Length = 1 + 1 + 8 + 8 + 16;

    public static TaskCursor After(TaskRecord task) => new(task.DueAt, task.CreatedAt, task.Id);

    /// <summary>URL-safe base64 of the position; clients pass it back as it is.</summary>
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = FormatVersion;
        bytes[1] = DueAt is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt64BigEndian(bytes[2..], DueAt?.ToUnixTimeMilliseconds() ?? 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes[10..], CreatedAt.ToUnixTimeMilliseconds());
        Id.TryWriteBytes(bytes[18..], bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static TaskCursor Decode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (text.Length > 64
            || !Convert.TryFromBase64String(base64, bytes, out var written)
            || written != Length
            || bytes[0] != FormatVersion
            || bytes[1] > 1)
        {
            throw new InvalidRequestError("cursor tidak valid: gunakan nilai nextCursor dari halaman sebelumnya apa adanya.");
        }

        DateTimeOffset? due = bytes[1] == 1 ? FromMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes[2..])) : null;
        return new TaskCursor(due, FromMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes[10..])), new Guid(bytes[18..Length], bigEndian: true));
    }

    private static DateTimeOffset FromMilliseconds(long ms) =>
        ms is >= -62_135_596_800_000 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new InvalidRequestError("cursor tidak valid: gunakan nilai nextCursor dari halaman sebelumnya apa adanya.");
}

/// <summary>
/// The inbox order in memory, as the database orders it: the id compares as its canonical text, which is
/// how SQLite orders the TEXT column and PostgreSQL the uuid (byte order of the same hex digits).
/// </summary>
internal sealed class TaskOrder : IComparer<TaskRecord>
{
    public static readonly TaskOrder Instance = new();

    public int Compare(TaskRecord? x, TaskRecord? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Compare((x.DueAt, x.CreatedAt, x.Id), (y.DueAt, y.CreatedAt, y.Id));
    }

    /// <summary>Whether the task comes strictly after the cursor's position.</summary>
    public static bool IsAfter(TaskRecord task, TaskCursor position) =>
        Compare((task.DueAt, task.CreatedAt, task.Id), (position.DueAt, position.CreatedAt, position.Id)) > 0;

    private static int Compare((DateTimeOffset? DueAt, DateTimeOffset CreatedAt, Guid Id) x, (DateTimeOffset? DueAt, DateTimeOffset CreatedAt, Guid Id) y)
    {
        var byDue = (x.DueAt, y.DueAt) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            ({ } a, { } b) => a.CompareTo(b),
        };
        if (byDue != 0)
        {
            return byDue;
        }

        var byCreation = x.CreatedAt.CompareTo(y.CreatedAt);
        return byCreation != 0
            ? byCreation
            : string.CompareOrdinal(x.Id.ToString("D").ToUpperInvariant(), y.Id.ToString("D").ToUpperInvariant());
    }
}
