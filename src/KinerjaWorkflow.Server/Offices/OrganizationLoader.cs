using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Notifications;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>An organization.yaml that cannot be used; <see cref="Problems"/> lists everything found wrong.</summary>
public sealed class OrganizationFileException(IReadOnlyList<string> problems)
    : Exception("Invalid organization file:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => " - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Reads and validates workflows/&lt;office&gt;/organization.yaml files.</summary>
public static partial class OrganizationLoader
{
    public const string FileName = "organization.yaml";

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>Every workflows/*/organization.yaml; usernames must be unique across all of them.</summary>
    public static IReadOnlyList<Organization> LoadAll(string workflowsPath)
    {
        var organizations = new List<Organization>();
        var problems = new List<string>();
        var files = Directory.GetDirectories(workflowsPath)
            .Select(folder => Path.Combine(folder, FileName))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                organizations.Add(LoadFile(file));
            }
            catch (OrganizationFileException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        var sharedUserNames = organizations
            .SelectMany(o => o.Users.Select(u => (u.UserName, o.OfficeId)))
            .GroupBy(x => x.UserName, StringComparer.Ordinal)
            .Where(g => g.Count() > 1);
        foreach (var shared in sharedUserNames)
        {
            problems.Add($"username '{shared.Key}' is used in offices {string.Join(" and ", shared.Select(x => x.OfficeId))}; usernames must be unique across offices.");
        }

        return problems.Count > 0 ? throw new OrganizationFileException(problems) : organizations;
    }

    /// <summary>One file; the office id is the name of the folder it is in.</summary>
    public static Organization LoadFile(string path)
    {
        var officeId = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))!;
        return Parse(officeId, File.ReadAllText(path), $"{officeId}/{FileName}");
    }

    /// <summary>The text of an organization file, e.g. as stored with its office.</summary>
    public static Organization Parse(string officeId, string yaml, string? source = null)
    {
        source ??= $"{officeId}/{FileName}";
        var problems = new List<string>();
        OrganizationFile? file;
        IReadOnlyDictionary<string, JsonElement> variables;
        try
        {
            file = Deserializer.Deserialize<OrganizationFile>(yaml);
            variables = ReadVariables(yaml, problems);
        }
        catch (YamlException ex)
        {
            throw new OrganizationFileException([$"{source}: line {ex.Start.Line}: {Describe(ex)}"]);
        }

        if (file is null)
        {
            throw new OrganizationFileException([$"{source}: the file is empty."]);
        }

        var organization = Validate(officeId, file, variables, yaml, problems);
        return problems.Count > 0
            ? throw new OrganizationFileException(problems.Select(p => $"{source}: {p}").ToList())
            : organization!;
    }

    private static Organization? Validate(
        string officeId, OrganizationFile file, IReadOnlyDictionary<string, JsonElement> variables, string yaml, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(file.Name))
        {
            problems.Add("name is required.");
        }

        var timeZone = ReadTimeZone(file.TimeZone, problems);
        var officeHours = ReadOfficeHours(file, problems);
        var closures = ReadClosures(file.Closures, problems);
        var reminderAt = file.ReminderAt ?? double.NaN;
        if (file.ReminderAt is null)
        {
            problems.Add("reminderAt is required: the share of a step's allowed working time after which its assignees are reminded, e.g. 0.75.");
        }
        else if (reminderAt is <= 0 or >= 1)
        {
            problems.Add($"reminderAt {reminderAt.ToString(CultureInfo.InvariantCulture)} must be greater than 0 and less than 1 (a share of the allowed time).");
        }

        var escalationInterval = ReadEscalationInterval(file.EscalationInterval, problems);
        var roles = ReadRoles(file.Roles, problems);
        var users = ReadUsers(file.Users, roles, problems);
        var webhooks = ReadWebhooks(file.Webhooks, problems);
        var headEscalationTo = string.IsNullOrWhiteSpace(file.HeadEscalationTo) ? null : file.HeadEscalationTo.Trim();
        if (headEscalationTo is not null && roles.Count > 0)
        {
            if (!roles.Any(r => r.Name == headEscalationTo))
            {
                problems.Add($"headEscalationTo '{headEscalationTo}' is not a role of this office.");
            }
            else if (roles.Any(r => r.Name == headEscalationTo && r.IsHead))
            {
                problems.Add($"headEscalationTo '{headEscalationTo}' is the head of office itself; name the role that follows up the head's overdue steps, e.g. the Sekretaris.");
            }
        }

        if (problems.Count > 0)
        {
            return null;
        }

        var warnings = roles
            .Where(r => !users.Any(u => u.Roles.Contains(r.Name)))
            .Select(r => $"role '{r.Name}' has no user.")
            .ToList();
        return new Organization(
            officeId,
            file.Name!.Trim(),
            string.IsNullOrWhiteSpace(file.ShortName) ? file.Name.Trim() : file.ShortName.Trim(),
            timeZone!,
            file.TimeZone!.Trim(),
            officeHours!,
            closures,
            reminderAt,
            escalationInterval!.Value,
            headEscalationTo,
            roles,
            users,
            webhooks,
            variables,
            yaml,
            warnings);
    }

    /// <summary>
    /// officeHours must name all seven days and breaks every open day, so an office's working time is read from its
    /// file alone and never from a default it cannot see.
    /// </summary>
    private static OfficeHours? ReadOfficeHours(OrganizationFile file, List<string> problems)
    {
        if (file.OfficeHours is null)
        {
            problems.Add("officeHours is required: write every day monday … sunday, e.g. monday: 07:30-16:00, saturday: tutup.");
            return null;
        }

        if (file.Breaks is null)
        {
            problems.Add("breaks is required: write every open day's breaks, e.g. monday: 12:00-13:00, or monday: tidak ada.");
            return null;
        }

        var named = file.OfficeHours.Keys
            .Select(k => OfficeHours.TryParseDay(k, out var day) ? day : (DayOfWeek?)null)
            .ToHashSet();
        var missing = Enum.GetValues<DayOfWeek>().Where(d => !named.Contains(d)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"officeHours does not name {string.Join(", ", missing.Select(d => d.ToString().ToLowerInvariant()))}; write every day, \"tutup\" for a closed one.");
        }

        if (!OfficeHours.TryParse(file.OfficeHours, file.Breaks, out var hours, out var errors))
        {
            problems.AddRange(errors.Select(e => "officeHours/breaks: " + e));
            return null;
        }

        var withBreaks = file.Breaks.Keys
            .Select(k => OfficeHours.TryParseDay(k, out var day) ? day : (DayOfWeek?)null)
            .ToHashSet();
        var unstated = Enum.GetValues<DayOfWeek>().Where(d => hours!.For(d) is not null && !withBreaks.Contains(d)).ToList();
        if (unstated.Count > 0)
        {
            problems.Add($"breaks does not name {string.Join(", ", unstated.Select(d => d.ToString().ToLowerInvariant()))}; write each open day's breaks, or \"tidak ada\".");
        }

        return missing.Count > 0 || unstated.Count > 0 ? null : hours;
    }

    private static WaktuDuration? ReadEscalationInterval(string? text, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add("escalationInterval is required: the time between one escalation level and the next, e.g. \"1 Hari Kerja\".");
            return null;
        }

        if (!WaktuParser.TryParse(text, null, out var waktu, out var error))
        {
            problems.Add($"escalationInterval: {error}");
            return null;
        }

        if (waktu!.Expected is not null || waktu.Deadline.Amount <= 0)
        {
            problems.Add($"escalationInterval \"{text.Trim()}\" must be one Waktu longer than zero, not a range.");
            return null;
        }

        return waktu.Deadline;
    }

    private static TimeZoneInfo? ReadTimeZone(string? name, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("timeZone is required, e.g. Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).");
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problems.Add($"timeZone '{name}' is not a known time zone; use an IANA name such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).");
            return null;
        }
    }

    private static List<OfficeClosure> ReadClosures(List<OrganizationFile.ClosureEntry>? entries, List<string> problems)
    {
        var closures = new List<OfficeClosure>();
        foreach (var (entry, index) in (entries ?? []).Select((e, i) => (e, i)))
        {
            if (!DateOnly.TryParseExact(entry.Date?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                problems.Add($"closures[{index}].date '{entry.Date}' is not a date like 2025-12-31.");
                continue;
            }

            closures.Add(new OfficeClosure(date, entry.Name?.Trim() ?? ""));
        }

        return closures;
    }

    private static List<OrganizationRole> ReadRoles(List<OrganizationFile.RoleEntry>? entries, List<string> problems)
    {
        if (entries is null || entries.Count == 0)
        {
            problems.Add("roles: at least one role is required.");
            return [];
        }

        var roles = new List<OrganizationRole>();
        foreach (var (entry, index) in entries.Select((e, i) => (e, i)))
        {
            var name = entry.Name?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                problems.Add($"roles[{index}] has no name.");
                continue;
            }

            if (roles.Any(r => r.Name == name))
            {
                problems.Add($"role '{name}' is listed twice.");
                continue;
            }

            var supervisor = string.IsNullOrWhiteSpace(entry.Supervisor) ? null : entry.Supervisor.Trim();
            roles.Add(new OrganizationRole(name, supervisor, entry.Head));
        }

        var heads = roles.Where(r => r.IsHead).Select(r => r.Name).ToList();
        if (heads.Count == 0)
        {
            problems.Add("no role is the head of office; mark exactly one role with head: true.");
        }
        else if (heads.Count > 1)
        {
            problems.Add($"several roles are marked head: {string.Join(", ", heads)}; exactly one role is the head of office.");
        }

        var names = roles.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            if (role.IsHead && role.Supervisor is not null)
            {
                problems.Add($"role '{role.Name}' is the head of office and cannot have a supervisor.");
            }
            else if (!role.IsHead && role.Supervisor is null)
            {
                problems.Add($"role '{role.Name}' has no supervisor; every role except the head of office needs one.");
            }
            else if (role.Supervisor is not null && !names.Contains(role.Supervisor))
            {
                problems.Add($"role '{role.Name}' has supervisor '{role.Supervisor}', which is not a role of this office.");
            }
        }

        ReportCycles(roles, problems);
        return roles;
    }

    private static void ReportCycles(List<OrganizationRole> roles, List<string> problems)
    {
        var byName = roles.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in roles)
        {
            var path = new List<string>();
            for (var current = start; current is not null;
                 current = current.Supervisor is null ? null : byName.GetValueOrDefault(current.Supervisor))
            {
                var seenAt = path.IndexOf(current.Name);
                if (seenAt >= 0)
                {
                    var cycle = path[seenAt..];
                    var isNew = !cycle.Any(reported.Contains);
                    reported.UnionWith(cycle);
                    if (isNew)
                    {
                        problems.Add($"the supervisor chain has a cycle: {string.Join(" → ", cycle.Append(current.Name))}.");
                    }

                    break;
                }

                path.Add(current.Name);
            }
        }
    }

    private static List<OrganizationUser> ReadUsers(
        List<OrganizationFile.UserEntry>? entries, List<OrganizationRole> roles, List<string> problems)
    {
        var users = new List<OrganizationUser>();
        var roleNames = roles.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (entry, index) in (entries ?? []).Select((e, i) => (e, i)))
        {
            var userName = entry.Username?.Trim();
            if (string.IsNullOrEmpty(userName))
            {
                problems.Add($"users[{index}] has no username.");
                continue;
            }

            if (!UserNamePattern().IsMatch(userName))
            {
                problems.Add($"username '{userName}' may contain only lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.");
            }

            if (users.Any(u => u.UserName == userName))
            {
                problems.Add($"username '{userName}' is listed twice.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                problems.Add($"user '{userName}' has no name.");
            }

            var userRoles = (entry.Roles ?? []).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (userRoles.Count == 0)
            {
                problems.Add($"user '{userName}' has no roles.");
            }

            foreach (var unknown in userRoles.Where(r => !roleNames.Contains(r)))
            {
                problems.Add($"user '{userName}' has role '{unknown}', which is not a role of this office.");
            }

            users.Add(new OrganizationUser(
                userName,
                entry.Name?.Trim() ?? "",
                userRoles,
                entry.Admin,
                string.IsNullOrWhiteSpace(entry.Email) ? null : entry.Email.Trim()));
        }

        return users;
    }

    private static List<OrganizationWebhook> ReadWebhooks(List<OrganizationFile.WebhookEntry>? entries, List<string> problems)
    {
        var webhooks = new List<OrganizationWebhook>();
        foreach (var (entry, index) in (entries ?? []).Select((e, i) => (e, i)))
        {
            var text = entry.Url?.Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"webhooks[{index}].url '{entry.Url}' is not an absolute http or https URL.");
                continue;
            }

            if (webhooks.Any(w => w.Url == url))
            {
                problems.Add($"webhook '{url}' is listed twice.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(entry.Secret))
            {
                problems.Add($"webhook '{url}' has no secret; receivers check the X-Kinerja-Signature made with it.");
                continue;
            }

            HashSet<string>? events = null;
            if (entry.Events is not null)
            {
                events = entry.Events.Select(e => e.Trim()).ToHashSet(StringComparer.Ordinal);
                foreach (var unknown in events.Where(e => !NotificationKinds.All.Contains(e)))
                {
                    problems.Add($"webhook '{url}' has event '{unknown}'; known events are {string.Join(", ", NotificationKinds.All)}.");
                }
            }

            webhooks.Add(new OrganizationWebhook(url, entry.Secret, events));
        }

        return webhooks;
    }

    private static IReadOnlyDictionary<string, JsonElement> ReadVariables(string yaml, List<string> problems)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var variables = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0
            || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("variables"), out var node)
            || node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" })
        {
            return variables;
        }

        if (node is not YamlMappingNode mapping)
        {
            problems.Add("variables must be a mapping of variable names to values.");
            return variables;
        }

        foreach (var (key, value) in mapping.Children)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                WriteJson(writer, value);
            }

            using var document = JsonDocument.Parse(buffer.ToArray());
            variables[((YamlScalarNode)key).Value ?? ""] = document.RootElement.Clone();
        }

        return variables;
    }

    /// <summary>YAML 1.2 core schema: a plain scalar may be null, a boolean or a number; a quoted one is text.</summary>
    private static void WriteJson(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    writer.WritePropertyName(((YamlScalarNode)key).Value ?? "");
                    WriteJson(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode { Style: ScalarStyle.Plain } plain:
                WritePlainScalar(writer, plain.Value ?? "");
                break;
            case YamlScalarNode scalar:
                writer.WriteStringValue(scalar.Value);
                break;
            default:
                throw new YamlException(node.Start, node.End, $"Unsupported YAML node {node.NodeType}.");
        }
    }

    private static void WritePlainScalar(Utf8JsonWriter writer, string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            writer.WriteNullValue();
        }
        else if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(value.StartsWith('t') || value.StartsWith('T'));
        }
        else if (NumberPattern().IsMatch(value)
                 && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static string Describe(YamlException exception)
    {
        Exception innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var unknownKey = UnknownProperty().Match(innermost.Message);
        return unknownKey.Success ? $"unknown key '{unknownKey.Groups["key"].Value}'." : innermost.Message;
    }

    [GeneratedRegex(@"^Property '(?<key>[^']*)' not found on type")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex NumberPattern();
}
