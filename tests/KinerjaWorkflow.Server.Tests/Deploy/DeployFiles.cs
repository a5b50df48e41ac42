using System.Globalization;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace KinerjaWorkflow.Server.Tests.Deploy;

/// <summary>A setting as a deploy file writes it: <c>Section__Key=value</c>, <c>Environment=Section__Key=value</c> or <c>Section__Key: value</c>.</summary>
/// <param name="Commented">Written as an example behind <c>#</c>: named, but not in effect.</param>
public sealed record DeploySetting(string File, string Key, string Value, bool Commented)
{
    /// <summary>The key as the service's configuration reads it: <c>Section:Key</c>.</summary>
    public string ConfigurationKey => Key.Replace("__", ":", StringComparison.Ordinal);
}

/// <summary>Reads the files of deploy/ the way systemd, Docker Compose and nginx read the parts the tests check.</summary>
public static partial class DeployFiles
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot.Path, "deploy");

    public static string Read(string file) => File.ReadAllText(Path.Combine(Folder, file));

    /// <summary>Every <c>Section__Key</c> setting a file names, in effect or as a commented example.</summary>
    public static IReadOnlyList<DeploySetting> Settings(string file) =>
        Read(file).Split('\n')
            .Select(line => SettingLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new DeploySetting(file, match.Groups["key"].Value, Unquote(match.Groups["value"].Value), match.Groups["comment"].Success))
            .ToList();

    /// <summary>The settings in effect, as configuration: later files win, as systemd's later EnvironmentFile does.</summary>
    public static IConfiguration Configuration(IEnumerable<DeploySetting> settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(s => !s.Commented).Select(s => KeyValuePair.Create(s.ConfigurationKey, (string?)s.Value)))
            .Build();

    /// <summary>The value of a plain <c>NAME=value</c> line (an env file) or a unit's <c>Name=value</c> line.</summary>
    public static IReadOnlyList<string> Values(string file, string name) =>
        Read(file).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(name + "=", StringComparison.Ordinal))
            .Select(line => line[(name.Length + 1)..])
            .ToList();

    /// <summary>The <c>Section__Key</c> settings of a unit's <c>Environment=</c> lines, with the instance name put in for <c>%i</c>.</summary>
    public static IReadOnlyList<DeploySetting> UnitSettings(string unit, string? instance) =>
        Settings(unit)
            .Where(s => !s.Commented)
            .Select(s => s with { Value = s.Value.Replace("%i", instance ?? "", StringComparison.Ordinal) })
            .ToList();

    /// <summary>The port of every <c>server host:port</c> line of an nginx upstream block.</summary>
    public static IReadOnlyList<int> UpstreamPorts(string file, string upstream)
    {
        var block = Block(Read(file), $"upstream {upstream}");
        return UpstreamServer().Matches(block).Select(m => int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The text between the braces that follow the first <paramref name="header"/>, nested blocks included.</summary>
    public static string Block(string text, string header)
    {
        var start = text.IndexOf(header + " {", StringComparison.Ordinal);
        return start >= 0 ? BlockAt(text, start) : throw new InvalidOperationException($"No '{header} {{' block.");
    }

    /// <summary>Every block that opens with <paramref name="header"/> at the start of a line, e.g. each <c>server</c>.</summary>
    public static IReadOnlyList<string> Blocks(string text, string header) =>
        Regex.Matches(text, $@"^{Regex.Escape(header)} \{{", RegexOptions.Multiline).Select(m => BlockAt(text, m.Index)).ToList();

    private static string BlockAt(string text, int start)
    {
        var open = text.IndexOf('{', start);
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[(open + 1)..i];
            }
        }

        throw new InvalidOperationException($"The block at {start} is not closed.");
    }

    /// <summary>systemd writes a space in a value as <c>\x20</c>; Compose values may be quoted.</summary>
    private static string Unquote(string value)
    {
        value = value.Trim().Replace(@"\x20", " ", StringComparison.Ordinal);
        return value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
    }

    [GeneratedRegex(@"^\s*(?<comment>#\s*)?(?:Environment=)?(?<key>[A-Z][A-Za-z0-9]*(?:__[A-Za-z0-9]+)+)(?:=|:\s)(?<value>.*)$")]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"^\s*server\s+[^\s:;]+:(?<port>\d+)[\s;]", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();
}
