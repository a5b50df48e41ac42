using System.Net.Http.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>The Dinas Bina Marga SOP and its demo users, for putting instances where a page test needs them.</summary>
public sealed class BinaMarga
{
    public const string Key = "bina-marga-pengumpulan-data-kinerja";

    /// <summary>A Tuesday morning in WIB with no holiday near it, so the Waktu of every step counts plainly.</summary>
    public static readonly DateTimeOffset TuesdayMorning = new(2026, 10, 13, 8, 0, 0, TimeSpan.FromHours(7));

    private BinaMarga(HttpClient kepala, HttpClient sekretaris, HttpClient bidang, HttpClient sakip, HttpClient perencanaan)
    {
        Kepala = kepala;
        Sekretaris = sekretaris;
        Bidang = bidang;
        Sakip = sakip;
        Perencanaan = perencanaan;
    }

    /// <summary>erasukma: Kepala Dinas and admin.</summary>
    public HttpClient Kepala { get; }

    /// <summary>hendri.yuzal: Sekretaris, who supervises Tim SAKIP and Perencanaan.</summary>
    public HttpClient Sekretaris { get; }

    /// <summary>devi.kurnia: Bidang.</summary>
    public HttpClient Bidang { get; }

    /// <summary>nofriza.rahmi: Tim SAKIP.</summary>
    public HttpClient Sakip { get; }

    /// <summary>rahmi.yulia: Perencanaan, who archives the result (step 11).</summary>
    public HttpClient Perencanaan { get; }

    public static async Task<BinaMarga> SignInAsync(BrowserHost host) => new(
        await host.ApiAsync("erasukma"),
        await host.ApiAsync("hendri.yuzal"),
        await host.ApiAsync("devi.kurnia"),
        await host.ApiAsync("nofriza.rahmi"),
        await host.ApiAsync("rahmi.yulia"));

    public async Task<Guid> StartAsync(string businessKey) => (await Kepala.StartAsync(Key, businessKey)).Id();

    /// <summary>The user of each step as the SOP's lanes say (step 6 is Bidang's form, one per unit).</summary>
    public HttpClient For(string stepId) => stepId switch
    {
        "Langkah_01" or "Langkah_09" => Kepala,
        "Langkah_02" or "Langkah_08" or "Langkah_10" => Sekretaris,
        "Langkah_06" => Bidang,
        "Langkah_11" => Perencanaan,
        _ => Sakip,
    };

    /// <summary>Completes the one open task at each step in turn.</summary>
    public async Task CompleteAsync(Guid instance, params string[] stepIds)
    {
        foreach (var stepId in stepIds)
        {
            var user = For(stepId);
            await user.CompleteAsync(await user.OpenTaskAsync(instance, stepId), comment: "Selesai sesuai SOP");
        }
    }

    /// <summary>Completes the first <paramref name="count"/> of step 6's per-unit forms.</summary>
    public async Task CompleteFormsAsync(Guid instance, int count)
    {
        var view = await Bidang.GetAsync($"/api/instances/{instance}").OkJsonAsync();
        var forms = view.GetProperty("activeSteps").EnumerateArray()
            .Where(s => s.GetProperty("stepId").GetString() == "Langkah_06")
            .Take(count)
            .Select(s => s.GetProperty("taskId").GetGuid())
            .ToList();
        foreach (var form in forms)
        {
            using var response = await Bidang.PostAsJsonAsync($"/api/tasks/{form}/complete", new { comment = "Formulir terisi" });
            response.EnsureSuccessStatusCode();
        }
    }
}
