using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KinerjaWorkflow.Engine.Runtime;

/// <summary>
/// Expands a service task's URL so that variables, which the people starting and completing steps set, can
/// never change where the call goes: a value is percent-encoded as one path segment or one query value, so
/// <c>/</c>, <c>?</c>, <c>#</c>, <c>&amp;</c> and <c>=</c> stay data. Only the URL's origin may come from a
/// variable, and then it must be an origin and nothing more; which origins may be called at all is the
/// operator's allow-list in the server.
/// </summary>
internal static class UrlTemplate
{
    public static string Expand(string template, IReadOnlyDictionary<string, JsonElement> variables)
    {
        var (origin, rest) = SplitOrigin(template, variables);
        var queryAt = rest.IndexOfAny(['?', '#']);
        var path = queryAt < 0 ? rest : rest[..queryAt];
        var tail = queryAt < 0 ? "" : rest[queryAt..];
        var expanded = new StringBuilder(origin);
        expanded.AppendJoin('/', path.Split('/').Select(segment => ExpandSegment(segment, variables)));
        expanded.Append(Templates.Substitute(tail, variables, TemplateTarget.UrlPart));
        return expanded.ToString();
    }

    /// <summary>The origin (scheme and authority) expanded, and the template after it.</summary>
    private static (string Origin, string Remainder) SplitOrigin(string template, IReadOnlyDictionary<string, JsonElement> variables)
    {
        var leading = Templates.Placeholders().Match(template);
        if (leading.Success && leading.Index == 0)
        {
            return (OriginValue(leading, variables), template[leading.Length..]);
        }

        var scheme = template.IndexOf("://", StringComparison.Ordinal);
        var authorityAt = scheme < 0 ? 0 : scheme + 3;
        var pathAt = template.IndexOfAny(['/', '?', '#'], authorityAt);
        pathAt = pathAt < 0 ? template.Length : pathAt;
        var origin = Templates.Placeholders().Replace(template[..pathAt], match => HostPart(match, variables));
        return (origin, template[pathAt..]);
    }

    private static string ExpandSegment(string segment, IReadOnlyDictionary<string, JsonElement> variables)
    {
        var expanded = Templates.Substitute(segment, variables, TemplateTarget.UrlPart);
        // Encoded or not, a segment of only dots climbs the path (every URL parser resolves %2E%2E as ..).
        return expanded != segment && expanded.Replace("%2E", ".", StringComparison.OrdinalIgnoreCase) is "." or ".."
            ? throw Refused(segment, "menjadi '.' atau '..' sehingga mengubah jalur alamat")
            : expanded;
    }

    private static string OriginValue(Match placeholder, IReadOnlyDictionary<string, JsonElement> variables)
    {
        var text = Templates.Substitute(placeholder.Value, variables, TemplateTarget.Text);
        var isOrigin = Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.UserInfo.Length == 0
            && uri.AbsolutePath == "/"
            && uri.Query.Length == 0
            && uri.Fragment.Length == 0
            && !text.EndsWith('?')
            && !text.EndsWith('#');
        return isOrigin
            ? uri!.GetLeftPart(UriPartial.Authority)
            : throw Refused(placeholder.Value, "bukan alamat asal (http(s)://host[:port]) tanpa jalur, kueri atau data login");
    }

    private static string HostPart(Match placeholder, IReadOnlyDictionary<string, JsonElement> variables)
    {
        var text = Templates.Substitute(placeholder.Value, variables, TemplateTarget.Text);
        return text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')
            ? text
            : throw Refused(placeholder.Value, "bukan bagian nama host (hanya huruf, angka, titik dan tanda hubung)");
    }

    private static RuntimeCommandException Refused(string placeholder, string reason) =>
        new(RuntimeErrorKind.Invalid, $"Nilai {placeholder} tidak dapat dipakai di alamat tugas layanan: {reason}.");
}
