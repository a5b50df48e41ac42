using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Bench;

internal sealed record MachineInfo(
    int ProcessorCount,
    string? Processor,
    string OperatingSystem,
    string Runtime,
    double? LoadAverageAtStart,
    double? LoadAverageAtEnd)
{
    public static MachineInfo Current(double? loadAverageAtStart) => new(
        Environment.ProcessorCount,
        ProcessorName(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        loadAverageAtStart,
        LoadAverage());

    /// <summary>
    /// The one-minute load average where Linux tells it: other work on the machine takes cores from the run,
    /// and the figures mean little without knowing that.
    /// </summary>
    public static double? LoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        return File.Exists(loadAverage)
            && double.TryParse(File.ReadAllText(loadAverage).Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load)
            ? load
            : null;
    }

    /// <summary>The CPU model where Linux tells it; null elsewhere.</summary>
    private static string? ProcessorName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return null;
        }

        return File.ReadLines(cpuInfo)
            .Where(line => line.StartsWith("model name", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();
    }
}

internal sealed record MemoryFigures(long PeakWorkingSetBytes, long TotalAllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections, double GcPauseMs)
{
    public static MemoryFigures Current()
    {
        using var process = Process.GetCurrentProcess();
        return new MemoryFigures(
            process.PeakWorkingSet64,
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration().TotalMilliseconds);
    }
}

/// <summary>What one run of the engine benchmark measured, printed as a table and kept as JSON.</summary>
internal sealed record EngineBenchReport(
    DateTimeOffset FinishedAt,
    MachineInfo Machine,
    EngineBenchOptions Options,
    string DefinitionKey,
    int DefinitionVersion,
    int TasksPerInstance,
    IReadOnlyList<PhaseResult> Phases,
    MemoryFigures Memory,
    GcMode Gc,
    long DatabaseBytes,
    DiskCeiling Ceiling,
    int CommitsPerInstance,
    IReadOnlyList<ClientsRun> Clients)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static EngineBenchReport Create(
        double? loadAverageAtStart,
        EngineBenchOptions options,
        DefinitionRecord definition,
        int tasksPerInstance,
        IReadOnlyList<PhaseResult> phases,
        long databaseBytes,
        DiskCeiling ceiling,
        int commitsPerInstance,
        IReadOnlyList<ClientsRun> clients) =>
        new(
            TimeProvider.System.GetLocalNow(),
            MachineInfo.Current(loadAverageAtStart),
            options,
            definition.Key,
            definition.Version,
            tasksPerInstance,
            phases,
            MemoryFigures.Current(),
            GcMode.Current(),
            databaseBytes,
            ceiling,
            commitsPerInstance,
            clients);

    public void Print(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(c, $"{DefinitionKey} v{DefinitionVersion}: {TasksPerInstance} task completions per instance (11 steps, step 6 once per unit kerja)"));
        output.WriteLine(string.Create(c, $"{Machine.ProcessorCount} cores ({Machine.Processor ?? "unknown CPU"}), {Machine.OperatingSystem}, {Machine.Runtime}"));
        if (Machine.LoadAverageAtStart is { } atStart && Machine.LoadAverageAtEnd is { } atEnd)
        {
            output.WriteLine(string.Create(c, $"Load average (1 min): {atStart:F2} before the run, {atEnd:F2} at its end"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"{"Phase",-26} {"Count",7} {"Time s",8} {"Per s",10} {"mean ms",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"alloc/op",10} {"cpu ms/op",10}"));
        foreach (var p in Phases)
        {
            output.WriteLine(string.Create(
                c,
                $"{p.Name,-26} {p.Count,7} {p.Seconds,8:F2} {p.PerSecond,10:F1} {p.MeanMs,9:F3} {p.P50Ms,8:F3} {p.P99Ms,8:F3} {p.MaxMs,8:F2} {Size(p.AllocatedBytesPerOperation),10} {p.CpuMsPerOperation,10:F3}"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"Peak working set {Size(Memory.PeakWorkingSetBytes)}; {Size(Memory.TotalAllocatedBytes)} allocated in all; GC gen0/1/2: {Memory.Gen0Collections}/{Memory.Gen1Collections}/{Memory.Gen2Collections}, paused {Memory.GcPauseMs:F0} ms in all; database + WAL {Size(DatabaseBytes)}"));
        output.WriteLine($"GC: {Gc.Description}");
        if (Gc.DiffersFromService is { } differs)
        {
            output.WriteLine($"Not the service's GC: {differs}.");
        }

        if (Phase("service: whole instance") is { } service && Phase("engine: whole instance") is { } engine)
        {
            output.WriteLine(string.Create(
                c,
                $"A whole instance: {service.MeanMs:F2} ms through the service, {engine.MeanMs:F3} ms in the engine alone: the engine is {100 * engine.MeanMs / service.MeanMs:F1}% of it, persistence and the service layer the rest."));
        }

        var ceilingInstances = Ceiling.InstancesPerSecond(CommitsPerInstance);
        output.WriteLine();
        output.WriteLine(string.Create(
            c,
            $"Disk ceiling (durability {Ceiling.Durability}): {Ceiling.CommitsPerSecond:F0} commits/s (p50 {Ceiling.P50Ms:F3} ms); a whole instance commits {CommitsPerInstance} times, so at most {ceilingInstances:F1} instances/s"));
        var fresh = Phase(StatementFloor.FreshPhase);
        if (fresh is not null && Phase(StatementFloor.PreparedPhase) is { } prepared)
        {
            output.WriteLine(string.Create(
                c,
                $"Statement floor, the same SQL as plain ADO.NET on one connection: created afresh {fresh.MeanMs:F2} ms, {fresh.CpuMsPerOperation:F2} ms CPU ({fresh.PerSecond:F1} instances/s = {Share(fresh.PerSecond):F3} of the ceiling); prepared once {prepared.MeanMs:F2} ms, {prepared.CpuMsPerOperation:F2} ms CPU ({prepared.PerSecond:F1}/s = {Share(prepared.PerSecond):F3})"));
        }

        if (Phase("service: whole instance") is { } whole)
        {
            output.WriteLine(string.Create(
                c,
                $"Service, one client: {whole.PerSecond:F1} whole instances/s = {Share(whole.PerSecond):F3} of the ceiling ({CommitsPerInstance} x {whole.PerSecond:F1} / {Ceiling.CommitsPerSecond:F0})"));
            if (fresh is not null)
            {
                output.WriteLine(string.Create(
                    c,
                    $"Service, one client: {whole.MeanMs / fresh.MeanMs:F1} times the fresh statement floor's time, {whole.CpuMsPerOperation / fresh.CpuMsPerOperation:F1} times its CPU"));
            }
        }

        if (Phase("service: complete task") is { } completions)
        {
            output.WriteLine(string.Create(
                c,
                $"Service, one client: {completions.PerSecond:F1} completions/s (one commit each) = {completions.PerSecond / Ceiling.CommitsPerSecond:F3} of the ceiling"));
        }

        if (Clients.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(c, $"{"clients",7} {"instances/s",12} {"share",6} {"completions/s",14} {"p50 ms",8} {"p99 ms",8} {"p99 instance ms",16} {"errors",7}"));
            foreach (var run in Clients)
            {
                output.WriteLine(string.Create(
                    c,
                    $"{run.Clients,7} {run.InstancesPerSecond,12:F1} {Share(run.InstancesPerSecond),6:F3} {run.CompletionsPerSecond,14:F1} {run.CompletionP50Ms,8:F2} {run.CompletionP99Ms,8:F2} {run.InstanceP99Ms,16:F1} {run.Errors,7}"));
            }
        }
    }

    /// <summary>Whole instances a second as a share of what the disk allows: commits per instance x instances/s / ceiling.</summary>
    private double Share(double instancesPerSecond) => CommitsPerInstance * instancesPerSecond / Ceiling.CommitsPerSecond;

    /// <summary>Writes bench/results/engine-&lt;date&gt;.json and returns its path.</summary>
    public async Task<string> WriteJsonAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"engine-{FinishedAt:yyyy-MM-dd-HHmmss}.json"));
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json);
        return path;
    }

    private PhaseResult? Phase(string name) => Phases.FirstOrDefault(p => p.Name == name);

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
