using System.Text.Json;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

/// <summary>The worked examples of docs/bpmn-extensions.md, "Service and send tasks".</summary>
public class UrlTemplateTests
{
    [Theory]
    [InlineData("https://monev.example/api/fra/${triwulan}", """{"triwulan": 4}""", "https://monev.example/api/fra/4")]
    [InlineData(
        "https://monev.example/api/report/${triwulan}",
        """{"triwulan": "4/../../../admin/secrets?steal=1#"}""",
        "https://monev.example/api/report/4%2F..%2F..%2F..%2Fadmin%2Fsecrets%3Fsteal%3D1%23")]
    [InlineData(
        "https://monev.example/cari?satker=${satker}&t=${tahun}",
        """{"satker": "Dinas PU & PR", "tahun": 2025}""",
        "https://monev.example/cari?satker=Dinas%20PU%20%26%20PR&t=2025")]
    [InlineData("${tujuan}/laporan/${businessKey}", """{"tujuan": "https://monev.example:8443", "businessKey": "SPT-001"}""", "https://monev.example:8443/laporan/SPT-001")]
    [InlineData("${tujuan}/laporan", """{"tujuan": "https://monev.example/"}""", "https://monev.example/laporan")]
    [InlineData("https://${server}.example/api", """{"server": "monev"}""", "https://monev.example/api")]
    [InlineData("https://monev.example/a#${bagian}", """{"bagian": "x#y"}""", "https://monev.example/a#x%23y")]
    [InlineData("https://monev.example/${tidakAda}", "{}", "https://monev.example/")]
    [InlineData("https://monev.example/v1.2/${berkas}", """{"berkas": "laporan.pdf"}""", "https://monev.example/v1.2/laporan.pdf")]
    [InlineData("https://monev.example/${a}", """{"a": "%2E%2E"}""", "https://monev.example/%252E%252E")]
    public void A_value_is_data_in_its_part_of_the_url(string template, string variables, string expected)
    {
        UrlTemplate.Expand(template, Parse(variables)).Should().Be(expected);
    }

    [Theory]
    [InlineData("${tujuan}/laporan", """{"tujuan": "https://monev.example/admin?x="}""")]
    [InlineData("${tujuan}/laporan", """{"tujuan": "https://user:sandi@monev.example"}""")]
    [InlineData("${tujuan}/laporan", """{"tujuan": "file:///etc/passwd"}""")]
    [InlineData("${tujuan}/laporan", """{"tujuan": "monev.example"}""")]
    [InlineData("https://monev.example/api/${bagian}/data", """{"bagian": ".."}""")]
    [InlineData("https://monev.example/api/${bagian}/data", """{"bagian": "."}""")]
    [InlineData("https://monev.example/api/${a}${b}/data", """{"a": ".", "b": "."}""")]
    [InlineData("https://${server}.example/api", """{"server": "evil.test/x?"}""")]
    [InlineData("https://${server}.example/api", """{"server": "evil.test@"}""")]
    public void A_value_that_would_change_where_the_call_goes_is_refused(string template, string variables)
    {
        var expand = () => UrlTemplate.Expand(template, Parse(variables));

        expand.Should().Throw<RuntimeCommandException>().Which.Kind.Should().Be(RuntimeErrorKind.Invalid);
    }

    [Fact]
    public void A_service_task_url_is_expanded_as_a_url()
    {
        var model = new ModelDsl()
            .Start()
            .Service("kirim", new Engine.Model.HttpCall("GET", "https://monev.example/api/report/${triwulan}", [], null, "hasil"))
            .End()
            .Path("mulai", "kirim", "selesai")
            .Build();

        var instance = new TestInstance(model).Start(new { triwulan = "4/../../../admin/secrets?steal=1#" });

        instance.Job("kirim").Url.Should().Be("https://monev.example/api/report/4%2F..%2F..%2F..%2Fadmin%2Fsecrets%3Fsteal%3D1%23");
    }

    private static Dictionary<string, JsonElement> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
