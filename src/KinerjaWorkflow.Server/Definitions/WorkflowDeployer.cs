using KinerjaWorkflow.Engine.Bpmn;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>
/// At start-up, deploys every workflows/&lt;office&gt;/*.bpmn for its office, but only a file that changed since
/// it was last deployed: its text is compared with the last version deployed from that same file, not with the
/// latest version. So a version an admin published in the designer after the file's survives a restart, and
/// an edited file still becomes a new version. A file with errors is logged with every problem and skipped,
/// so one bad SOP does not keep the others from running.
/// </summary>
public sealed class WorkflowDeployer(DefinitionService definitions, KinerjaDbContext db, ILogger<WorkflowDeployer> logger)
{
    public async Task<int> DeployAllAsync(string workflowsPath, CancellationToken ct)
    {
        var offices = await db.Offices.Select(o => o.Id).ToListAsync(ct);
        var deployed = 0;
        foreach (var officeId in offices)
        {
            var folder = Path.Combine(workflowsPath, officeId);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*.bpmn", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var source = Path.GetRelativePath(workflowsPath, file).Replace('\\', '/');
                try
                {
                    var decoded = BpmnFile.Decode(await File.ReadAllBytesAsync(file, ct));
                    if (decoded.Problem is { } unreadable)
                    {
                        throw new DefinitionRejected([unreadable]);
                    }

                    if (await DeployedUnchangedAsync(officeId, source, decoded.Xml!, ct))
                    {
                        logger.LogInformation("Definition {Source} unchanged since it was last deployed; not deployed again", source);
                        continue;
                    }

                    var result = await definitions.DeployAsync(
                        decoded.Xml!, officeId, deployedBy: null, source, DefinitionProvenance.FileNote(source), ct);
                    foreach (var warning in result.Warnings)
                    {
                        logger.LogWarning(
                            "Definition {Source}: {ElementType} {ElementId}: {Message}",
                            source,
                            warning.ElementType,
                            warning.ElementId,
                            warning.Message);
                    }

                    deployed++;
                }
                catch (DefinitionRejected rejected)
                {
                    foreach (var problem in (IEnumerable<ProblemView>)rejected.Extensions["problems"]!)
                    {
                        logger.LogError(
                            "Definition {Source} not deployed: {ElementType} {ElementId}: {Message}",
                            source,
                            problem.ElementType,
                            problem.ElementId,
                            problem.Message);
                    }
                }
                catch (DomainError problem)
                {
                    logger.LogError("Definition {Source} not deployed: {Problem}", source, problem.Message);
                }
            }
        }

        return deployed;
    }

    private async Task<bool> DeployedUnchangedAsync(string officeId, string source, string xml, CancellationToken ct)
    {
        var lastFromFile = await db.Definitions.AsNoTracking()
            .Where(d => d.OfficeId == officeId && d.Source == source)
            .OrderByDescending(d => d.Version)
            .Select(d => d.ContentHash)
            .FirstOrDefaultAsync(ct);
        return lastFromFile == DefinitionService.Hash(xml);
    }
}
