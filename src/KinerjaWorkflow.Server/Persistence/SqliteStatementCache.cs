using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// Keeps SQLite's prepared statements between executions. EF Core creates a command for every statement and disposes
/// it afterwards, so SQLite parses and plans the same SQL again each time: most of the time a whole instance's
/// statements take (bench/README.md, the statement floor). This hands EF a <see cref="KeptCommand"/> instead, which
/// runs the statement on a command prepared earlier for the same text on the same connection, and keeps that command,
/// still prepared, when EF disposes it.
/// </summary>
/// <remarks>
/// Prepared statements belong to an open connection, and Microsoft.Data.Sqlite finalizes them when it closes; this
/// pays because <see cref="KeptOpenSqliteConnection"/> keeps each context's connection open. A connection keeps at
/// most <see cref="TextsPerConnection"/> texts, the least recently used going first: texts built per call (an IN list
/// of varying length, a batch of a varying number of rows) would otherwise grow it without end.
/// </remarks>
internal sealed class SqliteStatementCache : DbCommandInterceptor
{
    /// <summary>Distinct SQL texts kept prepared per connection.</summary>
    public const int TextsPerConnection = 256;

    private static readonly ConditionalWeakTable<SqliteConnection, IdleCommands> ByConnection = [];

    public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result) =>
        !result.HasResult && eventData.Connection is SqliteConnection { State: ConnectionState.Open } connection
            ? InterceptionResult<DbCommand>.SuppressWithResult(new KeptCommand(connection, IdleCommandsOf(connection)))
            : result;

    private static IdleCommands IdleCommandsOf(SqliteConnection connection) =>
        ByConnection.GetValue(connection, static c =>
        {
            var idle = new IdleCommands();
            c.StateChange += (_, change) =>
            {
                if (change.CurrentState != ConnectionState.Open)
                {
                    idle.Clear();
                }
            };
            return idle;
        });

    /// <summary>
    /// The prepared commands of one connection that no execution is using, by text, least recently used first. A
    /// connection serves one context at a time, so nothing here is shared between threads.
    /// </summary>
    private sealed class IdleCommands
    {
        private readonly Dictionary<string, LinkedListNode<SqliteCommand>> _byText = new(StringComparer.Ordinal);
        private readonly LinkedList<SqliteCommand> _byUse = new();

        public bool TryTake(string text, [NotNullWhen(true)] out SqliteCommand? command)
        {
            if (_byText.Remove(text, out var node))
            {
                _byUse.Remove(node);
                command = node.Value;
                return true;
            }

            command = null;
            return false;
        }

        public void Keep(SqliteCommand command)
        {
            // Two executions of one text at once (two open readers) each had a command; one prepared copy is enough.
            if (command.Connection?.State != ConnectionState.Open || _byText.ContainsKey(command.CommandText))
            {
                command.Dispose();
                return;
            }

            if (_byText.Count >= TextsPerConnection)
            {
                var oldest = _byUse.First!.Value;
                _byUse.RemoveFirst();
                _byText.Remove(oldest.CommandText);
                oldest.Dispose();
            }

            _byText.Add(command.CommandText, _byUse.AddLast(command));
        }

        public void Clear()
        {
            foreach (var command in _byUse)
            {
                command.Dispose();
            }

            _byUse.Clear();
            _byText.Clear();
        }
    }

    /// <summary>
    /// The command EF Core sees. When EF sets its text, it takes the connection's idle prepared command of that text
    /// (or creates one), runs everything on it, and keeps it for the next execution when EF disposes this.
    /// </summary>
    private sealed class KeptCommand(SqliteConnection connection, IdleCommands idle) : DbCommand
    {
        private SqliteCommand? _inner;
        private bool _disposed;

        private SqliteCommand Inner => _inner ??= connection.CreateCommand();

        [AllowNull]
        public override string CommandText
        {
            get => _inner?.CommandText ?? string.Empty;
            set
            {
                var text = value ?? string.Empty;
                if (_inner?.CommandText == text)
                {
                    return;
                }

                if (!idle.TryTake(text, out var taken))
                {
                    taken = connection.CreateCommand();
                    taken.CommandText = text;
                }

                if (_inner is { } previous)
                {
                    // EF sets the text first; anything set before it moves over to the command of the new text.
                    taken.Transaction = previous.Transaction;
                    taken.CommandTimeout = previous.CommandTimeout;
                    var parameters = previous.Parameters.Cast<SqliteParameter>().ToArray();
                    previous.Parameters.Clear();
                    taken.Parameters.AddRange(parameters);
                    Release(previous);
                }

                _inner = taken;
            }
        }

        public override int CommandTimeout { get => Inner.CommandTimeout; set => Inner.CommandTimeout = value; }

        public override CommandType CommandType { get => Inner.CommandType; set => Inner.CommandType = value; }

        public override bool DesignTimeVisible { get => Inner.DesignTimeVisible; set => Inner.DesignTimeVisible = value; }

        public override UpdateRowSource UpdatedRowSource { get => Inner.UpdatedRowSource; set => Inner.UpdatedRowSource = value; }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set
            {
                if (!ReferenceEquals(value, connection))
                {
                    throw new InvalidOperationException("A kept SQLite command runs only on the connection it was created for.");
                }
            }
        }

        protected override DbParameterCollection DbParameterCollection => Inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => Inner.Transaction;
            set => Inner.Transaction = (SqliteTransaction?)value;
        }

        public override void Cancel() => Inner.Cancel();

        public override int ExecuteNonQuery() => Inner.ExecuteNonQuery();

        public override object? ExecuteScalar() => Inner.ExecuteScalar();

        public override void Prepare() => Inner.Prepare();

        protected override DbParameter CreateDbParameter() => Inner.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Inner.ExecuteReader(behavior);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed && _inner is { } inner)
            {
                Release(inner);
                _inner = null;
            }

            _disposed = true;
            base.Dispose(disposing);
        }

        /// <summary>Keeps the command for the next execution of its text, with nothing of this one left on it.</summary>
        private void Release(SqliteCommand command)
        {
            command.Parameters.Clear();
            command.Transaction = null;
            command.CommandTimeout = connection.DefaultTimeout;
            if (command.CommandText.Length == 0)
            {
                command.Dispose();
            }
            else
            {
                idle.Keep(command);
            }
        }
    }
}
