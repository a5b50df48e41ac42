using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Import;

/// <summary>The process a table becomes: its key (the process id) and the SOP's identity.</summary>
public sealed record SopProcessIdentity(string Key, string Name, string? Number, string? Office, string? StatedTotal);

/// <summary>
/// Builds the BPMN of an SOP table: a pool with one lane per Pelaksana, a start event, one user task per row
/// with its sop:step fields, an exclusive gateway after each decision with one labelled flow per choice, a
/// merging gateway before each step reached from more than one place, an end event, and a diagram laid out by
/// <see cref="SopLayout"/>.
/// </summary>
public static partial class SopBpmnBuilder
{
    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static readonly XNamespace BpmnDi = "http://www.omg.org/spec/BPMN/20100524/DI";
    private static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";
    private static readonly XNamespace Di = "http://www.omg.org/spec/DD/20100524/DI";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly XNamespace Sop = "https://kinerjaworkflow.id/schema/sop/1.0";

    private const int NameLimit = 90;

    /// <summary>A process id made from the SOP's name, as the designer makes one: "Pengumpulan Data Kinerja" gives "pengumpulan-data-kinerja".</summary>
    public static string KeyFromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var ascii = new string(name.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
        var key = NotKeyCharacters().Replace(ascii.ToLowerInvariant(), "-").Trim('-');
        return key.Length == 0 || !char.IsAsciiLetter(key[0]) ? $"sop-{key}".TrimEnd('-') : key;
    }

    public static string Build(SopTable table, SopProcessIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(identity);
        var graph = SopGraph.From(table);
        var layout = SopLayout.Arrange(graph, table.Roles.Count);

        var process = new XElement(Bpmn + "process",
            new XAttribute("id", identity.Key),
            new XAttribute("name", identity.Name),
            new XAttribute("isExecutable", "true"));
        if (table.BareWaktuUnit is { } unit)
        {
            process.Add(new XAttribute(Sop + "waktuSatuan", WaktuText.UnitName(unit)));
        }

        process.Add(new XElement(Bpmn + "extensionElements",
            new XElement(Sop + "identity",
                Optional("nomor", identity.Number),
                new XAttribute("judul", identity.Name),
                Optional("kantor", identity.Office),
                Optional("jumlahWaktu", identity.StatedTotal))));
        process.Add(new XElement(Bpmn + "laneSet",
            new XAttribute("id", "LaneSet_1"),
            table.Roles.Select((role, lane) => new XElement(Bpmn + "lane",
                new XAttribute("id", LaneId(lane)),
                new XAttribute("name", role),
                graph.Nodes.Where(n => n.Lane == lane).Select(n => new XElement(Bpmn + "flowNodeRef", n.Id))))));
        foreach (var node in graph.Nodes)
        {
            process.Add(Element(node, graph));
        }

        foreach (var flow in graph.Flows)
        {
            process.Add(new XElement(Bpmn + "sequenceFlow",
                new XAttribute("id", flow.Id),
                Optional("name", flow.Name),
                new XAttribute("sourceRef", flow.Source),
                new XAttribute("targetRef", flow.Target),
                flow.Condition is null
                    ? null
                    : new XElement(Bpmn + "conditionExpression", new XAttribute(Xsi + "type", "bpmn:tFormalExpression"), flow.Condition)));
        }

        var participant = new XElement(Bpmn + "participant",
            new XAttribute("id", "Participant_1"),
            new XAttribute("name", identity.Office ?? identity.Name),
            new XAttribute("processRef", identity.Key));
        var definitions = new XElement(Bpmn + "definitions",
            new XAttribute(XNamespace.Xmlns + "bpmn", Bpmn),
            new XAttribute(XNamespace.Xmlns + "bpmndi", BpmnDi),
            new XAttribute(XNamespace.Xmlns + "dc", Dc),
            new XAttribute(XNamespace.Xmlns + "di", Di),
            new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
            new XAttribute(XNamespace.Xmlns + "sop", Sop),
            new XAttribute("id", "Definitions_1"),
            new XAttribute("targetNamespace", "http://bpmn.io/schema/bpmn"),
            new XAttribute("exporter", "KinerjaWorkflow impor tabel SOP"),
            new XElement(Bpmn + "collaboration", new XAttribute("id", "Collaboration_1"), participant),
            process,
            Diagram(graph, layout, table.Roles.Count));
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), definitions);
        using var writer = new Utf8StringWriter();
        document.Save(writer);
        return writer.ToString();
    }

    private static XElement Element(SopGraph.Node node, SopGraph graph)
    {
        var incoming = graph.Flows.Where(f => f.Target == node.Id).Select(f => new XElement(Bpmn + "incoming", f.Id));
        var outgoing = graph.Flows.Where(f => f.Source == node.Id).Select(f => new XElement(Bpmn + "outgoing", f.Id));
        switch (node.Kind)
        {
            case SopGraph.NodeKind.Start:
                return new XElement(Bpmn + "startEvent", new XAttribute("id", node.Id), new XAttribute("name", "Mulai"), outgoing);
            case SopGraph.NodeKind.End:
                return new XElement(Bpmn + "endEvent", new XAttribute("id", node.Id), new XAttribute("name", "Selesai"), incoming);
            case SopGraph.NodeKind.Decision or SopGraph.NodeKind.Merge:
                var defaultFlow = graph.Flows.FirstOrDefault(f => f.Source == node.Id && f.IsDefault);
                return new XElement(Bpmn + "exclusiveGateway",
                    new XAttribute("id", node.Id),
                    Optional("name", node.Name),
                    Optional("default", defaultFlow?.Id),
                    incoming,
                    outgoing);
            default:
                var step = node.Step!;
                var outcomes = step.Branches.Where(b => b.Kind == BranchKind.Outcome).Select(b => b.Outcome).ToList();
                return new XElement(Bpmn + "userTask",
                    new XAttribute("id", node.Id),
                    new XAttribute("name", TaskName(step.Kegiatan)),
                    step.Roles.Count > 1 ? new XAttribute(Sop + "candidateGroups", string.Join(",", step.Roles)) : null,
                    new XElement(Bpmn + "documentation", step.Kegiatan),
                    new XElement(Bpmn + "extensionElements",
                        new XElement(Sop + "step",
                            new XAttribute("nomor", step.Number.ToString(CultureInfo.InvariantCulture)),
                            Optional("waktu", step.Waktu),
                            new XAttribute("kelengkapan", step.Kelengkapan ?? string.Empty),
                            new XAttribute("output", step.Output ?? string.Empty),
                            new XAttribute("keterangan", step.Keterangan ?? string.Empty),
                            outcomes.Count > 0 ? new XAttribute("outcomes", string.Join(",", outcomes)) : null)),
                    incoming,
                    outgoing);
        }
    }

    private static XElement Diagram(SopGraph graph, SopLayout layout, int laneCount)
    {
        var plane = new XElement(BpmnDi + "BPMNPlane", new XAttribute("id", "BPMNPlane_1"), new XAttribute("bpmnElement", "Collaboration_1"));
        plane.Add(Shape("Participant_1", layout.Pool, horizontal: true));
        for (var lane = 0; lane < laneCount; lane++)
        {
            plane.Add(Shape(LaneId(lane), layout.Lanes[lane], horizontal: true));
        }

        foreach (var node in graph.Nodes)
        {
            var bounds = layout.Shapes[node.Id];
            var shape = Shape(node.Id, bounds, horizontal: false);
            if (node.Kind == SopGraph.NodeKind.Decision && node.Name is not null)
            {
                shape.Add(Label(new Box(bounds.X - 25, bounds.Y + bounds.Height + 4, 100, 28)));
            }
            else if (node.Kind is SopGraph.NodeKind.Start or SopGraph.NodeKind.End)
            {
                shape.Add(Label(new Box(bounds.X - 7, bounds.Y + bounds.Height + 4, 50, 14)));
            }

            plane.Add(shape);
        }

        foreach (var flow in graph.Flows)
        {
            var points = layout.Edges[flow.Id];
            var edge = new XElement(BpmnDi + "BPMNEdge",
                new XAttribute("id", $"{flow.Id}_di"),
                new XAttribute("bpmnElement", flow.Id),
                points.Select(p => new XElement(Di + "waypoint", new XAttribute("x", Number(p.X)), new XAttribute("y", Number(p.Y)))));
            if (flow.Name is not null)
            {
                edge.Add(Label(new Box(points[0].X + 6, points[0].Y - 20, 90, 14)));
            }

            plane.Add(edge);
        }

        return new XElement(BpmnDi + "BPMNDiagram", new XAttribute("id", "BPMNDiagram_1"), plane);
    }

    private static XElement Shape(string id, Box box, bool horizontal) =>
        new(BpmnDi + "BPMNShape",
            new XAttribute("id", $"{id}_di"),
            new XAttribute("bpmnElement", id),
            horizontal ? new XAttribute("isHorizontal", "true") : null,
            Bounds(box));

    private static XElement Label(Box box) => new(BpmnDi + "BPMNLabel", Bounds(box));

    private static XElement Bounds(Box box) =>
        new(Dc + "Bounds",
            new XAttribute("x", Number(box.X)),
            new XAttribute("y", Number(box.Y)),
            new XAttribute("width", Number(box.Width)),
            new XAttribute("height", Number(box.Height)));

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static XAttribute? Optional(XName name, string? value) => string.IsNullOrWhiteSpace(value) ? null : new XAttribute(name, value);

    internal static string LaneId(int lane) => $"Lane_{lane + 1:00}";

    /// <summary>The Kegiatan is the task's full text (its documentation); a very long one is shortened on the diagram at a word.</summary>
    private static string TaskName(string kegiatan)
    {
        if (kegiatan.Length <= NameLimit)
        {
            return kegiatan;
        }

        var cut = kegiatan.LastIndexOf(' ', NameLimit - 1);
        return $"{kegiatan[..(cut > NameLimit / 2 ? cut : NameLimit - 1)].TrimEnd(',', ';', ' ')}…";
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotKeyCharacters();

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
