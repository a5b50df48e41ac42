using System.Globalization;
using System.Xml.Linq;
using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>
/// The seed SOPs' diagrams as the designer and the instance view draw them: every element and flow the engine
/// reads is drawn, no two shapes lie on top of each other, and each step sits inside its role's lane.
/// </summary>
public sealed class SeedDiagramTests
{
    private static readonly XNamespace Di = "http://www.omg.org/spec/BPMN/20100524/DI";
    private static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";
    private static readonly XNamespace Omgdi = "http://www.omg.org/spec/DD/20100524/DI";

    public static TheoryData<string> Files() => SeedWorkflowTests.Files();

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_element_and_flow_is_drawn(string file)
    {
        var (model, diagram) = Load(file);
        var edges = diagram.Descendants(Di + "BPMNEdge")
            .ToDictionary(e => (string)e.Attribute("bpmnElement")!, e => e.Elements(Omgdi + "waypoint").Count(), StringComparer.Ordinal);

        model.Nodes.Keys.Should().OnlyContain(id => Shapes(diagram).ContainsKey(id), "each element has a shape");
        model.Flows.Keys.Should().OnlyContain(id => edges.ContainsKey(id) && edges[id] >= 2, "each flow is drawn with its waypoints");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void No_two_shapes_overlap(string file)
    {
        var (model, diagram) = Load(file);
        var shapes = Shapes(diagram);
        var nodes = model.Nodes.Values.Where(n => shapes.ContainsKey(n.Id)).OrderBy(n => n.Id, StringComparer.Ordinal).ToList();
        var overlaps = new List<string>();
        for (var i = 0; i < nodes.Count; i++)
        {
            for (var j = i + 1; j < nodes.Count; j++)
            {
                if (shapes[nodes[i].Id].Intersects(shapes[nodes[j].Id]) && !MayOverlap(nodes[i], nodes[j]))
                {
                    overlaps.Add($"{nodes[i].Id} and {nodes[j].Id}");
                }
            }
        }

        overlaps.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_step_lies_inside_its_lane(string file)
    {
        var (model, diagram) = Load(file);
        var shapes = Shapes(diagram);
        var outside = model.Lanes
            .SelectMany(lane => lane.NodeIds
                .Where(id => shapes.TryGetValue(id, out var bounds) && !shapes[lane.Id].Contains(bounds))
                .Select(id => $"{id} outside {lane.Role}"))
            .ToList();

        outside.Should().BeEmpty();
    }

    /// <summary>A sub-process holds its inner shapes, and a boundary event sits on its host's border.</summary>
    private static bool MayOverlap(FlowNode a, FlowNode b) =>
        Holds(a, b) || Holds(b, a)
        || (a as BoundaryTimerEvent)?.AttachedToId == b.Id
        || (b as BoundaryTimerEvent)?.AttachedToId == a.Id;

    private static bool Holds(FlowNode outer, FlowNode inner)
    {
        for (var scope = inner.Scope; scope.Owner is { } owner; scope = owner.Scope)
        {
            if (owner == outer)
            {
                return true;
            }
        }

        return false;
    }

    private static (ProcessModel Model, XDocument Diagram) Load(string file)
    {
        var xml = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "workflows", file));
        var compiled = DefinitionCompiler.Compile(xml, new ValidationOptions());
        compiled.Errors.Should().BeEmpty();
        return (compiled.Model!, XDocument.Parse(xml));
    }

    private static Dictionary<string, Box> Shapes(XDocument diagram) =>
        diagram.Descendants(Di + "BPMNShape").ToDictionary(
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
