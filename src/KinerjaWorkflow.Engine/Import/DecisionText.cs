using System.Text.RegularExpressions;
using KinerjaWorkflow.Engine.Conditions;

namespace KinerjaWorkflow.Engine.Import;

/// <summary>
/// Reads the routing an SOP writes in a step's Keterangan: "Ya: ke langkah 5 / Tidak: ke langkah 3",
/// "Ya → 5; Tidak → 3", "Jika ya ke langkah 5, jika tidak kembali ke langkah 3", "Setuju: ke langkah 12 /
/// Dikembalikan: ke langkah 6", "Jika triwulan == 4: ke langkah 11 / Lainnya: selesai", or a plain "Lanjut ke
/// langkah 9". A Keterangan that names no step ("langkah N" or an arrow) is plain text and routes nothing.
/// </summary>
public static partial class DecisionText
{
    private static readonly string[] OtherwiseWords = ["lainnya", "selain itu", "sebaliknya"];

    /// <summary>
    /// The branches written in <paramref name="keterangan"/>: empty when it routes nothing, one <see
    /// cref="BranchKind.Jump"/> for a plain "ke langkah N", or the branches of a decision.
    /// </summary>
    public static bool TryRead(string? keterangan, out IReadOnlyList<RouteBranch> branches, out string? error)
    {
        branches = [];
        error = null;
        if (string.IsNullOrWhiteSpace(keterangan) || !NamesAStep().IsMatch(keterangan))
        {
            return true;
        }

        var found = new List<(string Label, int? Target)>();
        var from = 0;
        foreach (Match target in Target().Matches(keterangan))
        {
            var label = CleanLabel(keterangan[from..target.Index]);
            int? step = target.Groups["end"].Success ? null : int.Parse(Number(target), System.Globalization.CultureInfo.InvariantCulture);
            found.Add((label, step));
            from = target.Index + target.Length;
        }

        var rest = keterangan[from..].Trim(' ', '\t', '\r', '\n', '.', ';', ',', '/');
        if (rest.Length > 0)
        {
            error = $"teks \"{rest}\" setelah tujuan terakhir tidak dapat dibaca; tulis setiap pilihan sebagai \"Label: ke langkah N\" dipisah \"/\"";
            return false;
        }

        if (found is [{ Label: "" } only])
        {
            branches = [new RouteBranch(BranchKind.Jump, string.Empty, only.Target)];
            return true;
        }

        if (found.Count == 1)
        {
            error = $"keputusan \"{found[0].Label}\" hanya punya satu pilihan; tulis sedikitnya dua (\"Ya: ke langkah 5 / Tidak: ke langkah 3\"), atau \"ke langkah N\" saja untuk melompat";
            return false;
        }

        if (found.FindIndex(f => f.Label.Length == 0) is var unlabelled and >= 0)
        {
            error = $"pilihan ke-{unlabelled + 1} tidak berlabel; tulis labelnya sebelum tujuan (\"Tidak: ke langkah 3\")";
            return false;
        }

        return found.Any(f => IsCondition(f.Label))
            ? TryConditions(found, out branches, out error)
            : TryOutcomes(found, out branches, out error);
    }

    private static bool TryOutcomes(List<(string Label, int? Target)> found, out IReadOnlyList<RouteBranch> branches, out string? error)
    {
        branches = [];
        foreach (var (label, _) in found)
        {
            if (label.IndexOfAny(['"', ',']) >= 0)
            {
                error = $"label pilihan \"{label}\" tidak boleh memuat tanda petik atau koma";
                return false;
            }
        }

        var repeated = found.GroupBy(f => f.Label.ToLowerInvariant()).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            error = $"pilihan \"{repeated.First().Label}\" tertulis lebih dari sekali";
            return false;
        }

        branches = found.Select(f => new RouteBranch(BranchKind.Outcome, f.Label, f.Target)).ToList();
        error = null;
        return true;
    }

    private static bool TryConditions(List<(string Label, int? Target)> found, out IReadOnlyList<RouteBranch> branches, out string? error)
    {
        branches = [];
        var read = new List<RouteBranch>();
        foreach (var (label, target) in found)
        {
            if (OtherwiseWords.Contains(label, StringComparer.OrdinalIgnoreCase))
            {
                if (read.Any(b => b.Kind == BranchKind.Otherwise))
                {
                    error = $"\"{label}\" tertulis lebih dari sekali";
                    return false;
                }

                read.Add(new RouteBranch(BranchKind.Otherwise, label, target));
                continue;
            }

            if (!IsCondition(label))
            {
                error = $"pilihan \"{label}\" bercampur dengan syarat variabel; dalam satu keputusan tulis semua pilihan sebagai syarat (\"triwulan == 4\") dan sisanya \"Lainnya\"";
                return false;
            }

            try
            {
                Condition.Parse(label);
            }
            catch (ConditionSyntaxException e)
            {
                error = $"syarat \"{label}\" tidak dapat dibaca: {e.Message}";
                return false;
            }

            read.Add(new RouteBranch(BranchKind.Condition, label, target));
        }

        branches = read;
        error = null;
        return true;
    }

    private static bool IsCondition(string label) => ConditionOperator().IsMatch(label);

    private static string Number(Match target) =>
        target.Groups["n"].Success ? target.Groups["n"].Value : target.Groups["arrow"].Value;

    private static string CleanLabel(string text)
    {
        // Only the words since the last sentence belong to the label: "Diperiksa Kepala. Ya: ke langkah 5".
        var sentence = text.LastIndexOfAny(['.', '\n']);
        var label = (sentence >= 0 && !IsCondition(text) ? text[(sentence + 1)..] : text).Trim(' ', '\t', '\r', '\n', '/', ';', ',', ':');
        label = LeadingIf().Replace(label, string.Empty);
        label = TrailingThen().Replace(label, string.Empty);
        return label.Trim(' ', '\t', ':', ',');
    }

    [GeneratedRegex(@"langkah\s*\d|→|->|=>", RegexOptions.IgnoreCase)]
    private static partial Regex NamesAStep();

    [GeneratedRegex(
        @"(?:\s*(?:→|->|=>)\s*(?<arrow>\d+)\b)|(?:\s*(?:→|->|=>|:)?\s*(?:(?:kembali|lanjut(?:kan)?)\s+)?(?:ke\s+)?(?:langkah\s*(?<n>\d+)\b|(?<end>selesai)\b))",
        RegexOptions.IgnoreCase)]
    private static partial Regex Target();

    [GeneratedRegex(@"==|!=|<|>|\bin\s*\[|&&|\|\|", RegexOptions.IgnoreCase)]
    private static partial Regex ConditionOperator();

    [GeneratedRegex(@"^(?:jika|apabila|bila|kalau)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingIf();

    [GeneratedRegex(@"\s+maka$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingThen();
}
