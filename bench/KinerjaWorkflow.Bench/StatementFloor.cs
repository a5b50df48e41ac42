using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Data.Sqlite;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// What the SQL of one whole instance costs with no ORM and no service code around it: the statements EF Core sent
/// for one profiled walk (start, reads, completions), with the same text and parameter values, in the same
/// transactions and savepoints, replayed as plain ADO.NET commands on one open connection with the service's
/// connection settings, on a copy of the service's database. Each statement is either created afresh (as EF does,
/// so SQLite prepares it every time) or prepared once and reused.
/// </summary>
/// <remarks>
/// Every replay must write a new instance, or its inserts would collide with the profiled one's rows. Two walks are
/// profiled back to back; an id or a text that one sends and the other never does belongs to its instance (the ids the
/// service generated, the business key), every other value (the definition, the office, the users, the times) is
/// replayed as captured. Each replay gives the instance's own values fresh ones, inside the JSON texts too, so it commits a whole
/// new instance into a database that grows as the service's does, with the same WAL reused. Rolling each transaction
/// back instead would leave out the commit, the one cost the disk imposes; replaying into a new copy of the file each
/// time would start a new WAL whose every commit grows the file, a cost the service does not pay.
/// </remarks>
internal sealed partial class StatementFloor
{
    /// <summary>The phase of a whole instance's statements each created afresh, as EF Core creates them.</summary>
    public const string FreshPhase = "floor: instance, fresh";

    /// <summary>The phase of a whole instance's statements each prepared once and reused.</summary>
    public const string PreparedPhase = "floor: instance, prepared";

    /// <summary>The name EF Core gives the savepoint it sets before a save inside a transaction.</summary>
    private const string SavepointName = "__EFSavePoint";

    private readonly IReadOnlyList<CapturedCommand> _steps;
    private readonly IReadOnlyList<Guid> _ownIds;
    private readonly IReadOnlyList<string> _ownTexts;
    private readonly Guid _instanceId;

    private StatementFloor(IReadOnlyList<CapturedCommand> steps, IReadOnlyList<Guid> ownIds, IReadOnlyList<string> ownTexts, Guid instanceId)
    {
        _steps = steps;
        _ownIds = ownIds;
        _ownTexts = ownTexts;
        _instanceId = instanceId;
    }

    /// <summary>Statements sent per whole instance.</summary>
    public int Statements => _steps.Count(s => s.IsStatement);

    /// <summary>The texts of the instance's own that carry no id (its business key), given a fresh suffix at each replay.</summary>
    public IReadOnlyList<string> OwnTexts => _ownTexts;

    /// <summary>The rows a replay left for its instance, the same as the profiled walk's, once measured.</summary>
    public string? Checked { get; private set; }

    /// <summary>
    /// Where the replays' time went, by kind of statement ("SELECT tasks", "COMMIT"): how many a whole instance
    /// sends, and their milliseconds per whole instance created afresh and prepared once, most first. Filled by
    /// <see cref="Measure"/>.
    /// </summary>
    public IReadOnlyList<(string Kind, int PerInstance, double FreshMs, double PreparedMs)> Breakdown { get; private set; } = [];

    /// <summary>Transactions committed per whole instance.</summary>
    public int Commits => _steps.Count(s => s.IsCommit);

    /// <summary>
    /// The replay of <paramref name="walk"/>, told apart from <paramref name="twin"/> (the same walk on another
    /// instance, right after it): an id or a text that <paramref name="walk"/> sends and the twin never does is the
    /// instance's own. Told by value, not by position: the rows of one save come in the order of their random keys.
    /// </summary>
    public static StatementFloor Of(ProfiledWalk walk, ProfiledWalk twin)
    {
        var steps = Replayable(walk);
        var twinSteps = Replayable(twin);
        var differ = Enumerable.Range(0, Math.Max(steps.Count, twinSteps.Count))
            .FirstOrDefault(i => i >= steps.Count || i >= twinSteps.Count || steps[i].Sql != twinSteps[i].Sql, -1);
        if (differ >= 0)
        {
            throw new InvalidOperationException(
                $"Two walks of the same SOP sent {steps.Count} and {twinSteps.Count} statements and markers, first differing at {differ}: "
                + $"{steps.ElementAtOrDefault(differ)?.Sql} / {twinSteps.ElementAtOrDefault(differ)?.Sql}; the replay needs one shape.");
        }

        var (ids, texts) = Values(steps);
        var (twinIds, twinTexts) = Values(twinSteps);
        ids.ExceptWith(twinIds);
        texts.ExceptWith(twinTexts);

        // A text of the instance's own with no id in it is its business key; a short one (a number, a status) would be
        // replaced inside other texts where it is not the instance's.
        var ownTexts = texts.Where(t => !GuidText().IsMatch(t)).ToList();
        if (ownTexts.FirstOrDefault(t => t.Length < 8) is { } shortText)
        {
            throw new InvalidOperationException($"'{shortText}' is sent by one walk and not by the other, and is too short to replace safely.");
        }

        return ids.Contains(walk.InstanceId)
            ? new StatementFloor(steps, [.. ids], [.. ownTexts.OrderByDescending(t => t.Length)], walk.InstanceId)
            : throw new InvalidOperationException($"The instance id {walk.InstanceId} was not among the values one walk sends and the other does not.");
    }

    /// <summary>
    /// Copies the service's database, replays one whole instance <paramref name="walks"/> times with statements
    /// created afresh and as many times with statements prepared once, in turn, and checks that the first replay of
    /// each left the same rows as the profiled walk.
    /// </summary>
    public IReadOnlyList<PhaseResult> Measure(string folder, string serviceFile, DatabaseSettings service, int walks)
    {
        var path = Path.Combine(folder, "floor.db");
        using (var source = new SqliteConnection($"Data Source={serviceFile};Mode=ReadOnly;Pooling=False"))
        using (var copy = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            source.Open();
            copy.Open();
            source.BackupDatabase(copy);
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, SqliteConnectionSetup.Pragmas(service.BusyTimeoutMilliseconds, service.Durability));

        var prepared = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
        foreach (var step in _steps.Where(s => s.IsStatement && !prepared.ContainsKey(s.Sql)))
        {
            var command = connection.CreateCommand();
            command.CommandText = step.Sql;
            foreach (var parameter in step.Parameters)
            {
                command.Parameters.Add(NewParameter(parameter, null));
            }

            command.Prepare();
            prepared.Add(step.Sql, command);
        }

        try
        {
            var fresh = new OperationLog(FreshPhase, "instances");
            var reused = new OperationLog(PreparedPhase, "instances");
            var ticks = (Fresh: new long[_steps.Count], Prepared: new long[_steps.Count]);
            const int warmup = 10;
            for (var i = -warmup; i < walks; i++)
            {
                foreach (var (log, commands) in new[] { (fresh, (Dictionary<string, SqliteCommand>?)null), (reused, prepared) })
                {
                    var (instanceId, values) = FreshValues();
                    if (i >= 0)
                    {
                        log.Time(() => Replay(connection, values, commands, commands is null ? ticks.Fresh : ticks.Prepared));
                    }
                    else
                    {
                        Replay(connection, values, commands, null);
                        if (i == -warmup)
                        {
                            Checked = CheckSameRows(connection, instanceId);
                        }
                    }
                }
            }

            double Ms(long sum) => sum * 1000.0 / Stopwatch.Frequency / walks;
            Breakdown = [.. _steps.Select((step, i) => (Kind: KindOf(step.Sql), Index: i))
                .GroupBy(s => s.Kind)
                .Select(g => (g.Key, g.Count(), Ms(g.Sum(s => ticks.Fresh[s.Index])), Ms(g.Sum(s => ticks.Prepared[s.Index]))))
                .OrderByDescending(k => k.Item3)];
            return [fresh.Result(), reused.Result()];
        }
        finally
        {
            foreach (var command in prepared.Values)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>The walk's statements and transaction markers; the compilation markers are EF's own work, not SQL.</summary>
    private static List<CapturedCommand> Replayable(ProfiledWalk walk) =>
        [.. walk.Operations.SelectMany(o => o.Commands).Where(c => !c.IsCompilation)];

    /// <summary>Every id (a Guid, or one written in a text) and every text the statements send.</summary>
    private static (HashSet<Guid> Ids, HashSet<string> Texts) Values(IEnumerable<CapturedCommand> steps)
    {
        var ids = new HashSet<Guid>();
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in steps.SelectMany(s => s.Parameters).Select(p => p.Value))
        {
            switch (value)
            {
                case Guid id:
                    ids.Add(id);
                    break;
                case string text:
                    texts.Add(text);
                    foreach (Match match in GuidText().Matches(text))
                    {
                        ids.Add(Guid.Parse(match.Value));
                    }

                    break;
            }
        }

        return (ids, texts);
    }

    /// <summary>The parameter values of one replay: the instance's own ids and texts fresh, everything else as captured.</summary>
    private (Guid InstanceId, object?[][] Values) FreshValues()
    {
        var ids = _ownIds.ToDictionary(id => id, _ => Guid.NewGuid());
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var values = new object?[_steps.Count][];
        for (var i = 0; i < _steps.Count; i++)
        {
            var parameters = _steps[i].Parameters;
            values[i] = new object?[parameters.Count];
            for (var p = 0; p < parameters.Count; p++)
            {
                var value = parameters[p].Value;
                values[i][p] = value switch
                {
                    Guid id => ids.GetValueOrDefault(id, id),
                    string text => Replace(text, ids, suffix),
                    _ => value,
                };
            }
        }

        return (ids[_instanceId], values);
    }

    private string Replace(string text, Dictionary<Guid, Guid> ids, string suffix)
    {
        var replaced = GuidText().Replace(text, m => ids.TryGetValue(Guid.Parse(m.Value), out var fresh) ? Reformat(m.Value, fresh) : m.Value);
        foreach (var own in _ownTexts)
        {
            replaced = replaced.Replace(own, $"{own}-{suffix}", StringComparison.Ordinal);
        }

        return replaced;
    }

    /// <summary>A fresh id written as the captured one was: upper or lower case.</summary>
    private static string Reformat(string captured, Guid fresh) =>
        captured.Any(char.IsUpper) ? fresh.ToString().ToUpperInvariant() : fresh.ToString();

    /// <param name="ticks">When given, each step's time is added to its element.</param>
    private int Replay(SqliteConnection connection, object?[][] values, Dictionary<string, SqliteCommand>? prepared, long[]? ticks)
    {
        SqliteTransaction? transaction = null;
        for (var i = 0; i < _steps.Count; i++)
        {
            var started = ticks is null ? 0 : Stopwatch.GetTimestamp();
            ReplayStep(connection, values, prepared, i, ref transaction);
            if (ticks is not null)
            {
                ticks[i] += Stopwatch.GetTimestamp() - started;
            }
        }

        return transaction is null ? 0 : throw new InvalidOperationException("The replayed walk left a transaction open.");
    }

    private void ReplayStep(SqliteConnection connection, object?[][] values, Dictionary<string, SqliteCommand>? prepared, int i, ref SqliteTransaction? transaction)
    {
        var step = _steps[i];
        switch (step.Sql)
        {
            case var sql when ReferenceEquals(sql, CapturedCommand.Begin):
                transaction = connection.BeginTransaction();
                return;
            case var sql when ReferenceEquals(sql, CapturedCommand.Savepoint):
                transaction!.Save(SavepointName);
                return;
            case var sql when ReferenceEquals(sql, CapturedCommand.ReleaseSavepoint):
                transaction!.Release(SavepointName);
                return;
            case var sql when ReferenceEquals(sql, CapturedCommand.Commit):
                transaction!.Commit();
                transaction.Dispose();
                transaction = null;
                return;
        }

        if (prepared is null)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = step.Sql;
            for (var p = 0; p < step.Parameters.Count; p++)
            {
                command.Parameters.Add(NewParameter(step.Parameters[p], values[i][p]));
            }

            ReadAll(command);
        }
        else
        {
            var command = prepared[step.Sql];
            command.Transaction = transaction;
            for (var p = 0; p < step.Parameters.Count; p++)
            {
                command.Parameters[p].Value = values[i][p] ?? DBNull.Value;
            }

            ReadAll(command);
        }
    }

    /// <summary>"SELECT tasks", "INSERT audit_entries", "BEGIN": the verb and the first table a statement names.</summary>
    private static string KindOf(string sql)
    {
        if (ReferenceEquals(sql, CapturedCommand.Begin))
        {
            return "BEGIN";
        }

        if (ReferenceEquals(sql, CapturedCommand.Commit))
        {
            return "COMMIT";
        }

        if (ReferenceEquals(sql, CapturedCommand.Savepoint) || ReferenceEquals(sql, CapturedCommand.ReleaseSavepoint))
        {
            return "SAVEPOINT";
        }

        var verb = sql.TrimStart().Split(' ', 2)[0].ToUpperInvariant();
        var table = TableName().Match(sql);
        return table.Success ? $"{verb} {table.Groups[1].Value}" : verb;
    }

    private static SqliteParameter NewParameter(CapturedParameter captured, object? value)
    {
        var parameter = new SqliteParameter { ParameterName = captured.Name, Value = value ?? DBNull.Value };
        if (captured.Type is { } type)
        {
            parameter.SqliteType = type;
        }

        return parameter;
    }

    /// <summary>Runs the statement and reads every value of every row it returns, as a reader of its answer must.</summary>
    private static void ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        do
        {
            while (reader.Read())
            {
                for (var field = 0; field < reader.FieldCount; field++)
                {
                    _ = reader.GetValue(field);
                }
            }
        }
        while (reader.NextResult());
    }

    /// <summary>
    /// The replayed instance has as many rows in every table that names an instance as the profiled one, and ended
    /// in the same status at the same version: the replay did the walk's work, not a part of it.
    /// </summary>
    private string CheckSameRows(SqliteConnection connection, Guid replayed)
    {
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'instance_id' ORDER BY m.name;";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var queries = tables.Select(t => $"SELECT '{t}', count(*) FROM \"{t}\" WHERE instance_id = $id")
            .Append("SELECT 'instances', status || ' v' || version FROM instances WHERE id = $id");
        string Rows(Guid instanceId)
        {
            using var command = connection.CreateCommand();
            command.CommandText = string.Join(" UNION ALL ", queries) + ";";
            command.Parameters.Add(new SqliteParameter("$id", SqliteType.Text) { Value = instanceId.ToString().ToUpperInvariant() });
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)} {reader.GetValue(1)}"));
            }

            return string.Join(", ", rows);
        }

        var (profiled, copy) = (Rows(_instanceId), Rows(replayed));
        if (profiled != copy || !profiled.Contains("instances ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The replayed instance does not match the profiled one: {copy} against {profiled}.");
        }

        return copy;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [GeneratedRegex("(?:FROM|INTO|UPDATE)\\s+\"([a-z_]+)\"")]
    private static partial Regex TableName();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidText();
}
