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

        var definition = await db.Definitions
            .Where(d => d.Key == called.DefinitionKey && d.OfficeId == parent.OfficeId)
            .OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct)
            ?? throw new RuleViolation($"Definisi '{called.DefinitionKey}' yang dipanggil tidak ditemukan.");
        await StartCoreAsync(
            called.ChildInstanceId,
            DefinitionHead.Of(definition),
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
