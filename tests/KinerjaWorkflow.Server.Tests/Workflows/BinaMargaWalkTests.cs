using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>The Dinas Bina Marga SOP walked to the end by its demo users, through the "dikembalikan" loop once.</summary>
public sealed class BinaMargaWalkTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Key = "bina-marga-pengumpulan-data-kinerja";
    private readonly KinerjaServer _server = shared.Server;


    [Fact]
    public async Task The_demo_users_walk_an_instance_to_the_end_through_the_return_loop_once()
    {
        var kepala = await _server.SignInAsync("erasukma");
        var sekretaris = await _server.SignInAsync("hendri.yuzal");
        var bidang = await _server.SignInAsync("devi.kurnia");
        var sakip = await _server.SignInAsync("nofriza.rahmi");
        var perencanaan = await _server.SignInAsync("rahmi.yulia");
        var instance = (await kepala.StartAsync(Key, "2025-TW4")).Id();

        await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Langkah_01"), comment: "Nota dinas terbit");
        await sekretaris.CompleteAsync(await sekretaris.OpenTaskAsync(instance, "Langkah_02"));
        await sakip.CompleteAsync(await sakip.OpenTaskAsync(instance, "Langkah_03"));
        await sakip.CompleteAsync(await sakip.OpenTaskAsync(instance, "Langkah_04"));
        await sakip.CompleteAsync(await sakip.OpenTaskAsync(instance, "Langkah_05"));
        var units = await FillEveryUnitFormAsync(bidang, instance);
        await sakip.CompleteAsync(await sakip.OpenTaskAsync(instance, "Langkah_07"));
        await sekretaris.CompleteAsync(await sekretaris.OpenTaskAsync(instance, "Langkah_08"));
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Langkah_09"), "dikembalikan", "Data Bidang belum lengkap");

        (await FillEveryUnitFormAsync(bidang, instance)).Should().Be(units, "the return loop asks every unit again");
        await sakip.CompleteAsync(await sakip.OpenTaskAsync(instance, "Langkah_07"));
        await sekretaris.CompleteAsync(await sekretaris.OpenTaskAsync(instance, "Langkah_08"));
        await kepala.CompleteAsync(await kepala.OpenTaskAsync(instance, "Langkah_09"), "setuju");
        await sekretaris.CompleteAsync(await sekretaris.OpenTaskAsync(instance, "Langkah_10"));
        await perencanaan.CompleteAsync(await perencanaan.OpenTaskAsync(instance, "Langkah_11"));

        var final = await kepala.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        final.GetProperty("status").GetString().Should().Be("completed");
        var history = await kepala.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        var completed = history.EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "task-completed")
            .Select(e => e.GetProperty("fromStepId").GetString())
            .Distinct()
            .ToList();
        completed.Should().BeEquivalentTo(Enumerable.Range(1, 11).Select(n => $"Langkah_{n:00}"));
        history.EnumerateArray().Should().OnlyContain(e => e.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.MinValue);
    }

    [Fact]
    public async Task Each_completion_answers_the_tasks_it_opened_so_the_walk_needs_no_instance_read()
    {
        var users = new Dictionary<string, HttpClient>
        {
            ["Langkah_01"] = await _server.SignInAsync("erasukma"),
            ["Langkah_02"] = await _server.SignInAsync("hendri.yuzal"),
            ["Langkah_03"] = await _server.SignInAsync("nofriza.rahmi"),
            ["Langkah_06"] = await _server.SignInAsync("devi.kurnia"),
            ["Langkah_11"] = await _server.SignInAsync("rahmi.yulia"),
        };
        users["Langkah_04"] = users["Langkah_05"] = users["Langkah_07"] = users["Langkah_03"];
        users["Langkah_08"] = users["Langkah_10"] = users["Langkah_02"];
        users["Langkah_09"] = users["Langkah_01"];
        var started = await users["Langkah_01"].StartAsync(Key, "2025-TW4-jawaban");
        var instance = started.Id();
        var open = new Queue<(Guid Task, string Step)>(started.GetProperty("activeSteps").EnumerateArray()
            .Select(s => (s.GetProperty("taskId").GetGuid(), s.GetProperty("stepId").GetString()!)));
        var answered = new List<(string Completed, IReadOnlyList<string> Opened)>();
        var step5Task = Guid.Empty;

        while (open.TryDequeue(out var next))
        {
            var answer = await users[next.Step].CompleteAsync(next.Task, next.Step == "Langkah_09" ? "setuju" : null);
            var opened = answer.GetProperty("opened").EnumerateArray().ToList();
            foreach (var task in opened)
            {
                task.GetProperty("instanceId").GetGuid().Should().Be(instance);
                task.GetProperty("status").GetString().Should().Be("open");
                open.Enqueue((task.GetProperty("id").GetGuid(), task.GetProperty("stepId").GetString()!));
            }

            answered.Add((next.Step, opened.Select(t => t.GetProperty("stepId").GetString()!).ToList()));
            if (next.Step == "Langkah_05")
            {
                step5Task = next.Task;
                (await users["Langkah_06"].ActiveStepIdsAsync(instance)).Should().Equal(answered[^1].Opened, "the answer names exactly the steps now open");
                opened.Select(t => t.GetProperty("item").GetString()).Should().OnlyHaveUniqueItems().And.HaveCount(5, "one form per unit kerja");
            }
        }

        answered.Select(a => a.Completed).Should().HaveCount(15);
        answered.Where(a => a.Completed == "Langkah_06").Select(a => a.Opened.Count).Should().Equal([0, 0, 0, 0, 1], "step 7 opens once the last unit's form is in");
        answered[^1].Completed.Should().Be("Langkah_11");
        answered[^1].Opened.Should().BeEmpty("the SOP ends there");
        var final = await users["Langkah_01"].GetAsync($"/api/instances/{instance}").OkJsonAsync();
        final.GetProperty("status").GetString().Should().Be("completed");
        var step5 = await users["Langkah_05"].GetAsync($"/api/tasks/{step5Task}").OkJsonAsync();
        step5.GetProperty("opened").GetArrayLength().Should().Be(0, "only a command's answer names what it opened");
    }

    [Fact]
    public async Task Step_9_offers_exactly_the_two_outcomes_of_the_sop()
    {
        var admin = await _server.SignInAsync("erasukma");

        var detail = await admin.GetAsync($"/api/definitions/{Key}").OkJsonAsync();

        var step9 = detail.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "Langkah_09");
        step9.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).Should().Equal("setuju", "dikembalikan");
        detail.GetProperty("steps").GetArrayLength().Should().Be(11);
    }

    private static async Task<int> FillEveryUnitFormAsync(HttpClient bidang, Guid instance)
    {
        var view = await bidang.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        var forms = view.GetProperty("activeSteps").EnumerateArray()
            .Where(s => s.GetProperty("stepId").GetString() == "Langkah_06")
            .ToList();
        forms.Should().NotBeEmpty();
        forms.Should().OnlyContain(f => f.GetProperty("item").ValueKind == JsonValueKind.String, "each form is for one unit");
        foreach (var form in forms)
        {
            using var response = await bidang.PostAsJsonAsync($"/api/tasks/{form.GetProperty("taskId").GetGuid()}/complete", new { comment = "formulir terisi" });
            response.EnsureSuccessStatusCode();
        }

        return forms.Count;
    }
}
