using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Tasks;

/// <summary>
/// One server for a whole test class, its clock frozen on a working Monday morning in Jakarta, and signed-in
/// clients kept per user. Tests share it by giving their instances their own business keys.
/// </summary>
public sealed class InboxFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, (HttpClient Client, DateTimeOffset ExpiresAt)> _clients = new(StringComparer.Ordinal);

    public KinerjaServer Server { get; } = new();

    /// <summary>A client signed in as the user, signed in again when the server's clock has moved past its token.</summary>
    public async Task<HttpClient> As(string userName)
    {
        if (_clients.TryGetValue(userName, out var known) && known.ExpiresAt - TimeSpan.FromMinutes(30) > Server.Clock.GetUtcNow())
        {
            return known.Client;
        }

        var client = Server.CreateClient();
        var token = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password = KinerjaServer.DemoPassword }).OkJsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
        _clients[userName] = (client, token.GetProperty("expiresAt").GetDateTimeOffset());
        return client;
    }

    public Task InitializeAsync()
    {
        Server.Clock.SetTo(Inbox.MondayMorning);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        Server.Data.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The test office kantor-uji-inbox and its SOP, and helpers over them.</summary>
public static class Inbox
{
    /// <summary>Surat Pertanggungjawaban: Siapkan (Pelaksana, 2 Jam) -> Verifikasi (Kasubbag, setuju/revisi) -> Bayar (Bendahara, no Waktu).</summary>
    public const string Spj = "uji-inbox-spj";

    public const string Kepala = "kepala.inbox";
    public const string Kasubbag = "kasubbag.inbox";
    public const string PelaksanaSatu = "pelaksana.satu";
    public const string PelaksanaDua = "pelaksana.dua";
    public const string Bendahara = "bendahara.inbox";

    /// <summary>A user of another office (kantor-uji).</summary>
    public const string Outsider = "staf.uji";

    /// <summary>Monday 6 October 2025, 09:00 WIB: a working day, the office open.</summary>
    public static readonly DateTimeOffset MondayMorning = new(2025, 10, 6, 9, 0, 0, TimeSpan.FromHours(7));

    public static async Task<Guid> StartSpjAsync(this HttpClient client, string businessKey) =>
        (await client.StartAsync(Spj, businessKey)).Id();

    /// <summary>Starts an instance and returns its Siapkan task.</summary>
    public static async Task<(Guid Instance, Guid Task)> NewSiapkanAsync(this HttpClient client, string businessKey)
    {
        var instance = await client.StartSpjAsync(businessKey);
        return (instance, await client.OpenTaskAsync(instance, "Siapkan"));
    }

    /// <summary>Starts an instance, completes Siapkan, and returns its Verifikasi task.</summary>
    public static async Task<(Guid Instance, Guid Task)> NewVerifikasiAsync(InboxFixture inbox, string businessKey, string? comment = null)
    {
        var pelaksana = await inbox.As(PelaksanaSatu);
        var (instance, siapkan) = await pelaksana.NewSiapkanAsync(businessKey);
        await pelaksana.CompleteAsync(siapkan, comment: comment);
        return (instance, await pelaksana.OpenTaskAsync(instance, "Verifikasi"));
    }

    public static Task<JsonElement> TaskAsync(this HttpClient client, Guid taskId) =>
        client.GetAsync($"/api/tasks/{taskId}").OkJsonAsync();

    public static async Task<List<JsonElement>> ListAsync(this HttpClient client, string query)
    {
        var page = await client.GetAsync("/api/tasks?" + query).OkJsonAsync();
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    public static async Task<HttpStatusCode> StatusOfAsync(this Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }

    public static async Task<JsonElement> ProblemAsync(this Task<HttpResponseMessage> request, HttpStatusCode expected)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    /// <summary>
    /// Everything stored about a task and its instance, read straight from the database: equal snapshots
    /// before and after a refused request show it changed nothing.
    /// </summary>
    public static async Task<string> SnapshotAsync(this KinerjaServer server, Guid taskId)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId);
        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == task.InstanceId);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == task.InstanceId).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync();
        var audit = await db.AuditEntries.AsNoTracking().CountAsync(a => a.InstanceId == task.InstanceId);
        var attachments = await db.Set<AttachmentRecord>().AsNoTracking().Where(a => a.InstanceId == task.InstanceId).Select(a => a.Id).ToListAsync();
        return JsonSerializer.Serialize(new { instance.Version, instance.Status, instance.StateJson, tasks, audit, attachments });
    }
}
