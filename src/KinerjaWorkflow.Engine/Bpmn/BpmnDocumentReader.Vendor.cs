using System.Xml.Linq;
using static KinerjaWorkflow.Engine.Bpmn.BpmnNames;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>
/// Camunda Modeler writes its engine's settings into the file (listeners, forms, due dates, async flags,
/// Java classes, variable mappings). This engine runs none of them, and an author who set one expects it to
/// happen, so each one is a warning that names it and says what the engine does instead.
/// </summary>
internal sealed partial class BpmnDocumentReader
{
    private static readonly XNamespace Zeebe = "http://camunda.org/schema/zeebe/1.0";

    /// <summary>
    /// The Camunda attributes the reader does read, on the elements it reads them from; and historyTimeToLive,
    /// which Camunda Modeler writes on every process by itself, so a warning about it would only teach authors
    /// to skip warnings.
    /// </summary>
    private static readonly HashSet<(string Element, string Attribute)> ReadVendorAttributes =
    [
        ("process", "historyTimeToLive"),
        ("userTask", "candidateGroups"),
        ("manualTask", "candidateGroups"),
        ("task", "candidateGroups"),
        ("multiInstanceLoopCharacteristics", "collection"),
        ("multiInstanceLoopCharacteristics", "elementVariable"),
    ];

    private static readonly Dictionary<string, string> VendorReasons = new(StringComparer.Ordinal)
    {
        ["taskListener"] = "pendengar (listener) dan skripnya tidak dijalankan",
        ["executionListener"] = "pendengar (listener) dan skripnya tidak dijalankan",
        ["dueDate"] = "tenggat langkah dihitung dari Waktu pada sop:step",
        ["followUpDate"] = "tenggat dan pengingat langkah dihitung dari Waktu pada sop:step",
        ["priority"] = "kotak tugas mengurutkan tugas menurut tenggat",
        ["formKey"] = "formulir tidak dipakai; tugas menampilkan Kelengkapan dan Output langkahnya",
        ["formRef"] = "formulir tidak dipakai; tugas menampilkan Kelengkapan dan Output langkahnya",
        ["formData"] = "formulir tidak dipakai; tugas menampilkan Kelengkapan dan Output langkahnya",
        ["asyncBefore"] = "mesin ini sudah menyimpan instans pada setiap titik tunggu",
        ["asyncAfter"] = "mesin ini sudah menyimpan instans pada setiap titik tunggu",
        ["exclusive"] = "mesin ini sudah menyimpan instans pada setiap titik tunggu",
        ["class"] = "mesin ini tidak menjalankan kode; gunakan sop:http pada tugas layanan",
        ["delegateExpression"] = "mesin ini tidak menjalankan kode; gunakan sop:http pada tugas layanan",
        ["expression"] = "mesin ini tidak menjalankan kode; gunakan sop:http pada tugas layanan",
        ["type"] = "mesin ini tidak menjalankan kode; gunakan sop:http pada tugas layanan",
        ["topic"] = "mesin ini tidak menjalankan kode; gunakan sop:http pada tugas layanan",
        ["connector"] = "mesin ini tidak menjalankan kode; gunakan sop:http pada tugas layanan",
        ["field"] = "mesin ini tidak menjalankan kode; gunakan sop:http pada tugas layanan",
        ["in"] = "definisi yang dipanggil selalu menerima salinan semua variabel",
        ["out"] = "semua variabel definisi yang dipanggil selalu kembali saat ia selesai",
        ["inputOutput"] = "pemetaan variabel masukan dan keluaran tidak dijalankan",
        ["assignee"] = "pelaksana diambil dari lajur atau candidateGroups",
        ["candidateUsers"] = "pelaksana diambil dari lajur atau candidateGroups",
        ["candidateGroups"] = "candidateGroups hanya dibaca pada tugas pengguna, tugas manual dan tugas",
    };

    /// <summary>Warns about every Camunda attribute and extension element in the file, each once.</summary>
    private void WarnVendorExtensions(XElement definitions)
    {
        foreach (var element in definitions.DescendantsAndSelf())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (IsVendor(element.Name.Namespace))
            {
                // Only the outermost: the parts of a camunda:inputOutput belong to its one warning.
                if (element.Parent is { } parent && !IsVendor(parent.Name.Namespace))
                {
                    WarnVendor(element, Owner(parent), "Ekstensi", element.Name.LocalName, element.GetPrefixOfNamespace(element.Name.Namespace));
                }

                continue;
            }

            foreach (var attribute in element.Attributes().Where(a => IsVendor(a.Name.Namespace)))
            {
                if (attribute.Name.Namespace == Camunda && ReadVendorAttributes.Contains((element.Name.LocalName, attribute.Name.LocalName)))
                {
                    continue;
                }

                WarnVendor(element, Owner(element), "Atribut", attribute.Name.LocalName, element.GetPrefixOfNamespace(attribute.Name.Namespace));
            }
        }
    }

    private void WarnVendor(XElement element, XElement owner, string what, string name, string? prefix)
    {
        var id = Text(owner.Attribute("id"));
        var reason = VendorReasons.GetValueOrDefault(name) ?? "mesin ini tidak membacanya";
        Warning(element, id, $"{what} {prefix ?? "camunda"}:{name} pada {Describe.Element(owner.Name.LocalName, Text(owner.Attribute("name")), id ?? owner.Name.LocalName)} diabaikan: {reason}.");
    }

    /// <summary>The BPMN element a setting belongs to: the nearest one with an id, past extensionElements.</summary>
    private static XElement Owner(XElement element)
    {
        for (var current = element; current is not null; current = current.Parent)
        {
            if (current.Name.Namespace == Semantic && current.Attribute("id") is not null)
            {
                return current;
            }
        }

        return element;
    }

    private static bool IsVendor(XNamespace ns) => ns == Camunda || ns == Zeebe;
}
