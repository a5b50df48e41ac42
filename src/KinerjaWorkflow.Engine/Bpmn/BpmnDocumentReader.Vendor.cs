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

    /// <summary>
    /// The prefix each vendor namespace is written with, looked up once: finding it walks the element's
    /// attributes and its ancestors', so looking it up per attribute made fifty thousand attributes on one
    /// element cost their square.
    /// </summary>
    private readonly Dictionary<XNamespace, string?> _vendorPrefixes = [];

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
                    var label = OwnerLabel(Owner(parent), out var id);
                    WarnVendor(element, id, label, "Ekstensi", element.Name.LocalName, VendorPrefix(element, element.Name.Namespace));
                }

                continue;
            }

            // The owner is described once per element: looking up its name scans all the element's
            // attributes, which per attribute made fifty thousand of them cost their square.
            string? owner = null;
            string? ownerId = null;
            foreach (var attribute in element.Attributes().Where(a => IsVendor(a.Name.Namespace)))
            {
                if (attribute.Name.Namespace == Camunda && ReadVendorAttributes.Contains((element.Name.LocalName, attribute.Name.LocalName)))
                {
                    continue;
                }

                owner ??= OwnerLabel(Owner(element), out ownerId);
                WarnVendor(element, ownerId, owner, "Atribut", attribute.Name.LocalName, VendorPrefix(element, attribute.Name.Namespace));
            }
        }
    }

    private void WarnVendor(XElement element, string? ownerId, string ownerLabel, string what, string name, string? prefix)
    {
        var reason = VendorReasons.GetValueOrDefault(name) ?? "mesin ini tidak membacanya";
        Warning(element, ownerId, $"{what} {prefix ?? "camunda"}:{name} pada {ownerLabel} diabaikan: {reason}.");
    }

    private static string OwnerLabel(XElement owner, out string? id)
    {
        id = Text(owner.Attribute("id"));
        return Describe.Element(owner.Name.LocalName, Text(owner.Attribute("name")), id ?? owner.Name.LocalName);
    }

    private string? VendorPrefix(XElement element, XNamespace ns)
    {
        if (!_vendorPrefixes.TryGetValue(ns, out var prefix))
        {
            prefix = element.GetPrefixOfNamespace(ns);
            _vendorPrefixes[ns] = prefix;
        }

        return prefix;
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
