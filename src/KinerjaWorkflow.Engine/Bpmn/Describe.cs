using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>How problems name elements: the way an SOP author knows them (step number and name), not XML.</summary>
internal static class Describe
{
    public static string Node(FlowNode node) =>
        node is HumanTask { Step.Number: int number }
            ? $"Langkah {number} \"{Name(node.Name, node.Id)}\""
            : Element(node.ElementType, node.Name, node.Id);

    public static string Element(string elementType, string? name, string id) => $"{Kind(elementType)} \"{Name(name, id)}\"";

    public static string Flow(SequenceFlow flow) => Element("sequenceFlow", flow.Name, flow.Id);

    public static string Scope(ProcessModel model, Scope scope) =>
        scope.Owner is { } owner ? Node(owner) : Element("process", model.Name, model.Key);

    /// <summary>Modelers allow line breaks in names; a message wants them on one line.</summary>
    public static string Name(string? name, string id) =>
        string.IsNullOrWhiteSpace(name) ? id : string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Kind(string elementType) => elementType switch
    {
        "userTask" or "manualTask" or "task" => "Tugas",
        "serviceTask" => "Tugas layanan",
        "sendTask" => "Tugas kirim",
        "exclusiveGateway" => "Percabangan eksklusif",
        "parallelGateway" => "Percabangan paralel",
        "inclusiveGateway" => "Percabangan inklusif",
        "startEvent" => "Peristiwa awal",
        "endEvent" => "Peristiwa akhir",
        "intermediateCatchEvent" => "Peristiwa timer",
        "boundaryEvent" => "Peristiwa batas",
        "subProcess" => "Sub-proses",
        "callActivity" => "Aktivitas panggilan",
        "sequenceFlow" => "Alur",
        "lane" => "Lajur",
        "process" => "Proses",
        "participant" => "Peserta (pool)",
        _ => $"Elemen {elementType}",
    };
}
