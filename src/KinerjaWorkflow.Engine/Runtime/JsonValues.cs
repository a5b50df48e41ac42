using System.Text.Json;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>
/// Makes the JSON values the runtime writes into variables. Every element owns its document, so the state
/// never points into a document someone else may dispose.
/// </summary>
internal static class JsonValues
{
    public static readonly JsonElement Null = JsonSerializer.SerializeToElement<string?>(null);

    public static JsonElement String(string? value) => value is null ? Null : JsonSerializer.SerializeToElement(value);

    public static JsonElement Number(int value) => JsonSerializer.SerializeToElement(value);

    public static JsonElement Strings(IEnumerable<string?> values) => JsonSerializer.SerializeToElement(values.ToArray());

    /// <summary>
    /// Looks a name up among variables: the name itself, or else a path into a JSON object ("pemohon.nama"),
    /// as the condition language reads it.
    /// </summary>
    public static bool TryResolve(IReadOnlyDictionary<string, JsonElement> variables, string name, out JsonElement value)
    {
        if (variables.TryGetValue(name, out value))
        {
            return true;
        }

        var path = name.Split('.');
        if (path.Length < 2 || !variables.TryGetValue(path[0], out value))
        {
            value = default;
            return false;
        }

        foreach (var property in path.Skip(1))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(property, out value))
            {
                value = default;
                return false;
            }
        }

        return true;
    }
}
