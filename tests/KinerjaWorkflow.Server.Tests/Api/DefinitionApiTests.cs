using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

public sealed class DefinitionApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly KinerjaServer _server = shared.Server;

    internal static string LaporanXml => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestWorkflows", "kantor-uji", "laporan-sederhana.bpmn"));

    /// <summary>A BPMN upload with the change note every publish needs (docs/definition-versions.md).</summary>
    internal static MultipartFormDataContent Bpmn(string xml, string changeNote = "Uji: versi baru")
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(xml, Encoding.UTF8, "application/xml"), "file", "definisi.bpmn");
        form.Add(new StringContent(changeNote, Encoding.UTF8), "changeNote");
        return form;
    }

    [Fact]
    public async Task Start_up_deploys_every_workflow_of_the_office()
    {
        var admin = await _server.SignInAsync("kepala.uji");

        var list = await admin.GetAsync("/api/definitions").OkJsonAsync();

        list.EnumerateArray().Select(d => d.GetProperty("key").GetString())
            .Should().BeEquivalentTo("uji-laporan-sederhana", "uji-kirim-laporan", "uji-panggil-laporan");
    }

    [Fact]
    public async Task A_definition_lists_its_steps_with_roles_and_mutu_baku()
    {
        var admin = await _server.SignInAsync("kepala.uji");

        var detail = await admin.GetAsync("/api/definitions/uji-laporan-sederhana").OkJsonAsync();

        var steps = detail.GetProperty("steps").EnumerateArray().ToList();
        steps.Select(s => s.GetProperty("id").GetString()).Should().Equal("Susun", "Periksa");
        steps[1].GetProperty("waktu").GetString().Should().Be("1 Hari Kerja");
        steps[1].GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Kepala Kantor");
        steps[1].GetProperty("outcomes").EnumerateArray().Select(r => r.GetString()).Should().BeEquivalentTo("revisi", "setuju");
    }

    [Fact]
    public async Task Malformed_xml_is_a_422_with_line_and_column()
    {
        var admin = await _server.SignInAsync("kepala.uji");

        using var response = await admin.PostAsync("/api/definitions", Bpmn("<bpmn:definitions>\n  <oops>\n</bpmn:definitions>"));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = (await response.ReadJsonAsync()).GetProperty("problems")[0];
        problem.GetProperty("line").GetInt32().Should().BePositive();
        problem.GetProperty("column").GetInt32().Should().BePositive();
    }

    [Fact]
    public async Task A_definition_with_several_problems_is_refused_with_every_problem_listed_and_nothing_deployed()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        var broken = LaporanXml
            .Replace("name=\"Kepala Kantor\"", "name=\"Bupati\"", StringComparison.Ordinal)
            .Replace("waktu=\"2 Jam\"", "waktu=\"secepatnya\"", StringComparison.Ordinal)
            .Replace("outcome == \"revisi\"", "outcome == ", StringComparison.Ordinal);

        using var response = await admin.PostAsync("/api/definitions", Bpmn(broken));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problems = (await response.ReadJsonAsync()).GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => p.GetProperty("elementId").GetString())
            .ToList();
        problems.Should().Contain(["Lane_Kepala", "Susun", "F5"]);
        var detail = await admin.GetAsync("/api/definitions/uji-laporan-sederhana").OkJsonAsync();
        detail.GetProperty("versions").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Only_admins_deploy()
    {
        var staf = await _server.SignInAsync("staf.uji");

        using var response = await staf.PostAsync("/api/definitions", Bpmn(LaporanXml));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        var huge = new ByteArrayContent(new byte[3 * 1024 * 1024]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/xml");

        using var response = await admin.PostAsync("/api/definitions", huge);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }
}

/// <summary>Deploys new versions of the test office's SOP and counts them from 1, so each test needs a fresh server.</summary>
public sealed class DefinitionVersionTests : IDisposable
{
    private readonly KinerjaServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _server.Data.Dispose();
    }

    private static string LaporanXml => DefinitionApiTests.LaporanXml;

    private static MultipartFormDataContent Bpmn(string xml) => DefinitionApiTests.Bpmn(xml);

    [Fact]
    public async Task Redeploying_an_unchanged_file_keeps_the_version_and_a_changed_file_makes_a_new_one()
    {
        var admin = await _server.SignInAsync("kepala.uji");

        var same = await admin.PostAsync("/api/definitions", Bpmn(LaporanXml)).OkJsonAsync();
        same.GetProperty("version").GetInt32().Should().Be(1);
        same.GetProperty("created").GetBoolean().Should().BeFalse();

        var changed = await admin.PostAsync("/api/definitions", Bpmn(LaporanXml.Replace("waktu=\"2 Jam\"", "waktu=\"3 Jam\"", StringComparison.Ordinal)))
            .OkJsonAsync(HttpStatusCode.Created);
        changed.GetProperty("version").GetInt32().Should().Be(2);

        var detail = await admin.GetAsync("/api/definitions/uji-laporan-sederhana").OkJsonAsync();
        detail.GetProperty("versions").GetArrayLength().Should().Be(2);
        detail.GetProperty("steps")[0].GetProperty("waktu").GetString().Should().Be("3 Jam");
    }

    [Fact]
    public async Task Running_instances_stay_on_their_version_when_a_new_one_is_deployed()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        var staf = await _server.SignInAsync("staf.uji");
        var old = (await staf.StartAsync("uji-laporan-sederhana", "lama")).Id();

        await admin.PostAsync("/api/definitions", Bpmn(LaporanXml.Replace("Menyusun laporan", "Menyusun laporan kinerja", StringComparison.Ordinal)))
            .OkJsonAsync(HttpStatusCode.Created);
        var fresh = (await staf.StartAsync("uji-laporan-sederhana", "baru")).Id();

        (await staf.GetAsync($"/api/instances/{old}").OkJsonAsync()).GetProperty("definitionVersion").GetInt32().Should().Be(1);
        (await staf.GetAsync($"/api/instances/{fresh}").OkJsonAsync()).GetProperty("definitionVersion").GetInt32().Should().Be(2);
        await staf.CompleteAsync(await staf.OpenTaskAsync(old, "Susun"));
        (await staf.ActiveStepIdsAsync(old)).Should().Equal("Periksa");
    }

    [Fact]
    public async Task A_bpmn_file_can_be_uploaded_as_multipart()
    {
        var admin = await _server.SignInAsync("kepala.uji");
        using var form = new MultipartFormDataContent();
        var file = new StringContent(LaporanXml.Replace("Laporan Sederhana", "Laporan Sederhana (unggah)", StringComparison.Ordinal), Encoding.UTF8, "application/xml");
        form.Add(file, "file", "laporan.bpmn");
        form.Add(new StringContent("Nama SOP diberi keterangan unggah"), "changeNote");

        var result = await admin.PostAsync("/api/definitions", form).OkJsonAsync(HttpStatusCode.Created);

        result.GetProperty("version").GetInt32().Should().Be(2);
    }
}
