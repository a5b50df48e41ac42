using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>Where a <c>${name}</c> is substituted, which decides how a value is written.</summary>
internal enum TemplateTarget
{
    /// <summary>A header or a notification text: strings as they are, other values as JSON text, unknown names as nothing.</summary>
    Text,

    /// <summary>A JSON request body: strings escaped for use between quotes, other values as JSON text, unknown names as <c>null</c>.</summary>
    Json,

    /// <summary>One path segment or query value of a URL: the text as <see cref="Text"/>, then percent-encoded (RFC 3986).</summary>
    UrlPart,
}

/// <summary>Substitutes <c>${name}</c> placeholders in the texts of service and send tasks.</summary>
internal static partial class Templates
{
    public static string Substitute(string template, IReadOnlyDictionary<string, JsonElement> variables, TemplateTarget target) =>
        Placeholders().Replace(template, match => target == TemplateTarget.UrlPart
            ? Uri.EscapeDataString(Value(match, variables, TemplateTarget.Text))
            : Value(match, variables, target));

    private static string Value(Match match, IReadOnlyDictionary<string, JsonElement> variables, TemplateTarget target)
    {
        var found = JsonValues.TryResolve(variables, match.Groups["name"].Value, out var value);
        return (found, target, value.ValueKind) switch
        {
            (false, TemplateTarget.Text, _) => string.Empty,
            (false, TemplateTarget.Json, _) => "null",
            (true, TemplateTarget.Text, JsonValueKind.String) => value.GetString()!,
            (true, TemplateTarget.Text, JsonValueKind.Null) => string.Empty,
            // Relaxed: the body is JSON, never HTML, and names like "Dinas Pekerjaan Umum & Penataan Ruang" stay readable.
            (true, TemplateTarget.Json, JsonValueKind.String) =>
                JsonEncodedText.Encode(value.GetString()!, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
            _ => value.GetRawText(),
        };
    }

    [GeneratedRegex(@"\$\{\s*(?<name>[\p{L}_][\p{L}\p{Nd}_.]*)\s*\}", RegexOptions.CultureInvariant)]
    public static partial Regex Placeholders();
}
