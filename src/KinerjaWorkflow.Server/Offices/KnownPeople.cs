using System.Collections.Concurrent;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// People's labels as read at one people stamp (<see cref="PeopleNames.StampSetting"/>), shared by the requests of this
/// process: a completion's answer names the person who completed the step before, the same few people step after
/// step, and that lookup was the largest single statement left in a completion (bench/README.md, issue 17). Every
/// change to a person's name, office or roles writes a new stamp with it, so a request that read the stamp with its own
/// rows may answer from the labels read at that stamp; one that read another stamp starts them afresh.
/// </summary>
/// <remarks>
/// Labels read after the stamp are as new as the stamp or newer, never older, so keeping them under it is safe.
/// Only people the office knows are kept; a username it does not know is asked for again.
/// </remarks>
public sealed class KnownPeople
{
    /// <summary>More people than any office has: beyond it the labels start afresh rather than grow without end.</summary>
    private const int MostKept = 20_000;

    private volatile AtStamp _current = new(null);

    /// <summary>The labels kept at <paramref name="stamp"/>, empty when another stamp's were kept until now.</summary>
    internal ConcurrentDictionary<(string OfficeId, string UserName), string> At(string? stamp)
    {
        var current = _current;
        if (current.Stamp != stamp || current.Labels.Count >= MostKept)
        {
            current = new AtStamp(stamp);
            _current = current;
        }

        return current.Labels;
    }

    private sealed class AtStamp(string? stamp)
    {
        public string? Stamp { get; } = stamp;

        public ConcurrentDictionary<(string OfficeId, string UserName), string> Labels { get; } = new();
    }
}
