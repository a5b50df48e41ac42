using System.Globalization;
using System.Xml.Linq;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>
/// The seed SOPs' diagrams as the designer and the instance view draw them: every element and flow drawn,
/// no two shapes on top of each other, each step inside its role's lane.
/// </summary>
public sealed class SeedDiagramTests
{
    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static readonly XNamespace Di = "http://www.omg.org/spec/BPMN/20100524/DI";
    private static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";
    private static readonly XNamespace Omgdi = "http://www.omg.org/spec/DD/20100524/DI";

    private static readonly HashSet<string> NotFlowNodes = new(StringComparer.Ordinal)
    {
        "sequenceFlow", "lane", "laneSet", "extensionElements", "documentation", "multiInstanceLoopCharacteristics",
        "standardLoopCharacteristics", "conditionExpression", "incoming", "outgoing", "flowNodeRef", "timerEventDefinition",
        "timeCycle", "timeDuration", "timeDate", "loopCardinality", "completionCondition", "messageEventDefinition",
        "terminateEventDefinition", "textAnnotation", "association", "dataObjectReference", "dataObject", "text",
    };

    public static TheoryData<string> Files() => SeedWorkflowTests.Files();

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_element_and_flow_is_drawn(string file)
    {
        var document = Load(file);
        var shapes = Shapes(document);
        var edges = document.Descendants(Di + "BPMNEdge")
            .ToDictionary(e => (string)e.Attribute("bpmnElement")!, e => e.Elements(Omgdi + "waypoint").Count(), StringComparer.Ordinal);

        FlowNodes(document).Select(n => (string)n.Attribute("id")!).Should().OnlyContain(id => shapes.ContainsKey(id), "each step has a shape");
        document.Descendants(Bpmn + "sequenceFlow").Select(f => (string)f.Attribute("id")!)
            .Should().OnlyContain(id => edges.ContainsKey(id) && edges[id] >= 2, "each flow is drawn with its waypoints");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void No_two_shapes_overlap(string file)
    {
        var document = Load(file);
        var shapes = Shapes(document);
        var nodes = FlowNodes(document).ToDictionary(n => (string)n.Attribute("id")!, StringComparer.Ordinal);
        var overlaps = new List<string>();
        var ids = nodes.Keys.Where(shapes.ContainsKey).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            for (var j = i + 1; j < ids.Count; j++)
            {
                if (shapes[ids[i]].Intersects(shapes[ids[j]]) && !MayOverlap(nodes[ids[i]], nodes[ids[j]]))
                {
                    overlaps.Add($"{ids[i]} and {ids[j]}");
                }
            }
        }

        overlaps.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_step_lies_inside_its_lane(string file)
    {
        var document = Load(file);
        var shapes = Shapes(document);
        var outside = new List<string>();
        foreach (var lane in document.Descendants(Bpmn + "lane"))
        {
            var laneBounds = shapes[(string)lane.Attribute("id")!];
            foreach (var member in lane.Elements(Bpmn + "flowNodeRef").Select(r => r.Value.Trim()))
            {
                if (shapes.TryGetValue(member, out var bounds) && !laneBounds.Contains(bounds))
                {
                    outside.Add($"{member} outside {lane.Attribute("name")?.Value}");
                }
            }
        }

        outside.Should().BeEmpty();
    }

    /// <summary>A sub-process holds its inner shapes, and a boundary event sits on its host's border.</summary>
    private static bool MayOverlap(XElement a, XElement b) =>
        a.Ancestors().Contains(b) || b.Ancestors().Contains(a)
        || (string?)a.Attribute("attachedToRef") == (string?)b.Attribute("id")
        || (string?)b.Attribute("attachedToRef") == (string?)a.Attribute("id");

    private static XDocument Load(string file) => XDocument.Load(Path.Combine(RepositoryRoot.Path, "workflows", file));

    private static IEnumerable<XElement> FlowNodes(XDocument document) =>
        document.Descendants(Bpmn + "process").Descendants()
            .Where(e => e.Name.Namespace == Bpmn && !NotFlowNodes.Contains(e.Name.LocalName) && e.Attribute("id") is not null);

    private static Dictionary<string, Box> Shapes(XDocument document) =>
        document.Descendants(Di + "BPMNShape").ToDictionary(
            s => (string)s.Attribute("bpmnElement")!,
            s =>
            {
                var b = s.Element(Dc + "Bounds")!;
                return new Box(Number(b, "x"), Number(b, "y"), Number(b, "width"), Number(b, "height"));
            },
            StringComparer.Ordinal);

    private static double Number(XElement bounds, string name) => double.Parse((string)bounds.Attribute(name)!, CultureInfo.InvariantCulture);

    private readonly record struct Box(double X, double Y, double Width, double Height)
    {
        public bool Intersects(Box other) =>
            X < other.X + other.Width && other.X < X + Width && Y < other.Y + other.Height && other.Y < Y + Height;

        public bool Contains(Box inner) =>
            inner.X >= X && inner.Y >= Y && inner.X + inner.Width <= X + Width && inner.Y + inner.Height <= Y + Height;
    }
}
