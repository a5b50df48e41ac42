using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Definitions;

/// <summary>
/// Where a definition version came from and why it exists: a file under workflows/ deployed at start-up, or a
/// version an admin published (the designer, or the API it uses) with a change note.
/// </summary>
public static class DefinitionProvenance
{
    /// <summary>The stored <see cref="DefinitionRecord.Source"/> of a version an admin published.</summary>
    public const string Designer = "designer";

    /// <summary>The <c>source</c> the API shows for a version deployed from a file under workflows/.</summary>
    public const string File = "file";

    /// <summary>A change note is a sentence or a short paragraph, not a document.</summary>
    public const int MaxChangeNoteLength = 1000;

    /// <summary>Whether a stored <see cref="DefinitionRecord.Source"/> names a file under workflows/.</summary>
    public static bool IsFile(string? source) => source is not null && source != Designer;

    /// <summary>The path as people see it in the repository, e.g. "workflows/bps-bengkulu/….bpmn", or null for a published version.</summary>
    public static string? PathOf(string? source) => IsFile(source) ? $"workflows/{source}" : null;

    /// <summary>The change note a file deploy records, since nobody wrote one.</summary>
    public static string FileNote(string source) => $"Diterbitkan dari berkas workflows/{source}";

    /// <summary>The change note an admin wrote, trimmed; refused (422, nothing stored) when missing or too long.</summary>
    public static string RequireChangeNote(string? note)
    {
        var trimmed = note?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new RuleViolation(
                "Catatan perubahan wajib diisi: tuliskan apa yang berubah pada versi baru ini (mis. \"Waktu langkah 3 menjadi 2 Jam\"). Definisi tidak diterbitkan.",
                "Catatan perubahan belum diisi");
        }

        return trimmed.Length > MaxChangeNoteLength
            ? throw new RuleViolation(
                $"Catatan perubahan berisi {trimmed.Length} karakter, melebihi batas {MaxChangeNoteLength} karakter; persingkat catatannya. Definisi tidak diterbitkan.",
                "Catatan perubahan terlalu panjang")
            : trimmed;
    }
}
