using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>
/// Stands in for an element outside the supported subset, so the rest of the graph stays connected and the
/// validator reports the author's other mistakes instead of a cascade of broken links. A model holding one
/// always carries an error, so it never reaches the runtime.
/// </summary>
internal sealed class UnsupportedNode : FlowNode
{
    /// <summary>The host of an unsupported boundary event, so the event counts as reachable with it.</summary>
    public string? AttachedToId { get; init; }

    public bool IsStart => ElementType == "startEvent";

    public bool IsEnd => ElementType == "endEvent";
}
