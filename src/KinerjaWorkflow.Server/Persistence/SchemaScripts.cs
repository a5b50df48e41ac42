using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>One versioned schema script, e.g. Scripts/sqlite/0001_initial.sql.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalised, so a CRLF checkout is the same script.</summary>
    public string Checksum => Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

/// <summary>The schema scripts embedded in the server assembly, one folder per provider.</summary>
public static partial class SchemaScripts
{
    private const string ResourcePrefix = "KinerjaWorkflow.Schema/";

    public static string FolderName(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.Postgres => "postgres",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>The scripts of a provider in the order they apply.</summary>
    public static IReadOnlyList<SchemaScript> For(DatabaseProvider provider)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var folder = ResourcePrefix + FolderName(provider) + "/";
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var normalized = resource.Replace('\\', '/');
            if (!normalized.StartsWith(folder, StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = normalized[folder.Length..];
            var match = ScriptFileName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Schema script '{fileName}' ({FolderName(provider)}) must be named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new SchemaScript(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Schema scripts {string.Join(" and ", duplicate.Select(s => s.Name))} ({FolderName(provider)}) share version {duplicate.Key}.");
        }

        return scripts.OrderBy(s => s.Version).ToList();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptFileName();
}
