using System.Globalization;
using System.Xml.Linq;
using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Import;
using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Tests.Import;

public class SopBpmnBuilderTests
{
    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static readonly XNamespace BpmnDi = "http://www.omg.org/spec/BPMN/20100524/DI";
    private static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";
    private static readonly XNamespace Di = "http://www.omg.org/spec/DD/20100524/DI";

    private const string Review =
        "Nama SOP,Reviu Laporan\n"
        + "Nomor SOP,SOP-7/2025\n"
        + "No,Kegiatan,Kepala,Sekretaris,Staf,Kelengkapan,Waktu (Menit),Output,Keterangan\n"
        + "1,Menyusun laporan,,,x,Data,60,Draf,\n"
        + "2,Rapat pembahasan,x,x,,Draf,120,Notulen,\n"
        + "3,Memeriksa laporan,x,,,Draf,30,Laporan,Setuju: ke langkah 5 / Dikembalikan: ke langkah 1\n"
        + "4,Memperbaiki lampiran,,,x,Laporan,30,Laporan,\n"
        + "5,Mengarsipkan,,x,,Laporan,10,Arsip,Jika triwulan == 4: ke langkah 4 / Lainnya: selesai\n";

    private static string Build(string csv, string key = "reviu-laporan")
    {
        var reading = SopTableReader.Read(TableText.Read(csv, TableFormat.Csv));
        reading.Problems.Should().BeEmpty();
        var table = reading.Table!;
        return SopBpmnBuilder.Build(table, new SopProcessIdentity(key, table.Identity.Name ?? "Uji", table.Identity.Number, "Kantor Uji", null));
    }

    private static ProcessModel Model(string xml)
    {
        var compiled = DefinitionCompiler.Compile(xml, new ValidationOptions { KnownRoles = new HashSet<string> { "Kepala", "Sekretaris", "Staf" } });
        compiled.Errors.Should().BeEmpty();
        return compiled.Model!;
    }

    [Fact]
    public void The_built_definition_passes_deploy_validation_without_warnings()
    {
        var compiled = DefinitionCompiler.Compile(Build(Review), new ValidationOptions { KnownRoles = new HashSet<string> { "Kepala", "Sekretaris", "Staf" } });

        compiled.Problems.Should().BeEmpty();
    }

    [Fact]
    public void The_process_carries_the_sop_identity()
    {
        var model = Model(Build(Review));

        model.Should().BeEquivalentTo(new
        {
            Key = "reviu-laporan",
            Name = "Reviu Laporan",
            Identity = new SopIdentity("SOP-7/2025", "Reviu Laporan", "Kantor Uji", null, null, null),
            WaktuSatuan = "menit",
        });
    }

    [Fact]
    public void Each_row_is_a_user_task_with_its_sop_fields()
    {
        var task = Model(Build(Review)).HumanTasks.Single(t => t.Step!.Number == 3);

        task.Should().BeEquivalentTo(new
        {
            Id = "Langkah_03",
            Name = "Memeriksa laporan",
            TaskKind = HumanTaskKind.User,
            Step = new SopStep(3, "Draf", "30", "Laporan", "Setuju: ke langkah 5 / Dikembalikan: ke langkah 1", ["setuju", "dikembalikan"]),
        });
    }

    [Fact]
    public void A_step_marked_for_one_role_lies_in_that_role_s_lane()
    {
        var task = Model(Build(Review)).HumanTasks.Single(t => t.Step!.Number == 1);

        task.Should().BeEquivalentTo(new { LaneRole = "Staf", CandidateGroups = Array.Empty<string>() });
    }

    [Fact]
    public void A_step_marked_for_several_roles_names_them_all_as_candidate_groups()
    {
        Model(Build(Review)).HumanTasks.Single(t => t.Step!.Number == 2).Roles.Should().Equal("Kepala", "Sekretaris");
    }

    [Fact]
    public void A_decision_is_an_exclusive_gateway_with_a_labelled_flow_per_outcome()
    {
        var gateway = (Gateway)Model(Build(Review)).Node("Keputusan_03");

        gateway.Outgoing.Select(f => (f.Name, f.ConditionText, f.TargetId)).Should().Equal(
            ("Setuju", "outcome == \"setuju\"", "Gabung_05"),
            ("Dikembalikan", "outcome == \"dikembalikan\"", "Gabung_01"));
    }

    [Fact]
    public void A_condition_decision_takes_lainnya_as_its_default_flow()
    {
        var gateway = (Gateway)Model(Build(Review)).Node("Keputusan_05");

        gateway.Outgoing.Select(f => (f.Name, f.ConditionText, f.TargetId)).Should().Equal(
            ("triwulan == 4", "triwulan == 4", "Langkah_04"),
            ("Lainnya", null, "Selesai"));
        gateway.DefaultFlowId.Should().Be(gateway.Outgoing[1].Id);
    }

    [Fact]
    public void A_step_reached_from_more_than_one_place_is_entered_through_a_merging_gateway()
    {
        var merge = (Gateway)Model(Build(Review)).Node("Gabung_01");

        merge.Incoming.Select(f => f.SourceId).Should().Equal("Mulai", "Keputusan_03");
    }

    [Fact]
    public void A_step_without_routing_goes_on_to_the_next_step_and_the_last_to_the_end()
    {
        var model = Model(Build("No,Kegiatan,Kepala,Kelengkapan,Waktu,Output\n1,Satu,x,,1 jam,\n2,Dua,x,,1 jam,"));

        model.Flows.Values.Select(f => $"{f.SourceId}>{f.TargetId}").Should().Equal("Mulai>Langkah_01", "Langkah_01>Langkah_02", "Langkah_02>Selesai");
    }

    [Fact]
    public void A_jump_goes_to_the_named_step_instead_of_the_next()
    {
        var model = Model(Build("No,Kegiatan,Kepala,Kelengkapan,Waktu,Output,Keterangan\n1,Satu,x,,1 jam,,Lanjut ke langkah 3\n2,Dua,x,,1 jam,,Cukup: selesai / Ulang: ke langkah 2\n3,Tiga,x,,1 jam,,Kembali ke langkah 2"));

        model.Node("Langkah_01").Outgoing.Single().TargetId.Should().Be("Langkah_03");
    }

    [Theory]
    [InlineData("Pengumpulan Data Kinerja", "pengumpulan-data-kinerja")]
    [InlineData("SOP – 01/BPKPAD Pengumpulan", "sop-01-bpkpad-pengumpulan")]
    [InlineData("Reviu Laporan Triwulan II (2025)", "reviu-laporan-triwulan-ii-2025")]
    [InlineData("2025 Laporan", "sop-2025-laporan")]
    public void The_key_is_made_from_the_name(string name, string key)
    {
        SopBpmnBuilder.KeyFromName(name).Should().Be(key);
    }

    public static TheoryData<string> Diagrams
    {
        get
        {
            var data = new TheoryData<string> { Review };
            foreach (var fixture in new[] { "bps-bengkulu.tsv", "bakesbangpol.tsv", "dinas-bina-marga-sumbar.csv", "bpkpad-balangan.csv", "camat-batang-kapas.csv" })
            {
                data.Add(fixture);
            }

            return data;
        }
    }

    private static string XmlOf(string tableOrFixture) =>
        tableOrFixture.Contains('\n', StringComparison.Ordinal) ? Build(tableOrFixture) : SopImportFixtures.Import(tableOrFixture);

    [Theory]
    [MemberData(nameof(Diagrams))]
    public void No_two_shapes_overlap(string table)
    {
        var shapes = Shapes(XDocument.Parse(XmlOf(table))).Where(s => s.Kind is not ("participant" or "lane")).ToList();

        var overlapping = shapes.SelectMany((a, i) => shapes.Skip(i + 1).Where(b => Overlap(a.Box, b.Box)).Select(b => $"{a.Id} × {b.Id}"));

        overlapping.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Diagrams))]
    public void Every_flow_node_has_a_shape_inside_its_lane(string table)
    {
        var document = XDocument.Parse(XmlOf(table));
        var shapes = Shapes(document).ToDictionary(s => s.Id);
        var misplaced = new List<string>();
        foreach (var lane in document.Descendants(Bpmn + "lane"))
        {
            var band = shapes[(string)lane.Attribute("id")!].Box;
            foreach (var node in lane.Elements(Bpmn + "flowNodeRef").Select(r => r.Value))
            {
                if (!shapes.TryGetValue(node, out var shape) || shape.Box.Y < band.Y || shape.Box.Bottom > band.Bottom || shape.Box.X < band.X || shape.Box.Right > band.Right)
                {
                    misplaced.Add(node);
                }
            }
        }

        misplaced.Should().BeEmpty();
        document.Descendants(Bpmn + "flowNodeRef").Select(r => r.Value).Should().BeEquivalentTo(
            document.Descendants().Where(e => e.Parent?.Name == Bpmn + "process" && e.Attribute("id") is not null && e.Name.LocalName is not ("sequenceFlow" or "laneSet")).Select(e => (string)e.Attribute("id")!));
    }

    [Theory]
    [MemberData(nameof(Diagrams))]
    public void Every_flow_has_orthogonal_waypoints_from_its_source_to_its_target(string table)
    {
        var document = XDocument.Parse(XmlOf(table));
        var shapes = Shapes(document).ToDictionary(s => s.Id);
        var edges = document.Descendants(BpmnDi + "BPMNEdge").ToDictionary(e => (string)e.Attribute("bpmnElement")!);
        var faults = new List<string>();
        foreach (var flow in document.Descendants(Bpmn + "sequenceFlow"))
        {
            var id = (string)flow.Attribute("id")!;
            if (!edges.TryGetValue(id, out var edge))
            {
                faults.Add($"{id}: no edge");
                continue;
            }

            var points = edge.Elements(Di + "waypoint").Select(p => (X: Number(p, "x"), Y: Number(p, "y"))).ToList();
            if (points.Count < 2
                || points.Zip(points.Skip(1)).Any(s => s.First.X != s.Second.X && s.First.Y != s.Second.Y)
                || !OnBorder(shapes[(string)flow.Attribute("sourceRef")!].Box, points[0])
                || !OnBorder(shapes[(string)flow.Attribute("targetRef")!].Box, points[^1]))
            {
                faults.Add($"{id}: {string.Join(" ", points)}");
            }
        }

        faults.Should().BeEmpty();
    }

    private sealed record Shape(string Id, string Kind, Box Box);

    private static IEnumerable<Shape> Shapes(XDocument document)
    {
        var kinds = document.Descendants().Where(e => e.Attribute("id") is not null).GroupBy(e => (string)e.Attribute("id")!).ToDictionary(g => g.Key, g => g.First().Name.LocalName);
        return document.Descendants(BpmnDi + "BPMNShape").Select(s =>
        {
            var id = (string)s.Attribute("bpmnElement")!;
            var bounds = s.Element(Dc + "Bounds")!;
            return new Shape(id, kinds[id], new Box(Number(bounds, "x"), Number(bounds, "y"), Number(bounds, "width"), Number(bounds, "height")));
        });
    }

    private static double Number(XElement element, string attribute) => double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static bool Overlap(Box a, Box b) => a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;

    private static bool OnBorder(Box box, (double X, double Y) p) =>
        p.X >= box.X && p.X <= box.Right && p.Y >= box.Y && p.Y <= box.Bottom
        && (p.X == box.X || p.X == box.Right || p.Y == box.Y || p.Y == box.Bottom);
}
