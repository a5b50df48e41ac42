using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;

namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>
/// The service as its own operating-system process (the built KinerjaWorkflow.Server.dll under <c>dotnet</c>), for
/// what an in-process test host cannot show: several nodes on one database, and <c>kill -9</c> in mid-load.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public ServiceProcess(string name, ServerData data, IReadOnlyDictionary<string, string>? settings = null)
    {
        Name = name;
        Port = FreeLoopbackPort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["Database__Provider"] = data.Provider,
            ["ConnectionStrings__Kinerja"] = data.ConnectionString,
            ["Workflows__Path"] = data.WorkflowsPath,
            ["Identity__DemoPassword"] = KinerjaServer.DemoPassword,
            ["Logs__Path"] = Path.Combine(data.Folder, "logs", name, "kinerja-.log"),
            ["Attachments__Path"] = Path.Combine(data.Folder, "attachments"),
            ["DOTNET_NOLOGO"] = "1",

            // As the in-process test server: many sign-ins from one address, webhooks to LoopbackReceivers.
            ["Identity__SignInsPerAddress"] = "1000000",
            ["Identity__SignInBurstPerAddress"] = "1000000",
            ["Identity__SignInsPerUser"] = "1000000",
            ["Outbound__AllowedHosts__0"] = "127.0.0.1",
            ["Outbound__AllowedNetworks__0"] = "127.0.0.1/32",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        _environment = environment;
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }

    /// <summary>The operating-system process id of the running service (it names the node's Hangfire server).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"Node {Name} has not been started.");

    /// <summary>What the process wrote to its console, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the process and waits until it answers /health/ready; after <see cref="Kill"/>, starts it again on the same port.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{ServerAssembly}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(ServerAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start node {Name}.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new TimeoutException($"Node {Name} did not become ready within {limit}:\n{Output}");
    }

    /// <summary>kill -9: no shutdown handlers, no flushing, exactly as a power cut or an OOM kill ends it.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            using var kill = Process.Start("kill", $"-9 {_process.Id}");
            kill.WaitForExit();
            _process.WaitForExit();
        }
    }

    public async Task<HttpClient> SignInAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password = KinerjaServer.DemoPassword });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.Token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    /// <summary>The server's own build output, beside the test project's in the same configuration.</summary>
    internal static string ServerAssembly
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            var path = Path.Combine(RepositoryRoot.Path, "src", "KinerjaWorkflow.Server", "bin", configuration, framework, "KinerjaWorkflow.Server.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"The server is not built at {path}; build the solution first (dotnet test does).");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record TokenResponse(string Token);
}
