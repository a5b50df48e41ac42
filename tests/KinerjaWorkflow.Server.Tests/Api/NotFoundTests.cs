using System.Net;
using System.Net.Http.Headers;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Api;

/// <summary>An unknown address answers in Indonesian: a page for a browser, problem details for a program.</summary>
public sealed class NotFoundTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task An_unknown_page_is_an_indonesian_page_with_a_way_back()
    {
        using var client = shared.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/halaman-yang-tidak-ada");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("<html lang=\"id\">").And.Contain("Halaman tidak ditemukan")
            .And.Contain("/halaman-yang-tidak-ada").And.Contain("Ke Kotak Tugas").And.NotContain("Not Found");
    }

    [Fact]
    public async Task An_unknown_api_address_is_problem_details_in_indonesian()
    {
        var client = await shared.Server.SignInAsync("staf.uji");

        var problem = await client.GetAsync("/api/tidak-ada").ProblemAsync(HttpStatusCode.NotFound);

        problem.GetProperty("title").GetString().Should().Be("Tidak ditemukan");
        problem.GetProperty("detail").GetString().Should().Be("Alamat /api/tidak-ada tidak ada.");
    }

    [Fact]
    public async Task A_wrong_method_is_problem_details_in_indonesian()
    {
        var client = await shared.Server.SignInAsync("staf.uji");

        var problem = await client.DeleteAsync("/api/tasks").ProblemAsync(HttpStatusCode.MethodNotAllowed);

        problem.GetProperty("title").GetString().Should().Be("Metode tidak diizinkan");
    }
}
