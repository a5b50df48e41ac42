using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Api;

/// <summary>
/// Requests that once brought the service down or stored something it could not run: each is now refused
/// with the client's error, names what is wrong, and leaves the service answering.
/// </summary>
public sealed class HardeningApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Admin = "kepala.uji";

    /// <summary>Deploys the raw XML body, with the change note as the query parameter.</summary>
    private const string DeployUrl = "/api/definitions?changeNote=Uji%20pengerasan";

    private static string Laporan(string key) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestWorkflows", "kantor-uji", "laporan-sederhana.bpmn"))
            .Replace("id=\"uji-laporan-sederhana\"", $"id=\"{key}\"", StringComparison.Ordinal);

    private static ByteArrayContent Xml(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        return content;
    }

    private static ByteArrayContent Xml(string body) => Xml(Encoding.UTF8.GetBytes(body));

    private static IEnumerable<JsonElement> Problems(JsonElement body, string property = "problems") =>
        body.GetProperty(property).EnumerateArray();

    public static TheoryData<string, string> DeepFiles => new()
    {
        { "sub-processes", Nested(15_000, i => $"""<bpmn:subProcess id="S{i}">""", "</bpmn:subProcess>") },
        { "lanes", Nested(12_000, i => $"""<bpmn:lane id="L{i}"><bpmn:childLaneSet>""", "</bpmn:childLaneSet></bpmn:lane>", """<bpmn:laneSet id="LS">""", "</bpmn:laneSet>") },
    };

    [Theory]
    [MemberData(nameof(DeepFiles))]
    public async Task Deeply_nested_bpmn_is_refused_naming_the_limit_and_the_service_survives(string what, string xml)
    {
        var admin = await shared.Server.SignInAsync(Admin);

        var refused = await admin.PostAsync(DeployUrl, Xml(xml)).OkJsonAsync(HttpStatusCode.UnprocessableEntity);
        var validated = await admin.PostAsync("/api/definitions/validate", Xml(xml)).OkJsonAsync();

        Problems(refused).Should().ContainSingle(what).Which.GetProperty("message").GetString()
            .Should().Contain("melebihi batas 64 tingkat elemen XML bersarang");
        validated.GetProperty("valid").GetBoolean().Should().BeFalse();
        Problems(validated).Single().GetProperty("message").GetString().Should().Contain("batas 64 tingkat");
        (await shared.Server.CreateClient().GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.GetAsync("/api/definitions")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_hundred_thousand_nested_elements_are_refused_by_size_before_any_is_read()
    {
        var admin = await shared.Server.SignInAsync(Admin);
        var xml = Nested(200_000, _ => "<a>", "</a>");

        var refused = await admin.PostAsync(DeployUrl, Xml(xml)).OkJsonAsync(HttpStatusCode.UnprocessableEntity);

        Problems(refused).Single().GetProperty("message").GetString().Should().StartWith("Berkas BPMN berukuran 1368 KB, melebihi batas 1024 KB");
    }

    [Fact]
    public async Task A_waktu_too_long_to_count_is_refused_at_deploy_naming_the_step()
    {
        var admin = await shared.Server.SignInAsync(Admin);
        var xml = Laporan("uji-waktu-panjang").Replace("waktu=\"2 Jam\"", "waktu=\"99999999 hari\"", StringComparison.Ordinal);

        var refused = await admin.PostAsync(DeployUrl, Xml(xml)).OkJsonAsync(HttpStatusCode.UnprocessableEntity);

        Problems(refused).Should().ContainSingle(p => p.GetProperty("severity").GetString() == "error").Which.Should().Match<JsonElement>(p =>
            p.GetProperty("elementId").GetString() == "Susun"
            && p.GetProperty("message").GetString()!.StartsWith("Langkah 1 \"Menyusun laporan\": Waktu \"99999999 hari\" melebihi batas 1826 hari", StringComparison.Ordinal));
        (await admin.GetAsync("/api/definitions/uji-waktu-panjang")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_start_cycle_shorter_than_an_hour_is_refused_at_deploy()
    {
        var admin = await shared.Server.SignInAsync(Admin);
        var xml = Laporan("uji-siklus-detik").Replace(
            """<bpmn:startEvent id="Mulai" name="Mulai">""",
            """<bpmn:startEvent id="Mulai" name="Mulai"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1S</bpmn:timeCycle></bpmn:timerEventDefinition>""",
            StringComparison.Ordinal);

        var refused = await admin.PostAsync(DeployUrl, Xml(xml)).OkJsonAsync(HttpStatusCode.UnprocessableEntity);

        Problems(refused).Select(p => p.GetProperty("message").GetString()).Should().Contain(
            "Peristiwa awal \"Mulai\": siklus timer \"R/PT1S\" memulai instans lebih sering dari batas sekali per 1 jam; perpanjang periodenya.");
    }

    [Fact]
    public async Task A_file_declared_iso_8859_1_is_decoded_and_stored_as_utf8()
    {
        var admin = await shared.Server.SignInAsync(Admin);
        var xml = Laporan("uji-latin")
            .Replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", StringComparison.Ordinal)
            .Replace("Menyusun laporan", "Menyusun laporan café ½ ±5 °C señor", StringComparison.Ordinal);

        await admin.PostAsync(DeployUrl, Xml(Encoding.Latin1.GetBytes(xml))).OkJsonAsync(HttpStatusCode.Created);
        var stored = await admin.GetStringAsync("/api/definitions/uji-latin/bpmn");

        stored.Should().Contain("Menyusun laporan café ½ ±5 °C señor").And.Contain("encoding=\"UTF-8\"").And.NotContain("\uFFFD");
    }

    [Fact]
    public async Task A_file_that_is_not_valid_utf8_is_refused_and_nothing_is_stored()
    {
        var admin = await shared.Server.SignInAsync(Admin);
        var bytes = Encoding.UTF8.GetBytes(Laporan("uji-rusak").Replace("Menyusun laporan", "Menyusun laporan X", StringComparison.Ordinal));
        var x = Array.IndexOf(bytes, (byte)'X');
        bytes[x] = 0xE9;

        var refused = await admin.PostAsync(DeployUrl, Xml(bytes)).OkJsonAsync(HttpStatusCode.UnprocessableEntity);

        Problems(refused).Single().GetProperty("message").GetString().Should().StartWith($"Berkas BPMN bukan teks UTF-8 yang sah: byte ke-{x + 1} (0xE9) pada baris ");
        (await admin.GetAsync("/api/definitions/uji-rusak")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Camunda_settings_the_engine_ignores_are_warnings_of_the_deploy_answer()
    {
        var admin = await shared.Server.SignInAsync(Admin);
        var xml = Laporan("uji-camunda")
            .Replace("xmlns:sop=", "xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\" xmlns:sop=", StringComparison.Ordinal)
            .Replace("""<bpmn:userTask id="Susun" name="Menyusun laporan">""", """<bpmn:userTask id="Susun" name="Menyusun laporan" camunda:formKey="f" camunda:dueDate="${d}" camunda:asyncBefore="true">""", StringComparison.Ordinal);

        var deployed = await admin.PostAsync(DeployUrl, Xml(xml)).OkJsonAsync(HttpStatusCode.Created);

        Problems(deployed, "warnings").Where(w => w.GetProperty("elementId").GetString() == "Susun")
            .Select(w => w.GetProperty("message").GetString()![..w.GetProperty("message").GetString()!.IndexOf(" pada", StringComparison.Ordinal)])
            .Should().BeEquivalentTo("Atribut camunda:formKey", "Atribut camunda:dueDate", "Atribut camunda:asyncBefore");
    }

    [Theory]
    [InlineData("anything", HttpStatusCode.BadRequest)]
    [InlineData("selesai", HttpStatusCode.BadRequest)]
    [InlineData("active", HttpStatusCode.OK)]
    [InlineData("Completed", HttpStatusCode.OK)]
    public async Task The_instance_list_refuses_an_unknown_status_naming_the_allowed_ones(string status, HttpStatusCode expected)
    {
        var staf = await shared.Server.SignInAsync("staf.uji");

        using var response = await staf.GetAsync($"/api/instances?status={status}");

        response.StatusCode.Should().Be(expected);
        if (expected == HttpStatusCode.BadRequest)
        {
            (await response.ReadJsonAsync()).GetProperty("detail").GetString()
                .Should().Be($"status '{status}' tidak dikenal; gunakan salah satu dari active, completed, cancelled, terminated.");
        }
    }

    [Fact]
    public async Task Ten_simultaneous_retries_with_one_idempotency_key_complete_once_and_never_fail()
    {
        var staf = await shared.Server.SignInAsync("staf.uji");
        var instance = (await staf.StartAsync("uji-laporan-sederhana", "idempoten-serentak")).Id();
        var susun = await staf.OpenTaskAsync(instance, "Susun");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{susun}/complete")
            {
                Content = JsonContent.Create(new { comment = "sekali saja" }),
            };
            request.Headers.Add("Idempotency-Key", "serentak-1");
            using var response = await staf.SendAsync(request);
            return response.StatusCode;
        }));

        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict).And.Contain(HttpStatusCode.OK);
        var history = await staf.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        history.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "task-completed").Should().Be(1);
    }

    private static string Nested(int depth, Func<int, string> open, string close, string before = "", string after = "")
    {
        var text = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="uji-dalam" isExecutable="true">""");
        text.Append(before);
        for (var i = 0; i < depth; i++)
        {
            text.Append(open(i));
        }

        for (var i = 0; i < depth; i++)
        {
            text.Append(close);
        }

        return text.Append(after).Append("</bpmn:process></bpmn:definitions>").ToString();
    }
}
