namespace KinerjaWorkflow.Engine.Model;

/// <summary>
/// An immutable, linked process graph built from one BPMN file's executable process. Built once at deploy
/// time and shared by every instance of that definition version.
/// </summary>
public sealed class ProcessModel
{
    private readonly Dictionary<string, FlowNode> _allNodes;
    private readonly Dictionary<string, SequenceFlow> _allFlows;

    internal ProcessModel(
        string key,
        string? name,
        Scope root,
        IReadOnlyList<Lane> lanes,
        SopIdentity? identity,
        string? waktuSatuan,
        IReadOnlyList<string>? writtenStarterRoles,
        Dictionary<string, FlowNode> allNodes,
        Dictionary<string, SequenceFlow> allFlows)
    {
        Key = key;
        Name = name;
        Root = root;
        Lanes = lanes;
        Identity = identity;
        WaktuSatuan = waktuSatuan;
        WrittenStarterRoles = writtenStarterRoles;
        _allNodes = allNodes;
        _allFlows = allFlows;
    }

    /// <summary>The process id: the definition key used by the API.</summary>
    public string Key { get; }
    public string? Name { get; }
    public Scope Root { get; }
    public IReadOnlyList<Lane> Lanes { get; }
    public SopIdentity? Identity { get; }

    /// <summary>
    /// The unit a bare-number Waktu is in, as the SOP's column header names it (seed 001: "Waktu (Menit)").
    /// </summary>
    public string? WaktuSatuan { get; }

    /// <summary>
    /// The roles <c>sop:starterRoles</c> names as the ones that may start the SOP; null when the file names
    /// none, and then <see cref="Starters"/> takes the roles of the first step.
    /// </summary>
    public IReadOnlyList<string>? WrittenStarterRoles { get; }

    /// <summary>Every node, in every scope, by id.</summary>
    public IReadOnlyDictionary<string, FlowNode> Nodes => _allNodes;

    /// <summary>Every sequence flow, in every scope, by id.</summary>
    public IReadOnlyDictionary<string, SequenceFlow> Flows => _allFlows;

    public IEnumerable<HumanTask> HumanTasks => _allNodes.Values.OfType<HumanTask>();

    /// <summary>Every role named by a lane or a candidate group.</summary>
    public IReadOnlySet<string> Roles =>
        Lanes.Select(l => l.Role)
            .Concat(HumanTasks.SelectMany(t => t.CandidateGroups))
            .ToHashSet(StringComparer.Ordinal);

    public FlowNode Node(string id) =>
        _allNodes.TryGetValue(id, out var node)
            ? node
            : throw new KeyNotFoundException($"The process '{Key}' has no element '{id}'.");
}

/// <summary>A lane: its name is the role (Pelaksana) that does the tasks in it.</summary>
public sealed record Lane(string Id, string Role, IReadOnlyList<string> NodeIds);

/// <summary>
/// The identity block of an SOP, when the file carries it: the SOP-AP header of PermenPAN-RB 35/2012, as written.
/// </summary>
public sealed record SopIdentity(
    string? Number,
    string? Title,
    string? Office,
    string? ApprovedBy,
    string? EffectiveDate,
    string? StatedTotal)
{
    /// <summary>Tanggal Pembuatan, as written.</summary>
    public string? MadeDate { get; init; }

    /// <summary>Tanggal Revisi, as written; null when the SOP was never revised.</summary>
    public string? RevisionDate { get; init; }

    /// <summary>Dasar Hukum, one item per entry.</summary>
    public IReadOnlyList<string> LegalBasis { get; init; } = [];

    /// <summary>Kualifikasi Pelaksana.</summary>
    public IReadOnlyList<string> Qualifications { get; init; } = [];

    /// <summary>Keterkaitan: the related SOPs.</summary>
    public IReadOnlyList<string> RelatedProcedures { get; init; } = [];

    /// <summary>Peralatan/Perlengkapan.</summary>
    public IReadOnlyList<string> Equipment { get; init; } = [];

    /// <summary>Peringatan: what happens when the SOP is not followed.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Pencatatan dan Pendataan.</summary>
    public IReadOnlyList<string> RecordKeeping { get; init; } = [];

    /// <summary>Two headers are equal when every field and every list item is, as a record's values are.</summary>
    public bool Equals(SopIdentity? other) =>
        other is not null
        && (Number, Title, Office, ApprovedBy, EffectiveDate, StatedTotal, MadeDate, RevisionDate)
            == (other.Number, other.Title, other.Office, other.ApprovedBy, other.EffectiveDate, other.StatedTotal, other.MadeDate, other.RevisionDate)
        && LegalBasis.SequenceEqual(other.LegalBasis)
        && Qualifications.SequenceEqual(other.Qualifications)
        && RelatedProcedures.SequenceEqual(other.RelatedProcedures)
        && Equipment.SequenceEqual(other.Equipment)
        && Warnings.SequenceEqual(other.Warnings)
        && RecordKeeping.SequenceEqual(other.RecordKeeping);

    public override int GetHashCode() => HashCode.Combine(Number, Title, Office, ApprovedBy, EffectiveDate, MadeDate, RevisionDate);
}
