using System.Net;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace KinerjaWorkflow.Server.Tests.Security;

public sealed class OpenApiTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private static readonly string[] InboxTags = ["Tugas", "Lampiran", "Supervisi", "Pengguna"];

    [Fact]
    public async Task The_document_parses_and_validates_without_errors()
    {
        var (document, diagnostic) = await DocumentAsync();

        diagnostic.Errors.Should().BeEmpty();
        document.Validate(ValidationRuleSet.GetDefaultRuleSet()).Should().BeEmpty();
    }

    [Fact]
    public async Task Every_api_endpoint_is_documented_with_an_operation_id_and_a_summary()
    {
        var (document, _) = await DocumentAsync();
        var documented = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (Path: p.Key, Method: o.Key.ToString().ToUpperInvariant(), Operation: o.Value))).ToList();
        var endpoints = inbox.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => (Route: Normalize(e.RoutePattern.RawText!), Method: m)))
            .ToList();

        endpoints.Should().NotBeEmpty();
        foreach (var (route, method) in endpoints)
        {
            documented.Should().Contain(d => d.Path == route && d.Method == method, $"{method} {route} should be in the document");
        }

        documented.Should().OnlyContain(d => !string.IsNullOrEmpty(d.Operation.OperationId) && !string.IsNullOrEmpty(d.Operation.Summary));
        documented.Select(d => d.Operation.OperationId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task The_inbox_operations_describe_their_answers_and_refusals()
    {
        var (document, _) = await DocumentAsync();
        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Values)
            .Where(o => o.Tags?.Any(t => InboxTags.Contains(t.Name)) == true)
            .ToList();

        operations.Should().HaveCountGreaterThan(15);
        foreach (var operation in operations)
        {
            var success = operation.Responses!.Where(r => r.Key.StartsWith('2')).ToList();
            success.Should().NotBeEmpty(operation.OperationId);
            if (success.All(r => r.Key != "204"))
            {
                success.Should().Contain(r => r.Value.Content != null && r.Value.Content.Count > 0, operation.OperationId);
            }

            operation.Responses!.Keys.Should().Contain("401", operation.OperationId);
            operation.Security.Should().NotBeNullOrEmpty(operation.OperationId);
        }
    }

    [Theory]
    [InlineData("/api/tasks/{id}/complete", "setuju")]
    [InlineData("/api/tasks/{id}/reassign", "Nofriza sedang dinas luar")]
    [InlineData("/api/users", "Rahmat Hidayat")]
    [InlineData("/api/auth/token", "nofriza.rahmi")]
    public async Task Request_bodies_carry_examples_in_bahasa_indonesia(string path, string expected)
    {
        var (document, _) = await DocumentAsync();

        var post = document.Paths[path].Operations![HttpMethod.Post];

        post.RequestBody!.Content!["application/json"].Example!.ToJsonString().Should().Contain(expected);
    }

    [Fact]
    public async Task Swagger_ui_offers_the_bearer_scheme_for_its_authorize_button()
    {
        var (document, _) = await DocumentAsync();
        using var anonymous = inbox.Server.CreateClient();

        var scheme = document.Components!.SecuritySchemes!["Bearer"];
        scheme.Type.Should().Be(SecuritySchemeType.Http);
        scheme.Scheme.Should().Be("bearer");
        document.Paths["/api/auth/token"].Operations![HttpMethod.Post].Security.Should().BeNullOrEmpty();
        (await anonymous.GetAsync("/swagger/index.html").StatusOfAsync()).Should().Be(HttpStatusCode.OK);
    }

    private async Task<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic)> DocumentAsync()
    {
        using var anonymous = inbox.Server.CreateClient();
        var json = await anonymous.GetStringAsync("/openapi/v1.json");
        var result = OpenApiDocument.Parse(json, "json");
        return (result.Document!, result.Diagnostic!);
    }

    private static string Normalize(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/";
}
