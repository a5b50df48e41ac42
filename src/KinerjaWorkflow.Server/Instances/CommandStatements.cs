namespace KinerjaWorkflow.Server.Instances;

/// <summary>
/// Statements a command's effects need that change rows without loading them (a set-based update): the runner runs
/// them in the command's own transaction just before it saves the tracked changes, so they commit with the command
/// or not at all, and drops them when the command fails.
/// </summary>
public sealed class CommandStatements
{
    private readonly List<Func<CancellationToken, Task>> _pending = [];

    public void Add(Func<CancellationToken, Task> statement) => _pending.Add(statement);

    internal async Task RunAsync(CancellationToken ct)
    {
        foreach (var statement in _pending)
        {
            await statement(ct);
        }
    }

    internal void Clear() => _pending.Clear();
}
