using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Tests.Bpmn;

/// <summary>Small BPMN documents for tests, written the way bpmn-js writes them (prefix bpmn:).</summary>
internal static class BpmnText
{
    public const string ProcessId = "uji";

    public static string Definitions(string content) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                          xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0" id="Definitions_1">
        {content}
        </bpmn:definitions>
        """;

    /// <summary>A document whose one executable process holds <paramref name="body"/>.</summary>
    public static string Process(string body, string processAttributes = "") => Definitions($"""
          <bpmn:process id="{ProcessId}" name="Proses Uji" isExecutable="true" {processAttributes}>
        {body}
          </bpmn:process>
        """);

    public static string Start(string id = "Start") => $"""<bpmn:startEvent id="{id}" />""";

    public static string End(string id = "End") => $"""<bpmn:endEvent id="{id}" />""";

    /// <summary>A user task for the role "Sekretaris", with step number <paramref name="nomor"/>.</summary>
    public static string Task(string id, int nomor = 1, string? waktu = null, string? outcomes = null, string roles = "Sekretaris")
    {
        var waktuAttribute = waktu is null ? string.Empty : $""" waktu="{waktu}" """;
        var outcomesAttribute = outcomes is null ? string.Empty : $""" outcomes="{outcomes}" """;
        var rolesAttribute = roles.Length == 0 ? string.Empty : $""" sop:candidateGroups="{roles}" """;
        return $"""
            <bpmn:userTask id="{id}" name="Tugas {id}"{rolesAttribute}>
              <bpmn:extensionElements><sop:step nomor="{nomor}"{waktuAttribute}{outcomesAttribute}/></bpmn:extensionElements>
            </bpmn:userTask>
            """;
    }

    public static string Flow(string from, string to, string? condition = null, string? id = null)
    {
        var flowId = id ?? $"{from}_{to}";
        return condition is null
            ? $"""<bpmn:sequenceFlow id="{flowId}" sourceRef="{from}" targetRef="{to}" />"""
            : $"""
                <bpmn:sequenceFlow id="{flowId}" sourceRef="{from}" targetRef="{to}">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{System.Security.SecurityElement.Escape(condition)}</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                """;
    }

    /// <summary>Flows from each id to the next, with ids "A_B".</summary>
    public static string Chain(params string[] ids) =>
        string.Join('\n', ids.Zip(ids.Skip(1), (from, to) => Flow(from, to)));

    /// <summary>Start, the given task(s) in a row, End: a valid process around whatever is under test.</summary>
    public static string Linear(params (string Id, string Xml)[] nodes) =>
        Process(string.Join('\n', nodes.Select(n => n.Xml).Prepend(Start()).Append(End()))
            + "\n" + Chain([.. nodes.Select(n => n.Id).Prepend("Start").Append("End")]));

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bpmn", "Fixtures", name));

    /// <summary>Reads a document the reader must accept without any problem, and returns its model.</summary>
    public static ProcessModel ReadClean(string xml)
    {
        var result = BpmnReader.Read(xml);
        result.Problems.Select(p => $"{p.ElementId}: {p.Message}").Should().BeEmpty();
        return result.Model!;
    }

    /// <summary>Reads a document the reader accepts and validates its model.</summary>
    public static IReadOnlyList<DefinitionProblem> Validate(string xml, ValidationOptions? options = null) =>
        BpmnValidator.Validate(ReadClean(xml), options ?? new ValidationOptions());
}
