using System.Globalization;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Import;

/// <summary>
/// Reads an SOP-AP procedure table (docs/sop-table-import.md): optional identity rows, the header row that
/// starts with "No" (with a second header row under "Pelaksana" and "Mutu Baku" when pasted from a word
/// processor, and an optional column-number row), then one row per step. Every fault is reported, each naming
/// its row and column, and the table is returned only when there is none.
/// </summary>
public static partial class SopTableReader
{
    /// <summary>
    /// The most steps a table may have. An SOP has some five to thirty; building and laying out a draft costs
    /// more than the steps' number (twenty thousand rows took 49 s before the draft was refused for its size),
    /// and a draft of more steps than this would be too large to deploy anyway.
    /// </summary>
    public const int MaxSteps = 500;

    /// <summary>What a Pelaksana cell may hold to say the role does the step; the terminator words of the flowchart count too.</summary>
    public static readonly IReadOnlyList<string> Marks = ["x", "v", "√", "✓", "✔", "☑", "●", "•", "*", "mulai", "selesai"];

    private enum ColumnKind
    {
        Ignored,
        Number,
        Kegiatan,
        Role,
        Kelengkapan,
        Waktu,
        Output,
        Keterangan,
    }

    private sealed record Column(int Index, string Header, ColumnKind Kind);

    /// <param name="rows">The table as read by <see cref="TableText"/> or from a spreadsheet.</param>
    /// <param name="knownRoles">The office's roles: each Pelaksana header must name one (case and spacing aside); null skips the check.</param>
    public static SopTableReading Read(IReadOnlyList<TableRow> rows, IReadOnlyCollection<string>? knownRoles = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var problems = new List<TableProblem>();
        var headerAt = -1;
        string? name = null, number = null, office = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var first = Normal(rows[i].Cell(0));
            if (first is "no" or "no." or "nomor" or "no urut")
            {
                headerAt = i;
                break;
            }

            var value = rows[i].Cells.Skip(1).FirstOrDefault(c => c.Length > 0);
            switch (first.TrimEnd(':', ' '))
            {
                case "nama sop" or "judul sop" or "nama" or "judul":
                    name = value;
                    break;
                case "nomor sop" or "no. sop" or "no sop":
                    number = value;
                    break;
                case "satuan kerja" or "kantor" or "instansi":
                    office = value;
                    break;
            }
        }

        if (headerAt < 0)
        {
            problems.Add(new TableProblem(rows.Count > 0 ? rows[0].Number : 1, null,
                "Baris judul tabel tidak ditemukan: tabel SOP perlu baris judul yang kolom pertamanya \"No\", lalu Kegiatan, kolom Pelaksana (satu per peran), Kelengkapan, Waktu, Output dan Keterangan."));
            return new SopTableReading(null, problems);
        }

        var (columns, firstStepRow) = Header(rows, headerAt);
        var header = rows[headerAt];
        var missing = new[] { ColumnKind.Kegiatan, ColumnKind.Kelengkapan, ColumnKind.Waktu, ColumnKind.Output }
            .Where(kind => columns.All(c => c.Kind != kind))
            .Select(ColumnName)
            .ToList();
        if (columns.All(c => c.Kind != ColumnKind.Role))
        {
            missing.Insert(Math.Min(1, missing.Count), "Pelaksana (satu kolom per peran)");
        }

        if (missing.Count > 0)
        {
            problems.Add(new TableProblem(header.Number, null,
                $"Baris {header.Number}: kolom {string.Join(", ", missing)} tidak ada pada baris judul tabel."));
            return new SopTableReading(null, problems);
        }

        var roleColumns = columns.Where(c => c.Kind == ColumnKind.Role).ToList();
        var roles = RoleNames(header.Number, roleColumns, knownRoles, problems);
        var waktuColumn = columns.First(c => c.Kind == ColumnKind.Waktu);
        WaktuUnit? bareUnit = WaktuParser.TryParseUnit(waktuColumn.Header, out var unit) ? unit : null;

        var steps = new List<SopTableStep>();
        string? statedTotal = null;
        foreach (var row in rows.Skip(firstStepRow))
        {
            if (row.Cells.All(c => c.Length == 0))
            {
                continue;
            }

            var noColumn = columns.First(c => c.Kind == ColumnKind.Number);
            var kegiatanColumn = columns.First(c => c.Kind == ColumnKind.Kegiatan);
            var no = row.Cell(noColumn.Index);
            if (no.Length == 0)
            {
                if (row.Cells.Any(c => Normal(c) == "jumlah"))
                {
                    statedTotal = NullIfEmpty(row.Cell(waktuColumn.Index));
                }
                else if (row.Cell(kegiatanColumn.Index).Length > 0)
                {
                    problems.Add(At(row, null, noColumn, "nomor langkah kosong; tulis nomor langkah pada kolom ini"));
                }

                continue;
            }

            if (StepNumber().Match(no) is not { Success: true } numberMatch
                || !int.TryParse(numberMatch.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var stepNumber)
                || stepNumber < 1)
            {
                problems.Add(At(row, null, noColumn, $"\"{no}\" bukan nomor langkah; tulis bilangan bulat mulai dari 1"));
                continue;
            }

            if (steps.FirstOrDefault(s => s.Number == stepNumber) is { } earlier)
            {
                problems.Add(At(row, stepNumber, noColumn, $"langkah {stepNumber} sudah ada pada baris {earlier.Row}"));
                continue;
            }

            if (steps.Count == MaxSteps)
            {
                problems.Add(new TableProblem(row.Number, null,
                    $"Baris {row.Number}: tabel memuat lebih dari {MaxSteps} langkah, melebihi batasnya; sebuah SOP biasanya belasan langkah. Bagi tabel ini menjadi beberapa SOP."));
                break;
            }

            steps.Add(ReadStep(row, stepNumber, columns, roleColumns, roles, bareUnit, problems));
        }

        if (steps.Count == 0 && problems.Count == 0)
        {
            problems.Add(new TableProblem(header.Number, null, $"Baris {header.Number}: tabel tidak memuat satu langkah pun di bawah baris judulnya."));
        }

        CheckTargets(steps, columns.FirstOrDefault(c => c.Kind == ColumnKind.Keterangan), problems);
        if (problems.Count > 0)
        {
            return new SopTableReading(null, problems);
        }

        var table = new SopTable(
            new SopTableIdentity(name, number, office, statedTotal),
            roles,
            bareUnit,
            steps.OrderBy(s => s.Number).ToList());
        return new SopTableReading(table, problems);
    }

    private static SopTableStep ReadStep(
        TableRow row,
        int number,
        List<Column> columns,
        List<Column> roleColumns,
        IReadOnlyList<string> roles,
        WaktuUnit? bareUnit,
        List<TableProblem> problems)
    {
        string? Cell(ColumnKind kind) => columns.FirstOrDefault(c => c.Kind == kind) is { } column ? NullIfEmpty(row.Cell(column.Index)) : null;

        var kegiatan = Cell(ColumnKind.Kegiatan);
        if (kegiatan is null)
        {
            problems.Add(At(row, number, columns.First(c => c.Kind == ColumnKind.Kegiatan), "kegiatan kosong; tulis uraian langkahnya"));
        }

        var marked = new List<string>();
        for (var i = 0; i < roleColumns.Count; i++)
        {
            var cell = row.Cell(roleColumns[i].Index);
            if (cell.Length == 0)
            {
                continue;
            }

            if (Marks.Contains(Normal(cell), StringComparer.Ordinal))
            {
                marked.Add(roles[i]);
            }
            else
            {
                problems.Add(At(row, number, roleColumns[i], $"\"{cell}\" bukan tanda pelaksana; tulis x, v, √ atau ✓ pada kolom peran yang mengerjakan langkah ini"));
            }
        }

        if (marked.Count == 0 && roleColumns.All(c => row.Cell(c.Index).Length == 0))
        {
            problems.Add(new TableProblem(row.Number, "Pelaksana",
                $"Baris {row.Number} (langkah {number}), kolom Pelaksana: tidak ada tanda pada kolom peran mana pun; tandai (x) kolom peran yang mengerjakan langkah ini."));
        }

        // sop:candidateGroups is a comma-separated list, so a role whose name has a comma can only be a lane.
        if (marked.Count > 1 && marked.FirstOrDefault(r => r.Contains(',', StringComparison.Ordinal)) is { } comma)
        {
            problems.Add(new TableProblem(row.Number, "Pelaksana",
                $"Baris {row.Number} (langkah {number}), kolom Pelaksana: peran \"{comma}\" memuat koma, sehingga langkah ini hanya dapat ditandai untuk peran itu saja; bagi langkahnya per peran."));
        }

        var waktu = Cell(ColumnKind.Waktu);
        if (waktu is not null && !WaktuParser.TryParse(waktu, bareUnit, out _, out var waktuError))
        {
            problems.Add(At(row, number, columns.First(c => c.Kind == ColumnKind.Waktu), Uncapitalized(waktuError!)));
        }

        var keterangan = Cell(ColumnKind.Keterangan);
        if (!DecisionText.TryRead(keterangan, out var branches, out var decisionError))
        {
            problems.Add(At(row, number, columns.First(c => c.Kind == ColumnKind.Keterangan), $"keputusan \"{keterangan}\" tidak dapat dibaca: {decisionError}"));
        }

        return new SopTableStep(row.Number, number, kegiatan ?? string.Empty, marked, Cell(ColumnKind.Kelengkapan), waktu, Cell(ColumnKind.Output), keterangan, branches);
    }

    private static void CheckTargets(List<SopTableStep> steps, Column? keterangan, List<TableProblem> problems)
    {
        var numbers = steps.Select(s => s.Number).ToHashSet();
        foreach (var step in steps)
        {
            foreach (var branch in step.Branches.Where(b => b.Target is { } target && !numbers.Contains(target)))
            {
                var what = branch.Kind == BranchKind.Jump ? "tujuan" : $"pilihan \"{branch.Label}\"";
                problems.Add(new TableProblem(step.Row, keterangan?.Header,
                    $"Baris {step.Row} (langkah {step.Number}), kolom \"{keterangan?.Header}\" ({Letter(keterangan?.Index ?? 0)}): {what} menuju langkah {branch.Target}, yang tidak ada pada tabel."));
            }
        }
    }

    private static (List<Column> Columns, int FirstStepRow) Header(IReadOnlyList<TableRow> rows, int headerAt)
    {
        var top = rows[headerAt];
        var next = headerAt + 1;
        var twoRows = top.Cells.Any(c => Normal(c) is "pelaksana" or "mutu baku") && next < rows.Count;
        var names = new List<string>();
        for (var i = 0; i < top.Cells.Count || (twoRows && i < rows[next].Cells.Count); i++)
        {
            var under = twoRows ? rows[next].Cell(i) : string.Empty;
            names.Add(under.Length > 0 ? under : top.Cell(i));
        }

        var firstStepRow = twoRows ? next + 1 : next;
        if (firstStepRow < rows.Count && IsColumnNumbering(rows[firstStepRow]))
        {
            firstStepRow++;
        }

        var columns = new List<Column>();
        var seenMutuBaku = false;
        for (var i = 0; i < names.Count; i++)
        {
            var kind = Classify(names[i], i);
            seenMutuBaku |= kind is ColumnKind.Kelengkapan or ColumnKind.Waktu or ColumnKind.Output or ColumnKind.Keterangan;
            if (kind == ColumnKind.Role && (seenMutuBaku || columns.All(c => c.Kind != ColumnKind.Kegiatan)))
            {
                kind = ColumnKind.Ignored;
            }

            if (kind != ColumnKind.Ignored && columns.All(c => c.Kind != kind || kind == ColumnKind.Role))
            {
                columns.Add(new Column(i, names[i].Trim(), kind));
            }
        }

        return (columns, firstStepRow);
    }

    private static ColumnKind Classify(string header, int index)
    {
        var name = Normal(Parenthesised().Replace(header, " ")).TrimEnd('.', ':', ' ');
        return name switch
        {
            "" or "pelaksana" or "mutu baku" => ColumnKind.Ignored,
            "no" or "nomor" or "no urut" when index == 0 => ColumnKind.Number,
            _ when name.StartsWith("kegiatan", StringComparison.Ordinal) || name.StartsWith("uraian", StringComparison.Ordinal) => ColumnKind.Kegiatan,
            _ when name.StartsWith("kelengkapan", StringComparison.Ordinal) || name == "sumber data" || name == "persyaratan" => ColumnKind.Kelengkapan,
            _ when name.StartsWith("waktu", StringComparison.Ordinal) => ColumnKind.Waktu,
            "output" or "keluaran" => ColumnKind.Output,
            "keterangan" or "ket" => ColumnKind.Keterangan,
            _ => ColumnKind.Role,
        };
    }

    /// <summary>The row of column numbers SOP-AP tables print under the header: "(1) (2) (3)…" or "1 2 3…".</summary>
    private static bool IsColumnNumbering(TableRow row)
    {
        var filled = row.Cells.Select((cell, index) => (Cell: cell.Trim('(', ')', ' '), Index: index)).Where(c => c.Cell.Length > 0).ToList();
        return filled.Count >= 4
            && filled.All(c => int.TryParse(c.Cell, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            && filled.Select(c => int.Parse(c.Cell, CultureInfo.InvariantCulture)).Zip(filled.Skip(1).Select(c => int.Parse(c.Cell, CultureInfo.InvariantCulture))).All(p => p.First < p.Second);
    }

    private static List<string> RoleNames(int headerRow, List<Column> roleColumns, IReadOnlyCollection<string>? knownRoles, List<TableProblem> problems)
    {
        var roles = new List<string>();
        foreach (var column in roleColumns)
        {
            var role = column.Header;
            if (knownRoles is not null)
            {
                var known = knownRoles.FirstOrDefault(r => Normal(r) == Normal(role));
                if (known is null)
                {
                    problems.Add(new TableProblem(headerRow, column.Header,
                        $"Baris {headerRow}, kolom \"{column.Header}\" ({Letter(column.Index)}): peran \"{column.Header}\" tidak ada di kantor ini; peran kantor: {string.Join(", ", knownRoles)}."));
                }
                else
                {
                    role = known;
                }
            }

            if (roles.Contains(role, StringComparer.Ordinal))
            {
                problems.Add(new TableProblem(headerRow, column.Header,
                    $"Baris {headerRow}, kolom \"{column.Header}\" ({Letter(column.Index)}): peran \"{role}\" sudah menjadi kolom Pelaksana lain."));
            }

            roles.Add(role);
        }

        return roles;
    }

    private static TableProblem At(TableRow row, int? step, Column column, string message) =>
        new(row.Number, column.Header,
            $"Baris {row.Number}{(step is null ? string.Empty : $" (langkah {step})")}, kolom \"{column.Header}\" ({Letter(column.Index)}): {message}{(message.EndsWith('.') ? string.Empty : ".")}");

    private static string ColumnName(ColumnKind kind) => kind switch
    {
        ColumnKind.Kegiatan => "Kegiatan",
        ColumnKind.Kelengkapan => "Kelengkapan",
        ColumnKind.Waktu => "Waktu",
        ColumnKind.Output => "Output",
        _ => kind.ToString(),
    };

    /// <summary>The column's letter as a spreadsheet shows it: A, B, …, Z, AA.</summary>
    public static string Letter(int index)
    {
        var letters = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    private static string Normal(string text) => Spaces().Replace(text.Trim(), " ").ToLowerInvariant();

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string Uncapitalized(string text) => text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^\(?(\d+)[.)]?$")]
    private static partial Regex StepNumber();
}
