using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Security;

public sealed class InputSafetyTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private const string Hostile = "<script>alert(\"x\")</script><img src=x onerror=alert(1)>'; DROP TABLE tasks; -- \" OR 1=1 --";

    [Fact]
    public async Task A_comment_of_markup_and_sql_is_stored_as_text_and_echoed_json_encoded()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var (instance, siapkan) = await satu.NewSiapkanAsync("komentar-jahat");
        await satu.PostAsJsonAsync($"/api/tasks/{siapkan}/complete", new { comment = Hostile }).OkJsonAsync();
        var verifikasi = await kasubbag.OpenTaskAsync(instance, "Verifikasi");

        using var response = await kasubbag.GetAsync($"/api/tasks/{verifikasi}");
        var raw = await response.Content.ReadAsStringAsync();
        var task = await response.ReadJsonAsync();

        task.GetProperty("previous").GetProperty("comment").GetString().Should().Be(Hostile);
        raw.Should().NotContain("<script>").And.NotContain("<img");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        using var scope = inbox.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        (await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == siapkan)).Comment.Should().Be(Hostile);
        (await db.Tasks.CountAsync()).Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task Markup_and_sql_in_filters_match_nothing_and_break_nothing()
    {
        var kepala = await inbox.As(Inbox.Kepala);

        (await kepala.ListAsync("businessKey=" + Uri.EscapeDataString(Hostile))).Should().BeEmpty();
        (await kepala.GetAsync("/api/tasks?role=" + Uri.EscapeDataString("Pelaksana|%' OR 1=1 --")).OkJsonAsync())
            .GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("/api/tasks/{0}/delegate", "{}")]
    [InlineData("/api/tasks/{0}/delegate", "{\"username\":null}")]
    [InlineData("/api/tasks/{0}/reassign", "{\"username\":\"pelaksana.dua\"}")]
    [InlineData("/api/tasks/{0}/delegate", "{\"username\":42}")]
    [InlineData("/api/tasks/{0}/delegate", "")]
    public async Task Missing_fields_and_wrong_types_are_problems_that_change_nothing(string path, string body)
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("masukan-" + path.Length + body.Length);
        var before = await inbox.Server.SnapshotAsync(siapkan);

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var caller = await inbox.As(path.Contains("reassign", StringComparison.Ordinal) ? Inbox.Kasubbag : Inbox.PelaksanaSatu);
        using var response = await caller.PostAsync(path.Replace("{0}", siapkan.ToString(), StringComparison.Ordinal), content);

        ((int)response.StatusCode).Should().BeOneOf(400, 422);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await inbox.Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Fact]
    public async Task A_tampered_token_is_refused()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var token = satu.DefaultRequestHeaders.Authorization!.Parameter!;
        var tampered = token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];
        using var client = inbox.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tampered);

        (await client.GetAsync("/api/tasks").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bukan-token");
        (await client.GetAsync("/api/tasks").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
    }
}
