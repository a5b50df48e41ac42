using System.Text;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Engine.Import;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>The formats an SOP table is imported from (docs/sop-table-import.md).</summary>
public enum SopTableFormat
{
    Csv,
    Tsv,
    Xlsx,
}

/// <summary>An uploaded or pasted SOP table, with the name and key the admin gave, if any.</summary>
public sealed record SopTableUpload(byte[] Content, SopTableFormat Format, string? Name, string? Key);

/// <param name="Bpmn">The draft definition: built, laid out and validated for the office, not deployed.</param>
public sealed record SopImportResponse(string Key, string Name, int Steps, IReadOnlyList<string> Roles, string Bpmn, IReadOnlyList<ProblemView> Warnings);

/// <summary>
/// Turns an SOP table into a draft definition for the admin's office: reads it (the engine's <see
/// cref="SopTableReader"/>, against the office's roles), builds the BPMN and validates it as deploy would.
/// Nothing is stored; the designer opens the result and the admin publishes it as any other draft.
/// </summary>
public sealed partial class SopTableImporter(KinerjaDbContext db, DefinitionService definitions, ILogger<SopTableImporter> logger)
{
    static SopTableImporter()
    {
        // Spreadsheets on Windows save CSV in the ANSI code page (windows-1252), which the runtime has but does not register.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public async Task<SopImportResponse> ImportAsync(SopTableUpload upload, string officeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var rows = upload.Format == SopTableFormat.Xlsx
            ? SpreadsheetTable.Read(upload.Content)
            : TableText.Read(Decode(upload.Content), upload.Format == SopTableFormat.Tsv ? TableFormat.Tsv : TableFormat.Csv);
        var roles = await db.OfficeRoles.Where(r => r.OfficeId == officeId).OrderBy(r => r.Name).Select(r => r.Name).ToListAsync(ct);
        var reading = SopTableReader.Read(rows, roles);
        if (!reading.IsValid)
        {
            throw new SopTableRejected(reading.Problems);
        }

        var table = reading.Table!;
        var name = Clean(upload.Name) ?? table.Identity.Name
            ?? throw new RuleViolation("Nama SOP belum ada: tulis baris \"Nama SOP\" di atas tabel, atau isi Nama SOP pada formulir impor.", "Tabel SOP tidak dapat diimpor");
        var key = Clean(upload.Key) ?? SopBpmnBuilder.KeyFromName(name);
        if (!ProcessKey().IsMatch(key))
        {
            throw new RuleViolation($"Kunci \"{key}\" tidak dapat menjadi ID proses: mulai dengan huruf, lalu huruf, angka, titik, garis bawah atau tanda hubung.", "Tabel SOP tidak dapat diimpor");
        }

        var xml = SopBpmnBuilder.Build(table, new SopProcessIdentity(key, name, table.Identity.Number, table.Identity.Office, table.Identity.StatedTotal));
        var compiled = await definitions.ValidateAsync(xml, officeId, ct);
        if (!compiled.IsValid)
        {
            throw new DefinitionRejected(compiled.Problems);
        }

        logger.LogInformation(
            "Imported SOP table {DefinitionKey} ({Format}, {Steps} steps) as a draft for office {OfficeId}",
            key,
            upload.Format,
            table.Steps.Count,
            officeId);
        return new SopImportResponse(key, name, table.Steps.Count, table.Roles, xml, compiled.Warnings.Select(ProblemView.From).ToList());
    }

    /// <summary>UTF-8 (with or without a byte order mark) or UTF-16 as marked; otherwise the windows-1252 a spreadsheet on Windows writes.</summary>
    private static string Decode(byte[] content)
    {
        if (content is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            return new UnicodeEncoding(content[0] == 0xFE, true).GetString(content, 2, content.Length - 2);
        }

        try
        {
            var start = content is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
            return new UTF8Encoding(false, true).GetString(content, start, content.Length - start);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(content);
        }
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex ProcessKey();
}

/// <summary>A 422 listing every fault of an imported table, each with its row and column.</summary>
public sealed class SopTableRejected : RuleViolation
{
    public SopTableRejected(IReadOnlyList<TableProblem> problems)
        : base($"Ditemukan {problems.Count} masalah pada tabel SOP. {problems[0].Message}", "Tabel SOP tidak dapat diimpor")
    {
        Extensions["problems"] = problems.Select(p => new TableProblemView(p.Row, p.Column, p.Message)).ToList();
    }
}

public sealed record TableProblemView(int Row, string? Column, string Message);
