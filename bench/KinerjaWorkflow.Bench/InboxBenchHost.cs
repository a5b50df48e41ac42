using System.Globalization;
using System.Text;
using KinerjaWorkflow.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Bench;

/// <summary>
/// The real service on Kestrel at 127.0.0.1 (a free port), composed as Program.cs composes it, on a fresh
/// SQLite file in a temporary folder or on the PostgreSQL database it is given. Its workflows folder holds the national calendars and generated bench
/// offices, each with the same two-step SOP. Logging is off so the console shows only the figures.
/// </summary>
internal sealed class InboxBenchHost : IAsyncDisposable
{
    public const string DemoPassword = "bench-inbox-2025";
    public const string DefinitionKey = "bench-spj";
    public const string StaffRole = "Bidang 1";

    private static readonly string[] WorkingDays = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    private readonly WebApplication _app;
    private readonly bool _keep;

    private InboxBenchHost(WebApplication app, string folder, bool keep)
    {
        _app = app;
        Folder = folder;
        _keep = keep;
    }

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, BenchDatabase.SqliteFileName);
    public IServiceProvider Services => _app.Services;
    public Uri BaseAddress { get; private set; } = null!;

    public static string OfficeId(int office) => string.Create(CultureInfo.InvariantCulture, $"kantor-bench-{office:D2}");

    public static string StaffUser(int office, int role, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"staf{role}.{index}.k{office:D2}");

    public static string SecretaryUser(int office) => string.Create(CultureInfo.InvariantCulture, $"sekretaris.k{office:D2}");

    public static string HeadUser(int office) => string.Create(CultureInfo.InvariantCulture, $"kepala.k{office:D2}");

    /// <summary>Seeds the offices and deploys the SOP, then runs <paramref name="beforeServing"/> (the bulk load) before Kestrel listens.</summary>
    public static async Task<InboxBenchHost> StartAsync(
        int offices, int staffPerRole, bool keep, Func<InboxBenchHost, Task> beforeServing, BenchDatabase? database = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "kinerja-inbox-bench", Guid.NewGuid().ToString("N"));
        var workflows = Path.Combine(folder, "workflows");
        CopyCalendars(Path.Combine(RepositoryRoot.Find(), "workflows", "calendars"), Path.Combine(workflows, "calendars"));
        for (var office = 1; office <= offices; office++)
        {
            var officeFolder = Path.Combine(workflows, OfficeId(office));
            Directory.CreateDirectory(officeFolder);
            await File.WriteAllTextAsync(Path.Combine(officeFolder, "organization.yaml"), Organization(office, office == 1 ? staffPerRole : 1));
            await File.WriteAllTextAsync(Path.Combine(officeFolder, "spj.bpmn"), Sop);
        }

        var app = BenchService.Build(folder, folder, workflows, DemoPassword, database);
        app.UseKinerjaPipeline();
        var host = new InboxBenchHost(app, folder, keep);
        try
        {
            await app.PrepareKinerjaAsync();
            await beforeServing(host);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            host.BaseAddress = new Uri(address);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    public ValueTask DisposeAsync() => BenchService.StopAsync(_app, Folder, _keep);

    private static string Organization(int office, int staffPerRole)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"name: Kantor Bench {office:D2}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"shortName: Bench {office:D2}");
        yaml.AppendLine("timeZone: Asia/Jakarta");
        yaml.AppendLine("officeHours:");
        foreach (var day in WorkingDays)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  {day}: 07:30-16:00");
        }

        yaml.AppendLine("  saturday: tutup\n  sunday: tutup");
        yaml.AppendLine("breaks:");
        foreach (var day in WorkingDays)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  {day}: 12:00-13:00");
        }

        yaml.AppendLine("reminderAt: 0.75");
        yaml.AppendLine("escalationInterval: 1 Hari Kerja");
        yaml.AppendLine("roles:");
        yaml.AppendLine("  - name: Kepala\n    head: true");
        yaml.AppendLine("  - name: Sekretaris\n    supervisor: Kepala");
        for (var role = 1; role <= 4; role++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - name: Bidang {role}\n    supervisor: Sekretaris");
        }

        yaml.AppendLine("users:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - username: {HeadUser(office)}\n    name: Kepala {office}\n    roles: [Kepala]\n    admin: true");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - username: {SecretaryUser(office)}\n    name: Sekretaris {office}\n    roles: [Sekretaris]");
        for (var role = 1; role <= 4; role++)
        {
            for (var index = 1; index <= staffPerRole; index++)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"  - username: {StaffUser(office, role, index)}\n    name: Staf {role}.{index}\n    roles: [Bidang {role}]");
            }
        }

        return yaml.ToString();
    }

    /// <summary>Siapkan (Bidang 1, 2 Hari Kerja) then Verifikasi (Sekretaris, 1 Hari Kerja).</summary>
    private const string Sop = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0"
                          id="Definitions_Bench" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="bench-spj" name="SPJ Bench" isExecutable="true">
            <bpmn:laneSet id="LaneSet_1">
              <bpmn:lane id="Lane_Bidang" name="Bidang 1">
                <bpmn:flowNodeRef>Mulai</bpmn:flowNodeRef>
                <bpmn:flowNodeRef>Siapkan</bpmn:flowNodeRef>
              </bpmn:lane>
              <bpmn:lane id="Lane_Sekretaris" name="Sekretaris">
                <bpmn:flowNodeRef>Verifikasi</bpmn:flowNodeRef>
                <bpmn:flowNodeRef>Selesai</bpmn:flowNodeRef>
              </bpmn:lane>
            </bpmn:laneSet>
            <bpmn:startEvent id="Mulai"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:userTask id="Siapkan" name="Menyiapkan berkas">
              <bpmn:extensionElements><sop:step nomor="1" waktu="2 Hari Kerja" kelengkapan="Nota" output="Berkas" /></bpmn:extensionElements>
              <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
            </bpmn:userTask>
            <bpmn:userTask id="Verifikasi" name="Memverifikasi berkas">
              <bpmn:extensionElements><sop:step nomor="2" waktu="1 Hari Kerja" kelengkapan="Berkas" output="Berkas terverifikasi" /></bpmn:extensionElements>
              <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing>
            </bpmn:userTask>
            <bpmn:endEvent id="Selesai"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="F1" sourceRef="Mulai" targetRef="Siapkan" />
            <bpmn:sequenceFlow id="F2" sourceRef="Siapkan" targetRef="Verifikasi" />
            <bpmn:sequenceFlow id="F3" sourceRef="Verifikasi" targetRef="Selesai" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static void CopyCalendars(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
