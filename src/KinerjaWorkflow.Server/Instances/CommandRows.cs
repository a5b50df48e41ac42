using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>
/// The instance and task rows one command reads, adds and changes, held by the command instead of EF's change tracker.
/// The command knows what it changes, so nothing is snapshotted when a row is read, compared before the save or
/// accepted after it: on a completion's few rows EF's tracking was about a twentieth of a whole instance's CPU
/// (bench/README.md, issue 17). <see cref="TrackedRows"/> writes them with the rows the context does track, in the
/// command's transaction: an instance it read by its columns the engine moves, guarded by the version it was read at,
/// so a racing writer gets a 409; a task by the columns the command named; an added row whole.
/// </summary>
/// <remarks>
/// A task row the request read tracked before the command (a claim reads it to check it) stays EF's: the command
/// changes that one in place, as the request may read it again.
/// </remarks>
public sealed class CommandRows
{
    /// <summary>What a command's engine run changes on an instance's row; the rest is written once, when it starts.</summary>
    private static readonly HashSet<string> EngineColumns =
    [
        nameof(InstanceRecord.StateJson),
        nameof(InstanceRecord.Status),
        nameof(InstanceRecord.EndedAt),
        nameof(InstanceRecord.HasIncident),
        nameof(InstanceRecord.Version),
        nameof(InstanceRecord.AuditSequence),
    ];

    /// <summary>
    /// The same without the status, for a command that leaves the instance as active as it was (most do): SQLite
    /// rewrites every index on a column an UPDATE sets, to the same value too, so setting the status wrote a page of
    /// the instances' (office, status) index at every command, one of a completion's sixteen.
    /// </summary>
    private static readonly HashSet<string> EngineColumnsButStatus = [.. EngineColumns.Where(c => c != nameof(InstanceRecord.Status))];

    private readonly Dictionary<Guid, HeldInstance> _instances = [];
    private readonly Dictionary<Guid, HeldTask> _tasks = [];
    private readonly List<object> _added = [];

    /// <summary>An instance read for the command, to be written if its engine run moves it.</summary>
    public void Read(InstanceRecord instance) => _instances.TryAdd(instance.Id, new HeldInstance(instance, instance.Version, instance.Status));

    /// <summary>An instance the command starts, inserted whole with the values it holds at the save.</summary>
    public void Add(InstanceRecord instance)
    {
        _instances.Add(instance.Id, new HeldInstance(instance, null, null));
        _added.Add(instance);
    }

    /// <summary>The instance the command has read or started, or null.</summary>
    public InstanceRecord? Instance(Guid id) => _instances.GetValueOrDefault(id)?.Row;

    /// <summary>A task read whole for the command, to be written by the columns it changes.</summary>
    public void Read(TaskRecord task) => _tasks.TryAdd(task.Id, new HeldTask(task, Whole: true));

    /// <summary>A task the command opens, inserted whole with the values it holds at the save.</summary>
    public void Add(TaskRecord task)
    {
        _tasks.Add(task.Id, new HeldTask(task, Whole: true) { Added = true });
        _added.Add(task);
    }

    /// <summary>
    /// A task changed by its key alone: <paramref name="stub"/> holds its key and what the engine's state knows, not its
    /// other columns, so only <paramref name="columns"/> are written.
    /// </summary>
    public void AddByKey(TaskRecord stub) => _tasks.Add(stub.Id, new HeldTask(stub, Whole: false));

    /// <summary>Changes a task the command holds and notes the columns to write; false when it holds none with that key.</summary>
    public bool TryChange(Guid taskId, Action<TaskRecord> change, ReadOnlySpan<string> columns)
    {
        if (!_tasks.TryGetValue(taskId, out var held))
        {
            return false;
        }

        change(held.Row);
        foreach (var column in columns)
        {
            held.Columns.Add(column);
        }

        return true;
    }

    /// <summary>A task the command holds with every column as stored or added (not one changed by key alone), or null.</summary>
    public TaskRecord? WholeTask(Guid id) => _tasks.TryGetValue(id, out var held) && held.Whole ? held.Row : null;

    /// <summary>Whether the command changes the task by its key alone, not knowing its other columns.</summary>
    public bool HoldsByKeyOnly(Guid id) => _tasks.TryGetValue(id, out var held) && !held.Whole;

    /// <summary>The rows to insert, in the order the command added them.</summary>
    internal IReadOnlyList<object> Added => _added;

    /// <summary>The rows read or held by key that the command changed, with the columns to write.</summary>
    internal List<RowChange> Changed()
    {
        var changed = new List<RowChange>();
        foreach (var held in _instances.Values)
        {
            if (held.ReadVersion is { } version && held.Row.Version != version)
            {
                changed.Add(new RowChange(held.Row, held.Row.Status == held.ReadStatus ? EngineColumnsButStatus : EngineColumns, version));
            }
        }

        foreach (var held in _tasks.Values)
        {
            if (!held.Added && held.Columns.Count > 0)
            {
                changed.Add(new RowChange(held.Row, held.Columns));
            }
        }

        return changed;
    }

    internal void Clear()
    {
        _instances.Clear();
        _tasks.Clear();
        _added.Clear();
    }

    /// <param name="ReadVersion">The version the row was read at; null for an instance the command starts.</param>
    /// <param name="ReadStatus">The status the row was read with; null for an instance the command starts.</param>
    private sealed record HeldInstance(InstanceRecord Row, long? ReadVersion, string? ReadStatus);

    private sealed record HeldTask(TaskRecord Row, bool Whole)
    {
        public bool Added { get; init; }

        public HashSet<string> Columns { get; } = new(StringComparer.Ordinal);
    }
}
