using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Tests.Instances;

/// <summary>
/// A command or a read takes a state kept from before only when the row holds exactly the JSON it was kept with; any
/// other JSON (a racing command's, another node's, a state rewritten in place) is read from the row.
/// </summary>
public sealed class KnownStatesTests
{
    private static readonly Guid InstanceId = Guid.Parse("0193a5f0-0000-7000-8000-000000000001");

    [Fact]
    public void A_row_read_again_with_the_same_json_gives_the_state_read_first()
    {
        using var known = new KnownStates();
        var row = Row(State("SPJ-1"), version: 3);

        var first = known.Of(row);
        var again = known.Of(Row(row.StateJson, version: 3));

        again.Should().BeSameAs(first);
    }

    [Fact]
    public void A_row_holding_the_json_a_command_wrote_gives_that_commands_state()
    {
        using var known = new KnownStates();
        var written = State("SPJ-2");
        var json = known.Write(InstanceId, written);

        known.Of(Row(json, version: 4)).Should().BeSameAs(written);
    }

    [Fact]
    public void A_row_holding_another_commands_json_gives_the_state_in_the_row()
    {
        using var known = new KnownStates();
        known.Write(InstanceId, State("kalah"));
        var winner = Row(State("menang"), version: 4);

        known.Of(winner).BusinessKey.Should().Be("menang");
    }

    [Fact]
    public void A_row_rewritten_in_place_at_the_same_version_gives_the_state_in_the_row()
    {
        using var known = new KnownStates();
        known.Of(Row(State("lama"), version: 5));

        known.Of(Row(State("baru"), version: 5)).BusinessKey.Should().Be("baru");
    }

    private static InstanceState State(string businessKey) => new()
    {
        Id = InstanceId,
        DefinitionKey = "pengajuan-spj",
        BusinessKey = businessKey,
        StartedAt = new DateTimeOffset(2025, 3, 3, 9, 30, 0, TimeSpan.FromHours(8)),
    };

    private static InstanceRecord Row(InstanceState state, long version) =>
        Row(System.Text.Json.JsonSerializer.Serialize(state, InstanceCommandRunner.StateJson), version);

    private static InstanceRecord Row(string stateJson, long version) => new()
    {
        Id = InstanceId,
        DefinitionId = Guid.Empty,
        DefinitionKey = "pengajuan-spj",
        DefinitionVersion = 1,
        OfficeId = "bpkpad-balangan",
        Status = "active",
        StartedAt = new DateTimeOffset(2025, 3, 3, 9, 30, 0, TimeSpan.FromHours(8)),
        StateJson = stateJson,
        Version = version,
    };
}
