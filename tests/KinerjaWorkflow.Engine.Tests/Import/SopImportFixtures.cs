using KinerjaWorkflow.Engine.Import;

namespace KinerjaWorkflow.Engine.Tests.Import;

internal static class SopImportFixtures
{
    public static string Text(string fixture) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Import", "Fixtures", fixture));

    public static SopTable Table(string fixture, IReadOnlyCollection<string>? roles = null)
    {
        var format = fixture.EndsWith(".tsv", StringComparison.Ordinal) ? TableFormat.Tsv : TableFormat.Csv;
        var reading = SopTableReader.Read(TableText.Read(Text(fixture), format), roles);
        reading.Problems.Should().BeEmpty();
        return reading.Table!;
    }

    public static string Import(string fixture, IReadOnlyCollection<string>? roles = null)
    {
        var table = Table(fixture, roles);
        var name = table.Identity.Name!;
        return SopBpmnBuilder.Build(table, new SopProcessIdentity(SopBpmnBuilder.KeyFromName(name), name, table.Identity.Number, table.Identity.Office, table.Identity.StatedTotal));
    }
}
