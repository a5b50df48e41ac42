using System.Text.Json;
using System.Text.Json.Nodes;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;

namespace KinerjaWorkflow.Engine.Tests.Runtime;

/// <summary>
/// The server stores the state as JSON at every wait state; continuing from the stored state must behave
/// exactly as continuing from the state in memory.
/// </summary>
public class RoundTripTests
{
    public static TheoryData<string> Options => ["default", "web"];

    /// <summary>
    /// ajukan, then a sub-process with a fork (one branch with a reminder timer, one per unit of work), an HTTP
    /// job, a pause, a review that loops back once, a call, and an inclusive split whose first branch
    /// to finish terminates the other.
    /// </summary>
    private static ProcessModel EveryElement() =>
        new ModelDsl()
            .Start().Xor("gabung").Task("ajukan")
            .Sub("verifikasi", s => s
                .Start("v").And("bagi").Task("cek-berkas").Boundary("ingatkan", "cek-berkas", "PT4H", interrupting: false)
                .Send("kabari", "Sekretaris", "Berkas ${businessKey} belum diperiksa").End("ingat-selesai")
                .Task("cek-lapangan", loop: new MultiInstance(false, "unitKerja", "unit", null)).And("satukan").End("vs")
                .Path("v", "bagi").Path("bagi", "cek-berkas", "satukan").Path("bagi", "cek-lapangan", "satukan").Path("satukan", "vs")
                .Path("ingatkan", "kabari", "ingat-selesai"))
            .Service("kirim", new HttpCall("POST", "https://monev.example/${triwulan}", [], """{"unit": ${unitKerja}}""", "monev"))
            .Wait("jeda", "PT1H")
            .Task("periksa", outcomes: ["setuju", "revisi"]).Xor("cek")
            .Call("arsip", "pengarsipan")
            .Or("salin").Task("salin-kepala").Task("salin-sekretaris").Terminate().End()
            .Path("mulai", "gabung", "ajukan", "verifikasi", "kirim", "jeda", "periksa", "cek")
            .Flow("cek", "gabung", "outcome == \"revisi\"")
            .Flow("cek", "arsip", "outcome == \"setuju\"")
            .Path("arsip", "salin")
            .Flow("salin", "salin-kepala", "triwulan == 4")
            .Flow("salin", "salin-sekretaris", "triwulan >= 1")
            .Path("salin-kepala", "akhiri").Path("salin-sekretaris", "selesai")
            .Build();

    private static readonly Action<TestInstance>[] Scenario =
    [
        i => i.Start(new { triwulan = 4, unitKerja = new[] { "jalan", "jembatan" } }),
        i => i.Complete("ajukan"),
        i => i.Fire("ingatkan"),
        i => i.Run(new ClaimTask(i.Task("cek-berkas").Id, "siti")),
        i => i.Run(new AssignTask(i.Task("cek-berkas").Id, "andi", "siti dinas luar")),
        i => i.Complete("cek-berkas"),
        i => i.Complete(i.State.Tasks[1]),
        i => i.Complete(i.State.Tasks[0]),
        i => i.Run(new FailJob(i.Job("kirim").Id, "HTTP 502")),
        i => i.Run(new RetryIncident(i.State.Incidents[0].Id)),
        i => i.Run(new CompleteJob(i.Job("kirim").Id, Vars.Json(new { diterima = true }))),
        i => i.Fire("jeda"),
        i => i.Complete("periksa", "revisi", new { catatan = "lampiran kurang" }, "Lampiran kurang."),
        i => i.Complete("ajukan"),
        i => i.Complete("cek-berkas"),
        i => i.Complete(i.State.Tasks[0]),
        i => i.Complete(i.State.Tasks[0]),
        i => i.Run(new CompleteJob(i.Job("kirim").Id, null)),
        i => i.Fire("jeda"),
        i => i.Complete("periksa", "Setuju"),
        i => i.Run(new CompleteCalledInstance(i.State.Executions.Single().CalledInstanceId!.Value, Vars.Of(new { nomorArsip = 17 }))),
        i => i.Complete("salin-kepala"),
    ];

    [Theory]
    [MemberData(nameof(Options))]
    public void Continuing_from_the_stored_state_after_every_command_behaves_the_same(string name)
    {
        var options = name == "web" ? new JsonSerializerOptions(JsonSerializerDefaults.Web) : new JsonSerializerOptions();
        var inMemory = new TestInstance(EveryElement());
        var stored = new TestInstance(EveryElement(), roundTripThrough: options);

        foreach (var (step, index) in Scenario.Select((s, i) => (s, i)))
        {
            step(inMemory);
            step(stored);

            JsonNode.DeepEquals(JsonNode.Parse(Json(stored.State, options)), JsonNode.Parse(Json(inMemory.State, options)))
                .Should().BeTrue($"the state after command {index} should survive the round trip");
            stored.Effects.Select(e => Json(e, options)).Should().Equal(inMemory.Effects.Select(e => Json(e, options)));
        }

        stored.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void The_scenario_causes_every_kind_of_effect()
    {
        var instance = new TestInstance(EveryElement());
        var effects = new List<RuntimeEffect>();
        foreach (var step in Scenario)
        {
            step(instance);
            effects.AddRange(instance.Effects);
        }

        effects.Select(e => e.GetType().Name).Distinct().Should().Contain(
        [
            "TaskCreated", "TaskAssigned", "TaskCompleted", "TaskCancelled", "TimerScheduled", "TimerCancelled", "JobRequested",
            "IncidentRaised", "IncidentResolved", "CalledInstanceRequested", "InstanceEnded",
        ]);
        instance.State.Variables["cek-lapangan_outcomes"].GetArrayLength().Should().Be(2);
        instance.State.Variables["nomorArsip"].GetInt32().Should().Be(17);
    }

    private static string Json(object value, JsonSerializerOptions options) => JsonSerializer.Serialize(value, value.GetType(), options);
}
