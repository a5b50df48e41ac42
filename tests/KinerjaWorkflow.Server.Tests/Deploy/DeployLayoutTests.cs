using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Outbound;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace KinerjaWorkflow.Server.Tests.Deploy;

/// <summary>
/// deploy/ says what an operator installs; these tests hold it to the service it deploys: the settings it names
/// are settings the service reads, the proxy balances the ports the nodes listen on, each node logs apart, and
/// the stream nginx leaves unbuffered is the service's live-notification route.
/// </summary>
public sealed class DeployLayoutTests
{
    private const string SharedSettings = "kinerjaworkflow.env.example";
    private const string NodeUnit = "kinerjaworkflow@.service";
    private const string SingleUnit = "kinerjaworkflow.service";
    private const string Compose = "compose.yaml";
    private const string Nginx = "nginx.conf";
    private const string NginxCompose = "nginx-compose.conf";
    private const string StreamRoute = "/api/notifications/stream";

    private static readonly string[] NodeFiles = ["node1.env", "node2.env"];
    private static readonly string[] SettingFiles = [SharedSettings, NodeUnit, SingleUnit, Compose, .. NodeFiles];

    /// <summary>Sections bound onto an options class: a key the class lacks, or a value it cannot take, throws.</summary>
    private static readonly Dictionary<string, Action<IConfigurationSection>> BoundSections = new(StringComparer.OrdinalIgnoreCase)
    {
        [HostingSafetyOptions.SectionName] = s =>
        {
            // The service parses each proxy at start-up, and a name instead of an address stops it there.
            var unparsed = Bind<HostingSafetyOptions>(s).KnownProxies.Where(p => !IPAddress.TryParse(p, out _)).ToList();
            if (unparsed.Count > 0)
            {
                throw new InvalidOperationException($"Hosting:KnownProxies takes IP addresses, not {string.Join(", ", unparsed)}.");
            }
        },
        [KinerjaIdentityOptions.SectionName] = s => Bind<KinerjaIdentityOptions>(s),
        [SmtpOptions.SectionName] = s => Bind<SmtpOptions>(s),
        [OutboundOptions.SectionName] = s => Bind<OutboundOptions>(s),
        [AttachmentOptions.SectionName] = s => Bind<AttachmentOptions>(s),
        [NotificationOptions.SectionName] = s => Bind<NotificationOptions>(s),
    };

    /// <summary>Keys the service reads one by one rather than through an options class.</summary>
    private static readonly HashSet<string> KeysReadByName = new(StringComparer.OrdinalIgnoreCase)
    {
        $"ConnectionStrings:{DatabaseSettings.ConnectionStringName}",
        "Database:Provider",
        WorkflowsFolder.ConfigurationKey,
        "Logs:Path",
    };

    [Fact]
    public void Every_setting_the_deploy_files_name_is_one_the_service_reads()
    {
        var settings = SettingFiles.SelectMany(DeployFiles.Settings).ToList();
        settings.Select(s => s.ConfigurationKey).Should().Contain(
            ["Database:Provider", "Attachments:Path", "Hosting:KnownProxies:0", "Identity:InitialPasswords:erasukma", "Logs:Path"],
            "the files name these, and a reader that finds none of them reads nothing");

        var unread = new List<string>();
        foreach (var setting in settings)
        {
            var section = setting.ConfigurationKey.Split(':')[0];
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection([KeyValuePair.Create(setting.ConfigurationKey, (string?)setting.Value)])
                .Build();
            if (BoundSections.TryGetValue(section, out var bind))
            {
                try
                {
                    bind(configuration.GetSection(section));
                }
                catch (InvalidOperationException ex)
                {
                    unread.Add($"{setting.File}: {setting.Key}={setting.Value}: {ex.Message}");
                }
            }
            else if (!KeysReadByName.Contains(setting.ConfigurationKey))
            {
                unread.Add($"{setting.File}: {setting.Key} is read by no part of the service");
            }
        }

        unread.Should().BeEmpty();
    }

    [Fact]
    public void A_node_of_the_template_unit_runs_in_production_on_postgres_with_the_shared_attachments_folder()
    {
        var configuration = NodeConfiguration(1);
        var environment = Production();

        var database = DatabaseSettings.FromConfiguration(configuration, environment);
        database.Provider.Should().Be(DatabaseProvider.Postgres);

        var attachments = configuration.GetSection(AttachmentOptions.SectionName).Get<AttachmentOptions>()!;
        var stateDirectory = "/var/lib/" + DeployFiles.Values(NodeUnit, "StateDirectory").Single();
        attachments.ResolveFolder(database, environment).Should()
            .Be(stateDirectory + "/attachments", "the unit may write only its state directory, and both nodes must read one folder");

        var safety = HostingSafetyOptions.From(configuration, environment);
        safety.RequireHttps.Should().BeTrue("nginx terminates TLS and passes X-Forwarded-Proto");
        safety.KnownProxies.Should().BeEmpty("nginx is on this machine, and loopback is always believed");

        WorkflowsFolder.ConfigurationKey.Should().Be("Workflows:Path");
        configuration[WorkflowsFolder.ConfigurationKey].Should().Be(DeployFiles.Values(NodeUnit, "WorkingDirectory").Single() + "/workflows");
    }

    [Fact]
    public void Each_node_logs_into_a_folder_of_its_own_that_systemd_lets_it_write()
    {
        var environment = Production();
        var logFolders = NodeFiles.Select((_, index) => index + 1).Select(node =>
        {
            var path = KinerjaLogging.LogPath(NodeConfiguration(node), environment);
            var logsDirectory = "/var/log/" + DeployFiles.Values(NodeUnit, "LogsDirectory").Single().Replace("%i", node.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Path.GetDirectoryName(path).Should().Be(logsDirectory, "ProtectSystem=strict leaves only LogsDirectory writable under /var/log");
            return Path.GetDirectoryName(path);
        }).ToList();

        logFolders.Should().OnlyHaveUniqueItems("two services rolling one log file interleave and lose lines");
    }

    [Fact]
    public void The_proxy_balances_exactly_the_ports_the_node_files_give()
    {
        var nodePorts = NodeFiles.Select(file => new Uri(DeployFiles.Values(file, "ASPNETCORE_URLS").Single()).Port).ToList();

        nodePorts.Should().OnlyHaveUniqueItems().And.Equal(5001, 5002);
        DeployFiles.UpstreamPorts(Nginx, "kinerjaworkflow").Should().Equal(nodePorts);
        DeployFiles.Values(NodeUnit, "EnvironmentFile").Should().Contain("/etc/kinerjaworkflow/node%i.env");
        DeployFiles.Values(NodeUnit, "ExecStart").Single().Should().NotContain("--urls", "a command-line address would override the node file's");

        var composePorts = Regex.Matches(DeployFiles.Read(Compose), @"ASPNETCORE_URLS: (?<url>\S+)").Select(m => new Uri(m.Groups["url"].Value).Port);
        DeployFiles.UpstreamPorts(NginxCompose, "kinerjaworkflow").Should().Equal(composePorts);
    }

    [Fact]
    public void Nginx_balances_by_open_connections_and_passes_the_client_address_and_scheme_to_every_location()
    {
        var site = DeployFiles.Read(Nginx);
        DeployFiles.Block(site, "upstream kinerjaworkflow").Should().Contain("least_conn;");

        var server = DeployFiles.Blocks(site, "server").Single(b => b.Contains("listen 443 ssl", StringComparison.Ordinal));
        server.Should().Contain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
            .And.Contain("proxy_set_header X-Forwarded-Proto $scheme;");
        foreach (Match location in Regex.Matches(server, @"location (?<path>\S+) \{(?<body>[^}]*)\}"))
        {
            location.Groups["body"].Value.Should().NotContain(
                "proxy_set_header",
                $"a location with a proxy_set_header of its own inherits none of the server's, X-Forwarded-* included ({location.Groups["path"].Value})");
        }

        Size(Regex.Match(server, @"client_max_body_size (\S+);").Groups[1].Value).Should()
            .BeGreaterThan(new AttachmentOptions().MaxBytes, "the largest attachment the service takes must get through");
    }

    [Fact]
    public void The_stream_location_is_unbuffered_and_outlasts_the_heartbeat()
    {
        foreach (var file in new[] { Nginx, NginxCompose })
        {
            var stream = DeployFiles.Block(DeployFiles.Read(file), $"location {StreamRoute}");
            stream.Should().Contain("proxy_buffering off;", file);
            var readTimeout = Duration(Regex.Match(stream, @"proxy_read_timeout (\S+);").Groups[1].Value);
            readTimeout.Should().BeGreaterThan(4 * new NotificationOptions().HeartbeatInterval, $"{file}: an idle stream is kept open by the heartbeat");
        }
    }

    [Fact]
    public async Task The_stream_location_is_the_services_live_notification_route()
    {
        using var data = new ServerData();
        using var server = new KinerjaServer(data);
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'));
        routes.Should().Contain(StreamRoute);

        using var client = await server.SignInAsync("staf.uji");
        using var request = new HttpRequestMessage(HttpMethod.Get, StreamRoute);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
    }

    [Fact]
    public async Task Nginx_accepts_the_site_configuration()
    {
        var result = await NginxCheck.TestAsync(DeployFiles.Read(Nginx));
        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("syntax is ok");
    }

    /// <summary>The shared file's settings in effect, then the node's own file, then the unit's Environment= lines, as systemd orders them.</summary>
    private static IConfiguration NodeConfiguration(int node)
    {
        var instance = node.ToString(CultureInfo.InvariantCulture);
        return DeployFiles.Configuration(
            DeployFiles.UnitSettings(NodeUnit, instance)
                .Concat(DeployFiles.Settings(SharedSettings))
                .Concat(DeployFiles.Settings($"node{instance}.env")));
    }

    private static HostingEnvironment Production() => new()
    {
        EnvironmentName = Environments.Production,
        ApplicationName = "KinerjaWorkflow.Server",
        ContentRootPath = "/opt/kinerjaworkflow",
    };

    private static T Bind<T>(IConfigurationSection section)
        where T : new()
    {
        var options = new T();
        section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        return options;
    }

    /// <summary>An nginx size: 12m, 512k, or bytes.</summary>
    private static long Size(string value) => value[^1] switch
    {
        'k' or 'K' => long.Parse(value[..^1], CultureInfo.InvariantCulture) * 1024,
        'm' or 'M' => long.Parse(value[..^1], CultureInfo.InvariantCulture) * 1024 * 1024,
        _ => long.Parse(value, CultureInfo.InvariantCulture),
    };

    /// <summary>An nginx time: 1h, 300s, 5m, or seconds.</summary>
    private static TimeSpan Duration(string value) => value[^1] switch
    {
        'h' => TimeSpan.FromHours(int.Parse(value[..^1], CultureInfo.InvariantCulture)),
        'm' => TimeSpan.FromMinutes(int.Parse(value[..^1], CultureInfo.InvariantCulture)),
        's' => TimeSpan.FromSeconds(int.Parse(value[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)),
    };
}
