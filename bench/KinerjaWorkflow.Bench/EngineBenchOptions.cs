using System.Globalization;

namespace KinerjaWorkflow.Bench;

/// <summary>How much work each phase of the engine benchmark does.</summary>
internal sealed record EngineBenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/KinerjaWorkflow.Bench -- engine [options]

          --instances N      instances started in the start phase (default 5000)
          --task-walks N     of those, instances walked to the end with every completion timed through
                             the task service, and as many more through the command runner alone (default 500)
          --walks N          whole instances walked end to end, start included (default 500)
          --engine-walks N   walks in the pure engine, no database: done twice, timed whole and
                             timed per command (default 50000)
          --warmup N         walks through the service before measuring, and 20 times as many in
                             the engine (default 50)
          --durability D     Database:Durability of the service: Full (default) or Normal
          --ceiling N        plain SQLite commits that measure the disk first (default 2000)
          --clients LIST     after the one-client phases, whole instances walked by each number of
                             clients side by side, e.g. 1,2,4,8 (default: none)
          --seconds N        how long each client count walks (default 15)
          --sql              print the SQL statements of one start, one read and one completion
          --keep             keep the temporary folder with the SQLite file
          --no-json          print only; do not write bench/results/engine-<date>.json
        """;

    public int Instances { get; init; } = 5000;
    public int TaskWalks { get; init; } = 500;
    public int Walks { get; init; } = 500;
    public int EngineWalks { get; init; } = 50000;
    public int Warmup { get; init; } = 50;
    public string Durability { get; init; } = "Full";
    public int CeilingCommits { get; init; } = 2000;
    public IReadOnlyList<int> Clients { get; init; } = [];
    public int Seconds { get; init; } = 15;
    public bool Sql { get; init; }
    public bool Keep { get; init; }
    public bool WriteJson { get; init; } = true;

    /// <summary>The options, or null with the reason when the arguments are not understood.</summary>
    public static (EngineBenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new EngineBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--keep":
                    options = options with { Keep = true };
                    continue;
                case "--sql":
                    options = options with { Sql = true };
                    continue;
                case "--no-json":
                    options = options with { WriteJson = false };
                    continue;
                case "--durability" when i + 1 < args.Count:
                    options = options with { Durability = args[++i] };
                    continue;
                case "--clients" when i + 1 < args.Count:
                    var clients = args[++i].Split(',').Select(c => int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
                    if (clients.Any(c => c < 1))
                    {
                        return (null, "--clients takes whole numbers from 1 up, separated by commas, e.g. 1,2,4,8.");
                    }

                    options = options with { Clients = clients };
                    continue;
                case "--instances" or "--task-walks" or "--walks" or "--engine-walks" or "--warmup" or "--ceiling" or "--seconds":
                    break;
                default:
                    return (null, $"Unknown option '{name}'.");
            }

            if (i + 1 >= args.Count
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return (null, $"{name} needs a whole number.");
            }

            i++;
            options = name switch
            {
                "--instances" => options with { Instances = count },
                "--task-walks" => options with { TaskWalks = count },
                "--walks" => options with { Walks = count },
                "--engine-walks" => options with { EngineWalks = count },
                "--ceiling" => options with { CeilingCommits = count },
                "--seconds" => options with { Seconds = count },
                _ => options with { Warmup = count },
            };
        }

        if (options.Instances < 1 || options.Walks < 1 || options.EngineWalks < 1 || options.TaskWalks < 1 || options.CeilingCommits < 1 || options.Seconds < 1)
        {
            return (null, "Every phase needs at least one operation.");
        }

        return 2 * options.TaskWalks > options.Instances
            ? (null, "--task-walks walks twice as many instances of the start phase, so it cannot exceed half of --instances.")
            : (options, null);
    }
}
