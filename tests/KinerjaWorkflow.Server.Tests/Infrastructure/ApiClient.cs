using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>Small helpers that keep the HTTP tests about behaviour, not plumbing.</summary>
public static class ApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> OkJsonAsync(this Task<HttpResponseMessage> request, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public static Task<JsonElement> StartAsync(this HttpClient client, string definitionKey, string businessKey, object? variables = null) =>
        client.PostAsJsonAsync("/api/instances", new { definitionKey, businessKey, variables })
            .OkJsonAsync(HttpStatusCode.Created);

    public static Task<JsonElement> CompleteAsync(this HttpClient client, Guid taskId, string? outcome = null, string? comment = null) =>
        client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome, comment }).OkJsonAsync();

    /// <summary>The one open task of the instance at the given step.</summary>
    public static async Task<Guid> OpenTaskAsync(this HttpClient client, Guid instanceId, string stepId)
    {
        var instance = await client.GetAsync($"/api/instances/{instanceId}").OkJsonAsync();
        var steps = instance.GetProperty("activeSteps").EnumerateArray()
            .Where(s => s.GetProperty("stepId").GetString() == stepId)
            .ToList();
        steps.Should().HaveCount(1, $"step {stepId} should be the one active step there; instance: {instance}");
        return steps[0].GetProperty("taskId").GetGuid();
    }

    public static async Task<IReadOnlyList<string>> ActiveStepIdsAsync(this HttpClient client, Guid instanceId)
    {
        var instance = await client.GetAsync($"/api/instances/{instanceId}").OkJsonAsync();
        return instance.GetProperty("activeSteps").EnumerateArray().Select(s => s.GetProperty("stepId").GetString()!).ToList();
    }

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();
}
