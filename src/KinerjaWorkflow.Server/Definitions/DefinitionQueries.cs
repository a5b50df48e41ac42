using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>Reads definitions for the caller's office.</summary>
public sealed class DefinitionQueries(KinerjaDbContext db, DefinitionCatalog catalog, PeopleNames people)
{
    public async Task<IReadOnlyList<DefinitionSummary>> ListAsync(CurrentUser user, CancellationToken ct)
    {
        var all = await db.Definitions.AsNoTracking()
            .Where(d => d.OfficeId == user.OfficeId)
            .Select(d => new { d.Id, d.Key, d.Version })
            .ToListAsync(ct);
        var versions = all.GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var latestIds = all.GroupBy(d => d.Key).Select(g => g.MaxBy(d => d.Version)!.Id).ToList();

        // Only the latest version of each SOP is compiled: it alone says who may start the SOP now.
        var latest = await db.Definitions.AsNoTracking().Where(d => latestIds.Contains(d.Id)).ToListAsync(ct);
        var names = await people.OfAsync(user.OfficeId, latest.Select(d => d.DeployedBy), ct);
        return latest
            .Select(d =>
            {
                var model = catalog.ModelOf(d);
                return new DefinitionSummary(
                    d.Key,
                    d.Name,
                    d.Version,
                    versions[d.Key],
                    DefinitionVersion.Of(d.Version, d.Source, d.DeployedAt, d.DeployedBy, d.ChangeNote, names),
                    Starters.RolesOf(model),
                    Starters.MayStart(model, user.Roles, user.IsAdmin));
            })
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<DefinitionRecord> RecordAsync(CurrentUser user, string key, int? version, CancellationToken ct)
    {
        var query = db.Definitions.AsNoTracking().Where(d => d.Key == key && d.OfficeId == user.OfficeId);
        if (version is { } v)
        {
            query = query.Where(d => d.Version == v);
        }

        return await query.OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundError(version is null
                ? $"Definisi '{key}' tidak ditemukan."
                : $"Definisi '{key}' versi {version} tidak ditemukan.");
    }

    public async Task<DefinitionDetail> GetAsync(CurrentUser user, string key, int? version, CancellationToken ct)
    {
        var definition = await RecordAsync(user, key, version, ct);
        var records = await db.Definitions.AsNoTracking()
            .Where(d => d.Key == key && d.OfficeId == user.OfficeId)
            .OrderBy(d => d.Version)
            .Select(d => new { d.Version, d.Source, d.DeployedAt, d.DeployedBy, d.ChangeNote })
            .ToListAsync(ct);
        var names = await people.OfAsync(user.OfficeId, records.Select(d => d.DeployedBy), ct);
        var versions = records
            .Select(d => DefinitionVersion.Of(d.Version, d.Source, d.DeployedAt, d.DeployedBy, d.ChangeNote, names))
            .ToList();
        var model = catalog.ModelOf(definition);
        var steps = model.HumanTasks
            .OrderBy(t => t.Step?.Number ?? int.MaxValue)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .Select(t => new StepView(
                t.Id,
                t.Step?.Number,
                t.DisplayName,
                t.Roles,
                t.Step?.Kelengkapan,
                t.Step?.Waktu,
                t.Step?.Output,
                t.Step?.Keterangan,
                t.Outcomes,
                t.MultiInstance is not null))
            .ToList();
        return new DefinitionDetail(
            definition.Key,
            definition.Name,
            definition.Version,
            definition.OfficeId,
            versions,
            model.Lanes.Select(l => l.Role).Distinct(StringComparer.Ordinal).ToList(),
            steps,
            model.Identity,
            WaktuTotalView.Of(model),
            Starters.RolesOf(model),
            Starters.MayStart(model, user.Roles, user.IsAdmin));
    }
}

/// <summary>
/// A deployed SOP and where its latest version came from; <c>CanStart</c> says whether the caller may start it
/// (docs/who-may-start.md).
/// </summary>
public sealed record DefinitionSummary(
    string Key,
    string Name,
    int LatestVersion,
    int Versions,
    DefinitionVersion Latest,
    IReadOnlyList<string> StarterRoles,
    bool CanStart);

/// <summary>One version and its provenance (<see cref="DefinitionProvenance"/>).</summary>
/// <param name="Source">"file" (deployed from <paramref name="SourcePath"/> at start-up) or "designer" (published by an admin).</param>
/// <param name="SourcePath">The file under workflows/, e.g. "workflows/bps-bengkulu/pengumpulan-data-capaian-kinerja.bpmn"; null when published.</param>
/// <param name="PublishedBy">The admin's username; null for a file deploy.</param>
/// <param name="PublishedByName">The admin as pages name people, "Erasukma Munaf, ST, MMI (Kepala Dinas)".</param>
/// <param name="ChangeNote">What changed, as the admin wrote it; "Diterbitkan dari berkas workflows/…" for a file deploy.</param>
public sealed record DefinitionVersion(
    int Version,
    string Source,
    string? SourcePath,
    DateTimeOffset PublishedAt,
    string? PublishedBy,
    string? PublishedByName,
    string? ChangeNote)
{
    public static DefinitionVersion Of(
        int version,
        string? source,
        DateTimeOffset publishedAt,
        string? publishedBy,
        string? changeNote,
        IReadOnlyDictionary<string, string> names) => new(
            version,
            DefinitionProvenance.IsFile(source) ? DefinitionProvenance.File : DefinitionProvenance.Designer,
            DefinitionProvenance.PathOf(source),
            publishedAt,
            publishedBy,
            names.NameOf(publishedBy),
            changeNote);
}

public sealed record DefinitionDetail(
    string Key,
    string Name,
    int Version,
    string OfficeId,
    IReadOnlyList<DefinitionVersion> Versions,
    IReadOnlyList<string> Roles,
    IReadOnlyList<StepView> Steps,
    SopIdentity? Identity,
    WaktuTotalView WaktuTotal,
    IReadOnlyList<string> StarterRoles,
    bool CanStart);

public sealed record StepView(
    string Id,
    int? Number,
    string Name,
    IReadOnlyList<string> Roles,
    string? Kelengkapan,
    string? Waktu,
    string? Output,
    string? Keterangan,
    IReadOnlyList<string> Outcomes,
    bool MultiInstance);

/// <summary>
/// What the steps' Mutu Baku add up to, each step's deadline counted once, against the "Jumlah" the SOP states
/// (sop:identity jumlahWaktu), so an office sees at once whether its own total agrees with its steps.
/// </summary>
/// <param name="Total">The sum of the step deadlines, e.g. "122 hari 3 jam 2 menit".</param>
/// <param name="Stated">The SOP's own total as written, or null when it states none.</param>
/// <param name="Difference">Total less stated, each part signed ("+2 menit"); null without a readable stated total.</param>
/// <param name="Agrees">Whether the two are the same; null without a readable stated total.</param>
/// <param name="StatedProblem">Why the stated total could not be read, or null.</param>
/// <param name="StepsWithoutWaktu">Steps that add nothing because the SOP gives them no Waktu.</param>
public sealed record WaktuTotalView(
    string Total,
    int StepsCounted,
    string? Stated,
    string? Difference,
    bool? Agrees,
    string? StatedProblem,
    IReadOnlyList<StepReference> StepsWithoutWaktu)
{
    public static WaktuTotalView Of(ProcessModel model)
    {
        var steps = WaktuTotal.OfSteps(model);
        return new WaktuTotalView(
            steps.Total.ToString(),
            steps.StepsCounted,
            steps.StatedText,
            steps.Difference?.ToSignedString(),
            steps.Difference?.IsZero,
            steps.StatedProblem,
            steps.StepsWithoutWaktu.Select(t => new StepReference(t.Id, t.Step?.Number, t.DisplayName)).ToList());
    }
}

public sealed record StepReference(string Id, int? Number, string Name);
