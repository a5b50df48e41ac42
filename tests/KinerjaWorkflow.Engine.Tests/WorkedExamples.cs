using KinerjaWorkflow.Engine.Tests.Time;

namespace KinerjaWorkflow.Engine.Tests;

/// <summary>
/// The table of worked examples under one heading of a rule's document in docs/. The rows people read are the
/// cases the tests run, so the document and the engine cannot drift apart. Each row is its cells, trimmed; the
/// first cell is the example's number (<see cref="Row"/> and <see cref="Numbers"/>), or in a table of forms the form
/// as written.
/// </summary>
internal sealed class WorkedExamples(string document, string heading = "## Worked examples")
{
    private readonly Lazy<List<string[]>> rows = new(() => Read(document, heading));

    public IReadOnlyList<string[]> Rows => rows.Value;

    public string[] Row(string number) => Rows.Single(r => r[0] == number);

    public TheoryData<string> Numbers()
    {
        var data = new TheoryData<string>();
        foreach (var row in Rows)
        {
            data.Add(row[0]);
        }

        return data;
    }

    private static List<string[]> Read(string document, string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(TestCalendars.RepositoryRoot, "docs", document));
        var start = Array.IndexOf(lines, heading);
        if (start < 0)
        {
            throw new InvalidDataException($"docs/{document} has no \"{heading}\" section.");
        }

        return lines
            .Skip(start + 1)
            .SkipWhile(l => !l.StartsWith('|'))
            .TakeWhile(l => l.StartsWith('|'))
            .Skip(2)
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
    }
}
