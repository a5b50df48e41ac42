using System.Security.Cryptography;
using System.Text;
using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Definitions;

public enum DeployOutcome
{
    /// <summary>A new definition or a changed file: a new version.</summary>
    Created,

    /// <summary>The same file as the latest version: nothing changed.</summary>
    Unchanged,
}

public sealed record DeployResult(DeployOutcome Outcome, DefinitionRecord Definition, IReadOnlyList<DefinitionProblem> Warnings);

/// <summary>
/// Deploys BPMN definitions for an office: compile, validate against the office's roles, and store as a
/// new version unless the latest version is the same file. Every version keeps where it came from, who
/// published it and its change note (<see cref="DefinitionProvenance"/>).
/// </summary>
public sealed class DefinitionService(
    KinerjaDbContext db,
    DefinitionCatalog catalog,
    TimeProvider clock,
    IEnumerable<IDefinitionDeployedListener> deployedListeners,
    IOptions<DefinitionOptions> options,
    ILogger<DefinitionService> logger)
{
    /// <param name="source">The file's path under workflows/, or <see cref="DefinitionProvenance.Designer"/>.</param>
    /// <param name="changeNote">What changed; required, so a version without one is refused (422) and nothing is stored.</param>
    public async Task<DeployResult> DeployAsync(
        string xml, string officeId, string? deployedBy, string source, string? changeNote, CancellationToken ct)
    {
        var compiled = await ValidateAsync(xml, officeId, ct);
        if (!compiled.IsValid || compiled.Model is null)
        {
            throw new DefinitionRejected(compiled.Problems);
        }

        var note = DefinitionProvenance.RequireChangeNote(changeNote);

        var model = compiled.Model;
        var latest = await db.Definitions
            .Where(d => d.Key == model.Key)
            .OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct);
        if (latest is not null && latest.OfficeId != officeId)
        {
            throw new ConflictError($"Kunci definisi '{model.Key}' sudah dipakai oleh kantor lain.");
        }

        var hash = Hash(xml);
        if (latest is not null && latest.ContentHash == hash)
        {
            return new DeployResult(DeployOutcome.Unchanged, latest, compiled.Warnings.ToList());
        }

        var record = new DefinitionRecord
        {
            Id = Guid.NewGuid(),
            Key = model.Key,
            Version = (latest?.Version ?? 0) + 1,
            OfficeId = officeId,
            Name = model.Name ?? model.Key,
            Xml = xml,
            ContentHash = hash,
            DeployedAt = clock.GetUtcNow(),
            DeployedBy = deployedBy,
            Source = source,
            ChangeNote = note,
        };
        db.Definitions.Add(record);
        await db.SaveChangesAsync(ct);
        catalog.Remember(record.Id, model);
        foreach (var listener in deployedListeners)
        {
            await listener.DefinitionDeployedAsync(record, ct);
        }

        logger.LogInformation(
            "Deployed definition {DefinitionKey} version {Version} for office {OfficeId} from {Source} by {User}",
            record.Key,
            record.Version,
            officeId,
            source,
            deployedBy ?? "system");
        return new DeployResult(DeployOutcome.Created, record, compiled.Warnings.ToList());
    }

    /// <summary>Every problem deploying <paramref name="xml"/> for the office would find, without deploying it.</summary>
    public async Task<CompiledDefinition> ValidateAsync(string xml, string officeId, CancellationToken ct)
    {
        var roles = await db.OfficeRoles.Where(r => r.OfficeId == officeId).Select(r => r.Name).ToListAsync(ct);
        var keys = await db.Definitions.Select(d => d.Key).Distinct().ToListAsync(ct);
        var knownKeys = keys.ToHashSet(StringComparer.Ordinal);
        return DefinitionCompiler.Compile(
            xml,
            new ValidationOptions
            {
                KnownRoles = roles.ToHashSet(StringComparer.Ordinal),
                DefinitionExists = knownKeys.Contains,
                MinimumStartCycle = options.Value.MinimumStartCycle,
            },
            ct);
    }

    /// <summary>
    /// Compiled, as every start runs it: the office's latest version without its XML, and the stored calendar stamp,
    /// which the start's first office lookup would otherwise read on a connection of its own.
    /// </summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, string, string, CancellationToken, Task<LatestVersion?>>> Latest = new(() =>
        EF.CompileAsyncQuery((KinerjaDbContext db, string key, string officeId, CancellationToken ct) => db.Definitions.AsNoTracking()
            .Where(d => d.Key == key && d.OfficeId == officeId)
            .OrderByDescending(d => d.Version)
            .Select(d => new LatestVersion(
                new DefinitionHead(d.Id, d.Key, d.Version, d.OfficeId, d.Name),
                db.Set<ServiceSettingRecord>().Where(s => s.Name == HolidayCalendar.StampSetting).Select(s => s.Value).FirstOrDefault()))
            .FirstOrDefault()));

    /// <summary>The version a start of <paramref name="key"/> in the office runs, with the calendar stamp read along with it.</summary>
    public async Task<LatestVersion> LatestAsync(string key, string officeId, CancellationToken ct) =>
        await Latest.For(db)(db, key, officeId, ct)
        ?? throw new NotFoundError($"Definisi '{key}' tidak ditemukan.");

    /// <summary>SHA-256 of the BPMN text, hex, as stored in <see cref="DefinitionRecord.ContentHash"/>.</summary>
    public static string Hash(string xml) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));
}

/// <summary>A 422 listing every problem found in a definition, so the designer can mark each element.</summary>
public sealed class DefinitionRejected : RuleViolation
{
    public DefinitionRejected(IReadOnlyList<DefinitionProblem> problems)
        : base(
            $"Ditemukan {problems.Count(p => p.Severity == ProblemSeverity.Error)} masalah pada definisi.",
            "Definisi tidak dapat diterapkan")
    {
        Extensions["problems"] = problems.Select(ProblemView.From).ToList();
    }
}

public sealed record ProblemView(string Severity, string? ElementId, string? ElementType, string Message, int? Line, int? Column)
{
    public static ProblemView From(DefinitionProblem p) =>
        new(p.Severity == ProblemSeverity.Error ? "error" : "warning", p.ElementId, p.ElementType, p.Message, p.Line, p.Column);
}

/// <summary>An office's latest version of a definition and the calendar stamp stored when it was read.</summary>
public sealed record LatestVersion(DefinitionHead Definition, string? CalendarStamp);
