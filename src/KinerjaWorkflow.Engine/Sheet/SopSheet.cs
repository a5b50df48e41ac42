using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Sheet;

/// <summary>
/// The SOP-AP sheet of PermenPAN-RB 35/2012 (the identity header, then the table of steps with a column per
/// Pelaksana, the flowchart symbol of each step, Mutu Baku and Keterangan), drawn from the process model the
/// engine runs, so the printed SOP and the running workflow cannot disagree.
/// </summary>
/// <param name="Pelaksana">The role columns, in lane order; roles named only by candidate groups follow.</param>
/// <param name="Rows">One row per human task, in step-number order.</param>
public sealed record SopSheet(
    string Key,
    string? Name,
    SopIdentity? Identity,
    IReadOnlyList<string> Pelaksana,
    IReadOnlyList<SheetRow> Rows);

/// <summary>The flowchart symbols of the SOP-AP table.</summary>
public enum SheetSymbol
{
    /// <summary>The rounded terminator: the first and the last step.</summary>
    Terminator,

    /// <summary>The process box: a step that hands over to one next step.</summary>
    Process,

    /// <summary>The diamond: a step whose result chooses the way on (followed by an exclusive or inclusive gateway).</summary>
    Decision,
}

/// <summary>One step of the SOP table.</summary>
/// <param name="StepId">The task's element id.</param>
/// <param name="No">The step number as the SOP writes it (sop:step nomor); the row's position when the step has none.</param>
/// <param name="Kegiatan">The Uraian Kegiatan: the task's documentation, else its name.</param>
/// <param name="Name">The task's short name as the diagram shows it.</param>
/// <param name="Columns">
/// Indexes into <see cref="SopSheet.Pelaksana"/> of the roles that do the step; the first holds the symbol (the
/// lane's role when it is one of them), the others take part.
/// </param>
/// <param name="ForEach">
/// The collection variable a multi-instance step (or the sub-process around it) runs over, one task per item; or
/// its fixed count.
/// </param>
/// <param name="Next">Where the step goes on, one entry per way, in the order the BPMN writes the flows.</param>
public sealed record SheetRow(
    string StepId,
    int No,
    string Kegiatan,
    string Name,
    IReadOnlyList<int> Columns,
    SheetSymbol Symbol,
    string? Kelengkapan,
    string? Waktu,
    string? Output,
    string? Keterangan,
    string? ForEach,
    IReadOnlyList<SheetConnection> Next);

/// <summary>One way out of a step: to another row of the sheet or to the end of the SOP.</summary>
/// <param name="ToRow">The index in <see cref="SopSheet.Rows"/> of the step it reaches; null when it reaches the end.</param>
/// <param name="ToStepId">The element id of that step; null at the end.</param>
/// <param name="ToNo">That step's number; null at the end.</param>
/// <param name="Label">The name of the flow taken (e.g. "Dikembalikan"); else the outcome; null on a plain hand-over.</param>
/// <param name="Outcome">The outcome a person chooses to take this way (from an <c>outcome == "…"</c> condition), or null.</param>
/// <param name="Back">True when it returns to this step or an earlier one: a loop.</param>
public sealed record SheetConnection(
    int? ToRow,
    string? ToStepId,
    int? ToNo,
    string? Label,
    string? Outcome,
    bool Back)
{
    public bool ToEnd => ToRow is null;
}
