using KinerjaWorkflow.Engine.Conditions;

namespace KinerjaWorkflow.Engine.Tests.Conditions;

public class ConditionAnalysisTests
{
    [Theory]
    [InlineData("outcome == \"revisi\"", "outcome", new[] { "revisi" })]
    [InlineData("\"revisi\" == outcome", "outcome", new[] { "revisi" })]
    [InlineData("outcome == 'setuju' || outcome == \"tolak\"", "outcome", new[] { "setuju", "tolak" })]
    [InlineData("outcome in [\"revisi\", 'tolak', 3, null]", "outcome", new[] { "revisi", "tolak" })]
    [InlineData("outcome == \"a\" || outcome in [\"a\", \"b\"]", "outcome", new[] { "a", "b" })]
    [InlineData("!(outcome == \"tolak\") && nilai >= 80", "outcome", new[] { "tolak" })]
    [InlineData("(outcome == \"a\") == true", "outcome", new[] { "a" })]
    [InlineData("outcome != \"revisi\"", "outcome", new string[0])]
    [InlineData("outcome > \"revisi\"", "outcome", new string[0])]
    [InlineData("keputusan == \"revisi\"", "outcome", new string[0])]
    [InlineData("outcome.kode == \"revisi\"", "outcome", new string[0])]
    [InlineData("unit.nama == \"Sekretariat\"", "unit.nama", new[] { "Sekretariat" })]
    [InlineData("outcome == other", "outcome", new string[0])]
    [InlineData("outcome == 4", "outcome", new string[0])]
    [InlineData("Outcome == \"revisi\"", "outcome", new string[0])]
    [InlineData("outcome == \"say \\\"ya\\\"\"", "outcome", new[] { "say \"ya\"" })]
    public void Finds_strings_compared_to_a_variable(string condition, string variable, string[] expected)
    {
        Condition.Parse(condition).StringsComparedTo(variable).Should().Equal(expected);
    }

    [Theory]
    [InlineData("outcome == \"revisi\"", new[] { "outcome" })]
    [InlineData("true", new string[0])]
    [InlineData("\"a\" == 'a'", new string[0])]
    [InlineData("triwulan == 4 && nilai >= 80 || triwulan in [1]", new[] { "triwulan", "nilai" })]
    [InlineData("unit.nama == \"x\" && unit.kode == 1", new[] { "unit" })]
    [InlineData("!selesai", new[] { "selesai" })]
    [InlineData("a == b", new[] { "a", "b" })]
    [InlineData("not (x or (y and z.w))", new[] { "x", "y", "z" })]
    public void Lists_every_variable_root_read(string condition, string[] expected)
    {
        Condition.Parse(condition).Variables.Should().Equal(expected);
    }
}
