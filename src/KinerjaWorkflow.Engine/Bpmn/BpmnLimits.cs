using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>
/// How large and how deep a BPMN file may be. An SOP's file is some 20–40 KB, 250–450 XML elements, at most
/// a few levels deep; these bounds leave room for far larger SOPs while keeping every walk over a file short
/// and every recursion shallow, so no file can exhaust the stack or hold a processor for long.
/// </summary>
public static class BpmnLimits
{
    /// <summary>The file's size in UTF-8 bytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Every XML element in the file, the diagram (BPMNDI) included.</summary>
    public const int MaxElements = 20_000;

    /// <summary>How deeply any XML element may nest, the root being level 1.</summary>
    public const int MaxDepth = 64;

    /// <summary>Flow elements of the executable process in all its scopes: events, tasks, gateways, sub-processes and sequence flows.</summary>
    public const int MaxFlowElements = 2_000;

    /// <summary>Sub-processes within sub-processes; a sub-process directly in the process is level 1.</summary>
    public const int MaxSubProcessNesting = 10;

    /// <summary>Lanes within lanes (childLaneSet); a lane directly in the process's laneSet is level 1.</summary>
    public const int MaxLaneNesting = 10;

    /// <summary>
    /// The outcomes one step offers, declared (sop:step outcomes) or read from the conditions after it. A step
    /// offers two or three; checking each outcome against each condition of the gateway after it must stay short.
    /// </summary>
    public const int MaxOutcomes = 50;

    /// <summary>
    /// The longest Waktu per unit, about five years in each: a step's deadline, or a timer written as Waktu.
    /// Longer ones are typing mistakes, and the calendar cannot count them.
    /// </summary>
    public static readonly IReadOnlyDictionary<WaktuUnit, int> MaxWaktu = new Dictionary<WaktuUnit, int>
    {
        [WaktuUnit.Minute] = 600_000,
        [WaktuUnit.Hour] = 10_000,
        [WaktuUnit.WorkingDay] = 1_250,
        [WaktuUnit.Day] = 1_826,
        [WaktuUnit.Week] = 260,
        [WaktuUnit.Month] = 60,
    };

    /// <summary>The longest ISO 8601 timer duration (timeDuration), counting a month as 31 days: P5Y is the most.</summary>
    public static readonly TimeSpan MaxTimerDuration = TimeSpan.FromDays(1_860);
}
