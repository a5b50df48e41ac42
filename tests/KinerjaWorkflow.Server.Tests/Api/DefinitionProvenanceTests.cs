using System.Net;
using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Api;

/// <summary>
/// Where each version came from (docs/definition-versions.md): a file under workflows/ deployed at start-up only when
/// it changed since it was last deployed, or a version an admin published with a change note, which a restart keeps.
/// </summary>
public sealed class DefinitionProvenanceTests : IDisposable
{
    private const string Key = "uji-laporan-sederhana";
    private const string FilePath = "workflows/kantor-uji/laporan-sederhana.bpmn";
    private const string FileNote = "Diterbitkan dari berkas workflows/kantor-uji/laporan-sederhana.bpmn";

    private readonly ServerData _data = new();

    public void Dispose() => _data.Dispose();

    private string File => Path.Combine(_data.WorkflowsPath, "kantor-uji", "laporan-sederhana.bpmn");

    [Fact]
    public async Task A_version_published_in_the_designer_is_still_the_latest_after_a_restart()
    {
        using (var first = new KinerjaServer(_data))
        {
            var admin = await first.SignInAsync("kepala.uji");
            var published = await admin.PostAsync("/api/definitions", DefinitionApiTests.Bpmn(Changed("3 Jam"), "Waktu Susun menjadi 3 Jam"))
                .OkJsonAsync(HttpStatusCode.Created);
            published.GetProperty("version").GetInt32().Should().Be(2);
            published.GetProperty("changeNote").GetString().Should().Be("Waktu Susun menjadi 3 Jam");
        }

        using var second = new KinerjaServer(_data);
        var kepala = await second.SignInAsync("kepala.uji");
        var detail = await kepala.GetAsync($"/api/definitions/{Key}").OkJsonAsync();

        detail.GetProperty("version").GetInt32().Should().Be(2, "the unchanged file is not deployed over the published version");
        detail.GetProperty("steps")[0].GetProperty("waktu").GetString().Should().Be("3 Jam");
        var versions = detail.GetProperty("versions").EnumerateArray().ToList();
        versions.Select(v => v.GetProperty("version").GetInt32()).Should().Equal(1, 2);
        Provenance(versions[0]).Should().Be(("file", FilePath, null, null, FileNote));
        Provenance(versions[1]).Should().Be(("designer", null, "kepala.uji", "Kepala Uji (Kepala Kantor)", "Waktu Susun menjadi 3 Jam"));
        versions.Should().OnlyContain(v => v.GetProperty("publishedAt").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task A_file_changed_since_its_last_deploy_becomes_a_new_version_at_the_next_start()
    {
        using (var first = new KinerjaServer(_data))
        {
            var admin = await first.SignInAsync("kepala.uji");
            await admin.PostAsync("/api/definitions", DefinitionApiTests.Bpmn(Changed("3 Jam"), "Waktu Susun menjadi 3 Jam"))
                .OkJsonAsync(HttpStatusCode.Created);
        }

        await System.IO.File.WriteAllTextAsync(File, Changed("4 Jam"));
        using var second = new KinerjaServer(_data);
        var kepala = await second.SignInAsync("kepala.uji");
        var detail = await kepala.GetAsync($"/api/definitions/{Key}").OkJsonAsync();

        detail.GetProperty("version").GetInt32().Should().Be(3);
        detail.GetProperty("steps")[0].GetProperty("waktu").GetString().Should().Be("4 Jam");
        Provenance(detail.GetProperty("versions")[2]).Should().Be(("file", FilePath, null, null, FileNote));
    }

    [Fact]
    public async Task A_host_restarted_twice_on_an_unchanged_file_deploys_nothing_new()
    {
        using (new KinerjaServer(_data))
        {
        }

        using (new KinerjaServer(_data))
        {
        }

        using var third = new KinerjaServer(_data);
        var kepala = await third.SignInAsync("kepala.uji");
        var detail = await kepala.GetAsync($"/api/definitions/{Key}").OkJsonAsync();
        detail.GetProperty("versions").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task The_list_says_where_the_latest_version_of_each_sop_came_from()
    {
        using var server = new KinerjaServer(_data);
        var admin = await server.SignInAsync("kepala.uji");
        await admin.PostAsync("/api/definitions", DefinitionApiTests.Bpmn(Changed("3 Jam"), "Waktu Susun menjadi 3 Jam"))
            .OkJsonAsync(HttpStatusCode.Created);

        var list = await admin.GetAsync("/api/definitions").OkJsonAsync();

        var laporan = list.EnumerateArray().Single(d => d.GetProperty("key").GetString() == Key);
        Provenance(laporan.GetProperty("latest")).Should().Be(("designer", null, "kepala.uji", "Kepala Uji (Kepala Kantor)", "Waktu Susun menjadi 3 Jam"));
        var kirim = list.EnumerateArray().Single(d => d.GetProperty("key").GetString() == "uji-kirim-laporan");
        Provenance(kirim.GetProperty("latest")).Should().Be(
            ("file", "workflows/kantor-uji/kirim-laporan.bpmn", null, null, "Diterbitkan dari berkas workflows/kantor-uji/kirim-laporan.bpmn"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Publishing_without_a_change_note_is_refused_and_changes_nothing(string? note)
    {
        using var server = new KinerjaServer(_data);
        var admin = await server.SignInAsync("kepala.uji");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(Changed("3 Jam"), Encoding.UTF8, "application/xml"), "file", "laporan.bpmn");
        if (note is not null)
        {
            form.Add(new StringContent(note), "changeNote");
        }

        var problem = await admin.PostAsync("/api/definitions", form).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        problem.GetProperty("title").GetString().Should().Be("Catatan perubahan belum diisi");
        problem.GetProperty("detail").GetString().Should().StartWith("Catatan perubahan wajib diisi").And.EndWith("Definisi tidak diterbitkan.");
        var detail = await admin.GetAsync($"/api/definitions/{Key}").OkJsonAsync();
        detail.GetProperty("versions").GetArrayLength().Should().Be(1);
        detail.GetProperty("steps")[0].GetProperty("waktu").GetString().Should().Be("2 Jam");
    }

    [Fact]
    public async Task A_change_note_longer_than_1000_characters_is_refused()
    {
        using var server = new KinerjaServer(_data);
        var admin = await server.SignInAsync("kepala.uji");

        var problem = await admin.PostAsync("/api/definitions", DefinitionApiTests.Bpmn(Changed("3 Jam"), new string('a', 1001)))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);

        problem.GetProperty("detail").GetString().Should().Contain("1001 karakter, melebihi batas 1000 karakter");
        (await admin.GetAsync($"/api/definitions/{Key}").OkJsonAsync()).GetProperty("version").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task An_xml_body_takes_its_change_note_from_the_query_and_keeps_it_trimmed()
    {
        using var server = new KinerjaServer(_data);
        var admin = await server.SignInAsync("kepala.uji");
        using var body = new StringContent(Changed("3 Jam"), Encoding.UTF8, "application/xml");

        var published = await admin.PostAsync($"/api/definitions?changeNote={Uri.EscapeDataString("  Waktu Susun: 3 Jam  ")}", body)
            .OkJsonAsync(HttpStatusCode.Created);

        published.GetProperty("changeNote").GetString().Should().Be("Waktu Susun: 3 Jam");
        var detail = await admin.GetAsync($"/api/definitions/{Key}?version=2").OkJsonAsync();
        detail.GetProperty("versions")[1].GetProperty("changeNote").GetString().Should().Be("Waktu Susun: 3 Jam");
    }

    private string Changed(string waktu) =>
        System.IO.File.ReadAllText(File).Replace("waktu=\"2 Jam\"", $"waktu=\"{waktu}\"", StringComparison.Ordinal);

    private static (string? Source, string? Path, string? By, string? ByName, string? Note) Provenance(JsonElement version) => (
        version.GetProperty("source").GetString(),
        version.GetProperty("sourcePath").GetString(),
        version.GetProperty("publishedBy").GetString(),
        version.GetProperty("publishedByName").GetString(),
        version.GetProperty("changeNote").GetString());
}
