using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Runtime;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Instances;

/// <summary>Call activities: a called instance starts in the parent's transaction, at most MaxCalledDepth deep.</summary>
public sealed partial class InstanceCommandRunner
{
    private const int MaxCalledDepth = 16;

    private async Task StartCalledAsync(InstanceRecord parent, CalledInstanceRequested called, string? user, int depth, CancellationToken ct)
    {
        if (depth >= MaxCalledDepth)
        {
            throw new RuleViolation($"Pemanggilan definisi bertingkat melebihi {MaxCalledDepth} tingkat.");
        }

        // The version's head only: its model is compiled and kept by its id, and the row's BPMN text (20 KB for a
        // Bina Marga SOP) would be read, and tracked, for nothing.
        var definition = await db.Definitions.AsNoTracking()
            .Where(d => d.Key == called.DefinitionKey && d.OfficeId == parent.OfficeId)
            .OrderByDescending(d => d.Version)
            .Select(d => new DefinitionHead(d.Id, d.Key, d.Version, d.OfficeId, d.Name))
            .FirstOrDefaultAsync(ct)
            ?? throw new RuleViolation($"Definisi '{called.DefinitionKey}' yang dipanggil tidak ditemukan.");
        await StartCoreAsync(
            called.ChildInstanceId,
            definition,
            parent.BusinessKey,
            called.Variables,
            user,
            parent.Id,
            called.ExecutionId,
            depth + 1,
            null,
            ct);
    }
}
