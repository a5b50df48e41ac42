using System.Text.Json;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Extensions.Caching.Memory;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>
/// Instance states already parsed, so a command or a read of an instance whose stored JSON is the one written or read
/// last takes that state instead of parsing the JSON again: reading the state was about a twentieth of the CPU of a
/// whole instance (bench/README.md, issue 17). Sound on any node: a state is immutable, and one is taken only when the
/// stored JSON is, character for character, the JSON it was read from or written as; a command that lost its race
/// (a 409) left a state no row holds, which therefore never matches. Bounded by states kept; the least recently used
/// go first.
/// </summary>
public sealed class KnownStates : IDisposable
{
    /// <summary>About 8 MB: a whole Bina Marga instance's state is 2,240 characters of JSON (4.4 KB as a string) and 3.6 KB parsed.</summary>
    public const int MaxStates = 1_000;

    private readonly MemoryCache _states = new(new MemoryCacheOptions { SizeLimit = MaxStates });

    /// <summary>The state the instance's row holds.</summary>
    public InstanceState Of(InstanceRecord instance)
    {
        if (_states.TryGetValue(instance.Id, out Known? known)
            && string.Equals(known!.Json, instance.StateJson, StringComparison.Ordinal))
        {
            return known.State;
        }

        var state = JsonSerializer.Deserialize<InstanceState>(instance.StateJson, InstanceCommandRunner.StateJson)
            ?? throw new InvalidOperationException($"Instance {instance.Id} has no state.");
        Remember(instance.Id, instance.StateJson, state);
        return state;
    }

    /// <summary>The JSON the instance's row is to store for the state, remembered with the state.</summary>
    public string Write(Guid instanceId, InstanceState state)
    {
        var json = JsonSerializer.Serialize(state, InstanceCommandRunner.StateJson);
        Remember(instanceId, json, state);
        return json;
    }

    private void Remember(Guid instanceId, string json, InstanceState state)
    {
        using var entry = _states.CreateEntry(instanceId);
        entry.Value = new Known(json, state);
        entry.Size = 1;
    }

    public void Dispose() => _states.Dispose();

    private sealed record Known(string Json, InstanceState State);
}
