using System.Xml.Linq;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>The XML namespaces a definition is read from; prefixes vary between modelers, URIs do not.</summary>
internal static class BpmnNames
{
    /// <summary>The BPMN model (semantic) namespace, which bpmn-js writes as bpmn: and older tools as semantic:.</summary>
    public static readonly XNamespace Semantic = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public static readonly XNamespace Sop = "https://kinerjaworkflow.id/schema/sop/1.0";
    public static readonly XNamespace Camunda = "http://camunda.org/schema/1.0/bpmn";
}
