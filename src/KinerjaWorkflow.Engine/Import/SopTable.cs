using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Import;

/// <summary>The identity rows written above an SOP table ("Nama SOP", "Nomor SOP") and its "Jumlah" row.</summary>
public sealed record SopTableIdentity(string? Name, string? Number, string? Office, string? StatedTotal);

/// <summary>
/// An SOP table read and checked: its Pelaksana columns (roles, in column order) and one step per row, in
/// step-number order.
/// </summary>
public sealed record SopTable(
    SopTableIdentity Identity,
    IReadOnlyList<string> Roles,
    WaktuUnit? BareWaktuUnit,
    IReadOnlyList<SopTableStep> Steps);

/// <summary>One row of the table: a step, the roles marked in its Pelaksana columns, and where it leads.</summary>
public sealed record SopTableStep(
    int Row,
    int Number,
    string Kegiatan,
    IReadOnlyList<string> Roles,
    string? Kelengkapan,
    string? Waktu,
    string? Output,
    string? Keterangan,
    IReadOnlyList<RouteBranch> Branches)
{
    /// <summary>A decision: the step ends in a gateway with one flow per branch.</summary>
    public bool IsDecision => Branches.Count > 1;
}

public enum BranchKind
{
    /// <summary>"ke langkah 7" alone: the step goes on to another step than the next one.</summary>
    Jump,

    /// <summary>A choice the person makes on completing the step ("Ya", "Setuju", "Dikembalikan").</summary>
    Outcome,

    /// <summary>A condition on the instance's variables ("triwulan == 4"), decided without asking anyone.</summary>
    Condition,

    /// <summary>"Lainnya": taken when no condition of the decision holds.</summary>
    Otherwise,
}

/// <summary>One way out of a step: a label and a step number, or the end of the SOP when <see cref="Target"/> is null.</summary>
public sealed record RouteBranch(BranchKind Kind, string Label, int? Target)
{
    /// <summary>The outcome a person chooses for this branch: the label in lower case.</summary>
    public string Outcome => Label.ToLowerInvariant();
}

/// <summary>A fault in the table, naming the row (as a spreadsheet numbers it) and the column by its header.</summary>
public sealed record TableProblem(int Row, string? Column, string Message);

public sealed record SopTableReading(SopTable? Table, IReadOnlyList<TableProblem> Problems)
{
    public bool IsValid => Table is not null && Problems.Count == 0;
}
