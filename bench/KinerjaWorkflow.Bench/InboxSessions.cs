using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace KinerjaWorkflow.Bench;

/// <summary>One HTTP client per bench user, signed in once with a bearer token, all on one connection pool.</summary>
internal sealed class InboxSessions(Uri baseAddress) : IDisposable
{
    private readonly SocketsHttpHandler _handler = new() { MaxConnectionsPerServer = 512, UseCookies = false };
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public async Task<HttpClient> AsAsync(string user)
    {
        if (!_clients.TryGetValue(user, out var client))
        {
            client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress };
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password = InboxBenchHost.DemoPassword });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            _clients[user] = client;
        }

        return client;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _handler.Dispose();
    }
}
