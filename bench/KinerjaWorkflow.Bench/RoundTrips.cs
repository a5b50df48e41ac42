using System.Globalization;

namespace KinerjaWorkflow.Bench;

/// <summary>One walk through the service as EF Core sent it: each operation's statements, in order, with their markers.</summary>
internal sealed record ProfiledWalk(Guid InstanceId, IReadOnlyList<(string Kind, IReadOnlyList<CapturedCommand> Commands)> Operations);

/// <summary>
/// The database round trips of one walk through the service, counted from EF Core's own events: how many
/// statements each kind of operation sends and how many transactions it commits. The cost of a command on SQLite
/// is mostly these, so this is the profile to read before changing the command path.
/// </summary>
internal static class RoundTrips
{
    /// <summary>Walks one instance per business key through the service, one after the other, keeping what each sent.</summary>
    public static async Task<IReadOnlyList<ProfiledWalk>> CaptureAsync(ServiceWalker service, params string[] businessKeys)
    {
        using var capture = new CommandCapture(commits: true, ownFlowOnly: true);

        // EF Core checks whether anyone listens to its events at most once a second per context; the pooled
        // contexts must all have seen the listener before the walk starts.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var walks = new List<ProfiledWalk>();
        foreach (var businessKey in businessKeys)
        {
            var operations = new List<(string Kind, IReadOnlyList<CapturedCommand> Commands)>();
            capture.Start();
            var started = await service.StartAsync(businessKey);
            operations.Add(("start instance", capture.Stop()));
            var open = new Queue<OpenTask>(started.Open);
            while (open.TryDequeue(out var task))
            {
                capture.Start();
                var opened = await service.CompleteAsync(task);
                operations.Add(("complete task", capture.Stop()));
                foreach (var next in opened)
                {
                    open.Enqueue(next);
                }
            }

            await service.ExpectEndedAsync(started.Id);
            var instanceId = started.Id;
            walks.Add(new ProfiledWalk(instanceId, operations));
        }

        return walks;
    }

    /// <summary>Prints the profile of one walk and returns the transactions it committed.</summary>
    public static int Print(ProfiledWalk walk, bool sql, TextWriter output)
    {
        var operations = walk.Operations;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine("Round trips of one walk (EF Core commands sent, of which writes; transactions committed; LINQ queries compiled, none once warm):");
        foreach (var kind in operations.GroupBy(o => o.Kind))
        {
            var count = kind.Count();
            output.WriteLine(string.Create(
                c,
                $"  {kind.Key,-16} x{count,-3} {kind.Average(o => o.Commands.Count(s => s.IsStatement)),6:F1} commands, {kind.Average(o => o.Commands.Count(IsWrite)),5:F1} writes, {kind.Average(o => o.Commands.Count(s => s.IsCommit)),4:F1} commits, {kind.Average(o => o.Commands.Count(s => s.IsCompilation)),4:F1} compiled"));
        }

        var commits = operations.Sum(o => o.Commands.Count(s => s.IsCommit));
        output.WriteLine(string.Create(c, $"  {commits} commits in the walk"));
        if (!sql)
        {
            return commits;
        }

        // The second of a kind where there is one: the first read or completion of a walk may differ from the rest.
        foreach (var (kind, commands) in operations.GroupBy(o => o.Kind).Select(g => g.ElementAt(g.Count() > 1 ? 1 : 0)))
        {
            output.WriteLine();
            output.WriteLine($"-- one {kind}:");
            foreach (var command in commands)
            {
                output.WriteLine(command.IsCompilation ? $"-- compiled: {command.Query}" : command.Sql.ReplaceLineEndings(" ") + ";");
            }
        }

        return commits;
    }

    private static bool IsWrite(CapturedCommand command) =>
        command.IsStatement
        && (command.Sql.Contains("INSERT ", StringComparison.Ordinal)
            || command.Sql.Contains("UPDATE ", StringComparison.Ordinal)
            || command.Sql.Contains("DELETE ", StringComparison.Ordinal));
}
