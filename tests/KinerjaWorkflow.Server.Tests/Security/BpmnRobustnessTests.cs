using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>
/// Hundreds of damaged SOP files, each validated and deployed by its office's admin: every answer is a success
/// or the client's error, never a server error, and the service still answers afterwards. The mutations are
/// random but seeded, so a failure names the seed and the mutations and happens again on the next run. The test
/// also checks that it tried what the issue asks, each kind of damage often, and that both paths were taken:
/// some mutants still deploy (201), most are refused (422).
/// </summary>
public sealed class BpmnRobustnessTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const int Seed = 15_2025;
    private const int MutantsPerFile = 60;

    /// <summary>The five SOPs of workflows/ and the admin of each office.</summary>
    private static readonly (string File, string Admin)[] Sops =
    [
        ("bakesbangpol/mekanisme-pengumpulan-data-kinerja.bpmn", "hasanuddin.amir"),
        ("bpkpad-balangan/mekanisme-pengumpulan-data-kinerja.bpmn", "fakiriyanto"),
        ("bps-bengkulu/pengumpulan-data-capaian-kinerja.bpmn", "winrizal"),
        ("camat-batang-kapas/pengumpulan-data-kinerja.bpmn", "legiandru"),
        ("dinas-bina-marga-sumbar/pengumpulan-data-kinerja.bpmn", "erasukma"),
    ];

    private static readonly string[] Garbage =
    [
        "", " ", "\u00A0", "${x}", "#{y}", "<&>\"'", "-1", "0", "99999999999999999999", "1e308", "NaN", "true", "bukan",
        "R/PT1S", "R/P99999Y", "P99999Y", "PT0S", "99999999 hari kerja", "1 – 0 Hari Kerja", "outcome ==", "((((((((a",
        "Langkah_01", "Start", "ÄÖÜ éèê 中文 😀", new string('x', 5_000), "\t\n", "http://127.0.0.1/x", "null",
    ];

    private static readonly string[] ElementNames =
    [
        "userTask", "task", "manualTask", "serviceTask", "sendTask", "scriptTask", "subProcess", "callActivity",
        "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "startEvent", "endEvent",
        "boundaryEvent", "intermediateCatchEvent", "intermediateThrowEvent", "sequenceFlow", "lane", "laneSet",
        "childLaneSet", "timerEventDefinition", "timeCycle", "timeDuration", "multiInstanceLoopCharacteristics",
        "conditionExpression", "process", "participant", "messageFlow",
    ];

    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";

    [Fact]
    public async Task Mutated_sop_files_never_bring_a_server_error_and_the_service_keeps_answering()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var answered = 0;
        var statuses = new List<int>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (file, admin) in Sops)
        {
            var client = await shared.Server.SignInAsync(admin);
            var original = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "workflows", file));
            for (var n = 0; n < MutantsPerFile; n++)
            {
                var (body, mutations) = Mutate(original, random);
                foreach (var kind in mutations.Select(KindOf))
                {
                    kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                }

                foreach (var path in new[] { "/api/definitions/validate", "/api/definitions?changeNote=Uji%20ketahanan" })
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
                    using var response = await client.PostAsync(path, content);
                    answered++;
                    statuses.Add((int)response.StatusCode);
                    if ((int)response.StatusCode >= 500 || (int)response.StatusCode < 200 || (int)response.StatusCode is >= 300 and < 400)
                    {
                        failures.Add($"{file} #{n} {path} -> {(int)response.StatusCode}: {string.Join("; ", mutations)}");
                    }
                }
            }
        }

        failures.Should().BeEmpty($"seed {Seed}, {answered} answers");
        answered.Should().Be(Sops.Length * MutantsPerFile * 2);
        kinds.Keys.Should().BeEquivalentTo(["delete", "duplicate", "nest", "move", "attribute", "rename", "wrap", "truncate", "byte", "declared"], "every kind of damage is tried");
        kinds.Values.Should().OnlyContain(count => count >= 10, $"each kind is tried often: {string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"))}");
        statuses.Should().Contain((int)HttpStatusCode.Created, "some damage leaves a file that still deploys")
            .And.Contain((int)HttpStatusCode.UnprocessableEntity, "most damage is refused naming the problems");
        var admin0 = await shared.Server.SignInAsync(Sops[0].Admin);
        (await admin0.GetAsync("/api/definitions")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await shared.Server.CreateClient().GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>One to three mutations of the tree, then sometimes of the text or the bytes.</summary>
    private static (byte[] Body, List<string> Mutations) Mutate(string original, Random random)
    {
        var document = XDocument.Parse(original);
        var mutations = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var elements = document.Root!.Descendants().ToList();
            if (elements.Count == 0)
            {
                break;
            }

            var element = elements[random.Next(elements.Count)];
            switch (random.Next(6))
            {
                case 0:
                    mutations.Add($"delete {Describe(element)}");
                    element.Remove();
                    break;
                case 1:
                    mutations.Add($"duplicate {Describe(element)}");
                    element.AddAfterSelf(new XElement(element));
                    break;
                case 2:
                    var host = elements[random.Next(elements.Count)];
                    if (random.Next(3) == 0 || host == element || host.Ancestors().Contains(element))
                    {
                        mutations.Add($"nest {Describe(element)} in itself");
                        element.Add(new XElement(element));
                    }
                    else
                    {
                        mutations.Add($"move {Describe(element)} into {Describe(host)}");
                        element.Remove();
                        host.Add(element);
                    }

                    break;
                case 3:
                    var attributes = element.Attributes().Where(a => !a.IsNamespaceDeclaration).ToList();
                    var value = Garbage[random.Next(Garbage.Length)];
                    if (attributes.Count > 0 && random.Next(2) == 0)
                    {
                        var attribute = attributes[random.Next(attributes.Count)];
                        mutations.Add($"{Describe(element)} @{attribute.Name.LocalName}=\"{Shorten(value)}\"");
                        attribute.Value = value;
                    }
                    else
                    {
                        var name = new[] { "id", "name", "sourceRef", "targetRef", "attachedToRef", "default", "isExecutable", "cancelActivity", "calledElement", "x" }[random.Next(10)];
                        mutations.Add($"{Describe(element)} +@{name}=\"{Shorten(value)}\"");
                        element.SetAttributeValue(name, value);
                    }

                    break;
                case 4:
                    var renamed = ElementNames[random.Next(ElementNames.Length)];
                    mutations.Add($"rename {Describe(element)} to {renamed}");
                    element.Name = Bpmn + renamed;
                    break;
                default:
                    var depth = random.Next(2, 80);
                    mutations.Add($"wrap {Describe(element)} in {depth} sub-processes");
                    var wrapped = new XElement(element);
                    for (var level = 0; level < depth; level++)
                    {
                        wrapped = new XElement(Bpmn + "subProcess", new XAttribute("id", $"Bungkus_{i}_{level}"), wrapped);
                    }

                    element.ReplaceWith(wrapped);
                    break;
            }
        }

        var text = document.Declaration + document.ToString(SaveOptions.DisableFormatting);
        switch (random.Next(8))
        {
            case 0:
                var cut = random.Next(text.Length);
                mutations.Add($"truncate at {cut}");
                return (Encoding.UTF8.GetBytes(text[..cut]), mutations);
            case 1:
                var bytes = Encoding.UTF8.GetBytes(text);
                var at = random.Next(bytes.Length);
                mutations.Add($"byte {at} = 0x{bytes[at] ^ 0xC0:X2}");
                bytes[at] ^= 0xC0;
                return (bytes, mutations);
            case 2:
                mutations.Add("declared ISO-8859-1, sent as Latin-1");
                var latin = text.Contains("<?xml", StringComparison.Ordinal)
                    ? text.Replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", StringComparison.OrdinalIgnoreCase)
                    : text;
                return (Encoding.Latin1.GetBytes(latin), mutations);
            default:
                return (Encoding.UTF8.GetBytes(text), mutations);
        }
    }

    private static string KindOf(string mutation) =>
        mutation.Contains(" @", StringComparison.Ordinal) || mutation.Contains(" +@", StringComparison.Ordinal) ? "attribute" : mutation.Split(' ')[0];

    private static string Describe(XElement element) =>
        $"<{element.Name.LocalName}{(element.Attribute("id") is { } id ? " " + id.Value : string.Empty)}>";

    private static string Shorten(string value) => value.Length > 20 ? value[..20] + "…" : value;
}
