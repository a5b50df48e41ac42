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
