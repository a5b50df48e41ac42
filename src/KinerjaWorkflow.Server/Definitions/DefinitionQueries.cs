using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>Reads definitions for the caller's office.</summary>
public sealed class DefinitionQueries(KinerjaDbContext db, DefinitionCatalog catalog)
{
    public async Task<IReadOnlyList<DefinitionSummary>> ListAsync(CurrentUser user, CancellationToken ct)
    {
        var all = await db.Definitions.AsNoTracking()
            .Where(d => d.OfficeId == user.OfficeId)
            .Select(d => new { d.Key, d.Version, d.Name, d.DeployedAt })
            .ToListAsync(ct);
        return all
            .GroupBy(d => d.Key)
            .Select(g =>
            {
                var latest = g.MaxBy(d => d.Version)!;
                return new DefinitionSummary(latest.Key, latest.Name, latest.Version, g.Count(), latest.DeployedAt);
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
            ?? throw new NotFoundProblem(version is null
                ? $"Definisi '{key}' tidak ditemukan."
                : $"Definisi '{key}' versi {version} tidak ditemukan.");
    }

    public async Task<DefinitionDetail> GetAsync(CurrentUser user, string key, int? version, CancellationToken ct)
    {
        var definition = await RecordAsync(user, key, version, ct);
        var versions = await db.Definitions.AsNoTracking()
            .Where(d => d.Key == key && d.OfficeId == user.OfficeId)
            .OrderBy(d => d.Version)
            .Select(d => new DefinitionVersion(d.Version, d.DeployedAt, d.DeployedBy, d.Source))
            .ToListAsync(ct);
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
            model.Identity);
    }
}

public sealed record DefinitionSummary(string Key, string Name, int LatestVersion, int Versions, DateTimeOffset DeployedAt);

public sealed record DefinitionVersion(int Version, DateTimeOffset DeployedAt, string? DeployedBy, string? Source);

public sealed record DefinitionDetail(
    string Key,
    string Name,
    int Version,
    string OfficeId,
    IReadOnlyList<DefinitionVersion> Versions,
    IReadOnlyList<string> Roles,
    IReadOnlyList<StepView> Steps,
    SopIdentity? Identity);

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
