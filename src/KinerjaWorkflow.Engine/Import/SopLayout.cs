namespace KinerjaWorkflow.Engine.Import;

/// <summary>A rectangle on the diagram.</summary>
public readonly record struct Box(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CenterX => X + (Width / 2);
    public double CenterY => Y + (Height / 2);
}

public readonly record struct Point(double X, double Y);

/// <summary>
/// A layered layout: lanes are horizontal bands, nodes stand left to right in <see cref="SopGraph"/> order, one
/// node per column, each in the middle of its lane. Every edge runs where no shape is: between two neighbouring
/// columns, or along the empty margin at the top of the target's lane (forward jumps) or at the bottom of the
/// lower lane (going back), entering and leaving through a shape's own column.
/// </summary>
internal sealed class SopLayout
{
    private const double LaneHeight = 150;
    private const double PoolHeader = 30;
    private const double LaneHeader = 30;
    private const double Gap = 50;
    private const double Margin = 14;
    private const double Lead = 50;

    private SopLayout(Box pool, IReadOnlyList<Box> lanes, IReadOnlyDictionary<string, Box> shapes, IReadOnlyDictionary<string, IReadOnlyList<Point>> edges)
    {
        Pool = pool;
        Lanes = lanes;
        Shapes = shapes;
        Edges = edges;
    }

    public Box Pool { get; }

    public IReadOnlyList<Box> Lanes { get; }

    public IReadOnlyDictionary<string, Box> Shapes { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<Point>> Edges { get; }

    public static SopLayout Arrange(SopGraph graph, int laneCount)
    {
        var shapes = new Dictionary<string, Box>(StringComparer.Ordinal);
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        var x = PoolHeader + LaneHeader + Lead;
        foreach (var node in graph.Nodes)
        {
            var (width, height) = Size(node.Kind);
            var laneTop = node.Lane * LaneHeight;
            shapes[node.Id] = new Box(x, laneTop + ((LaneHeight - height) / 2), width, height);
            order[node.Id] = order.Count;
            x += width + Gap;
        }

        var poolWidth = x - Gap + Lead;
        var pool = new Box(0, 0, poolWidth, laneCount * LaneHeight);
        var lanes = Enumerable.Range(0, laneCount).Select(l => new Box(PoolHeader, l * LaneHeight, poolWidth - PoolHeader, LaneHeight)).ToList();
        var laneOf = graph.Nodes.ToDictionary(n => n.Id, n => n.Lane, StringComparer.Ordinal);

        // Each edge along a lane margin gets its own track, so two of them never lie on one line.
        var tracks = new Dictionary<(int Lane, bool Top), int>();
        double Track(int lane, bool top)
        {
            tracks.TryGetValue((lane, top), out var used);
            tracks[(lane, top)] = used + 1;
            var offset = Margin + ((used % 4) * 5);
            return top ? (lane * LaneHeight) + offset : ((lane + 1) * LaneHeight) - offset;
        }

        var edges = new Dictionary<string, IReadOnlyList<Point>>(StringComparer.Ordinal);
        foreach (var flow in graph.Flows)
        {
            var source = shapes[flow.Source];
            var target = shapes[flow.Target];
            var distance = order[flow.Target] - order[flow.Source];
            if (distance == 1)
            {
                var middle = (source.Right + target.X) / 2;
                edges[flow.Id] = source.CenterY == target.CenterY
                    ? [new Point(source.Right, source.CenterY), new Point(target.X, target.CenterY)]
                    : [new Point(source.Right, source.CenterY), new Point(middle, source.CenterY), new Point(middle, target.CenterY), new Point(target.X, target.CenterY)];
            }
            else if (distance > 1)
            {
                var y = Track(laneOf[flow.Target], top: true);
                var leave = laneOf[flow.Target] > laneOf[flow.Source] ? source.Bottom : source.Y;
                edges[flow.Id] = [new Point(source.CenterX, leave), new Point(source.CenterX, y), new Point(target.CenterX, y), new Point(target.CenterX, target.Y)];
            }
            else
            {
                var y = Track(Math.Max(laneOf[flow.Source], laneOf[flow.Target]), top: false);
                edges[flow.Id] = [new Point(source.CenterX, source.Bottom), new Point(source.CenterX, y), new Point(target.CenterX, y), new Point(target.CenterX, target.Bottom)];
            }
        }

        return new SopLayout(pool, lanes, shapes, edges);
    }

    private static (double Width, double Height) Size(SopGraph.NodeKind kind) => kind switch
    {
        SopGraph.NodeKind.Start or SopGraph.NodeKind.End => (36, 36),
        SopGraph.NodeKind.Merge or SopGraph.NodeKind.Decision => (50, 50),
        _ => (120, 80),
    };
}
