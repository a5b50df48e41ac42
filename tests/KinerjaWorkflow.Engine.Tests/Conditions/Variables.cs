using System.Text.Json;

namespace KinerjaWorkflow.Engine.Tests.Conditions;

/// <summary>Builds instance variables from a JSON object literal, as the engine stores them.</summary>
internal static class Variables
{
    public static IReadOnlyDictionary<string, JsonElement> From(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }
}
