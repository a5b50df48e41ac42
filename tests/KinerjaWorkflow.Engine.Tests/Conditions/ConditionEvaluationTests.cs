using KinerjaWorkflow.Engine.Conditions;

namespace KinerjaWorkflow.Engine.Tests.Conditions;

public class ConditionEvaluationTests
{
    [Theory]
    // Equality on each JSON kind.
    [InlineData("outcome == \"revisi\"", """{"outcome":"revisi"}""", true)]
    [InlineData("outcome == \"revisi\"", """{"outcome":"setuju"}""", false)]
    [InlineData("outcome == 'revisi'", """{"outcome":"revisi"}""", true)]
    [InlineData("\"revisi\" == outcome", """{"outcome":"revisi"}""", true)]
    [InlineData("outcome == \"Revisi\"", """{"outcome":"revisi"}""", false)]
    [InlineData("outcome != \"revisi\"", """{"outcome":"setuju"}""", true)]
    [InlineData("triwulan == 4", """{"triwulan":4}""", true)]
    [InlineData("triwulan == 4.0", """{"triwulan":4}""", true)]
    [InlineData("nilai == 80.5", """{"nilai":80.50}""", true)]
    [InlineData("saldo == -12.5", """{"saldo":-12.5}""", true)]
    [InlineData("selesai == true", """{"selesai":true}""", true)]
    [InlineData("selesai == false", """{"selesai":true}""", false)]
    [InlineData("catatan == null", """{"catatan":null}""", true)]
    [InlineData("catatan == null", """{}""", true)]
    [InlineData("catatan != null", """{"catatan":"ada"}""", true)]
    [InlineData("null == null", """{}""", true)]
    // Different kinds are unequal rather than an error.
    [InlineData("triwulan == \"4\"", """{"triwulan":4}""", false)]
    [InlineData("triwulan != \"4\"", """{"triwulan":4}""", true)]
    [InlineData("selesai == 1", """{"selesai":true}""", false)]
    [InlineData("catatan == \"\"", """{"catatan":null}""", false)]
    [InlineData("berkas == \"a\"", """{"berkas":["a"]}""", false)]
    [InlineData("a == b", """{"a":{"x":[1,2]},"b":{"x":[1,2]}}""", true)]
    [InlineData("a == b", """{"a":[1,2],"b":[2,1]}""", false)]
    // Ordering numbers and strings.
    [InlineData("nilai >= 80", """{"nilai":80}""", true)]
    [InlineData("nilai > 80", """{"nilai":80}""", false)]
    [InlineData("nilai < 80", """{"nilai":79.99}""", true)]
    [InlineData("nilai <= 80", """{"nilai":80.01}""", false)]
    [InlineData("nilai > -1", """{"nilai":0}""", true)]
    [InlineData("nilai < 80", """{"nilai":80}""", false)]
    [InlineData("nilai <= 80", """{"nilai":80}""", true)]
    [InlineData("nilai >= 80", """{"nilai":79.99}""", false)]
    [InlineData("nilai > 79.99", """{"nilai":80}""", true)]
    [InlineData("kode < \"b\"", """{"kode":"b"}""", false)]
    [InlineData("kode <= \"b\"", """{"kode":"b"}""", true)]
    [InlineData("kode < \"b\"", """{"kode":"a"}""", true)]
    [InlineData("kode > \"B\"", """{"kode":"a"}""", true)]
    [InlineData("kode >= \"abc\"", """{"kode":"abd"}""", true)]
    // Bare operands and negation.
    [InlineData("selesai", """{"selesai":true}""", true)]
    [InlineData("selesai", """{"selesai":false}""", false)]
    [InlineData("selesai", """{}""", false)]
    [InlineData("!selesai", """{}""", true)]
    [InlineData("!selesai", """{"selesai":true}""", false)]
    [InlineData("not selesai", """{"selesai":false}""", true)]
    [InlineData("true", """{}""", true)]
    [InlineData("FALSE", """{}""", false)]
    [InlineData("null", """{}""", false)]
    // Nested properties.
    [InlineData("unit.nama == \"Sekretariat\"", """{"unit":{"nama":"Sekretariat"}}""", true)]
    [InlineData("unit.kepala.nip == \"1970\"", """{"unit":{"kepala":{"nip":"1970"}}}""", true)]
    [InlineData("unit.nama == null", """{"unit":{}}""", true)]
    [InlineData("unit.nama == null", """{"unit":"Sekretariat"}""", true)]
    [InlineData("unit.nama == null", """{}""", true)]
    [InlineData("unit.aktif", """{"unit":{"aktif":true}}""", true)]
    [InlineData("unit.aktif", """{"unit":null}""", false)]
    // in lists.
    [InlineData("triwulan in [2, 4]", """{"triwulan":4}""", true)]
    [InlineData("triwulan in [2, 4]", """{"triwulan":3}""", false)]
    [InlineData("triwulan IN [2, 4.0]", """{"triwulan":4}""", true)]
    [InlineData("outcome in [\"revisi\", 'tolak']", """{"outcome":"tolak"}""", true)]
    [InlineData("outcome in [\"revisi\"]", """{"outcome":"setuju"}""", false)]
    [InlineData("catatan in [null, \"\"]", """{}""", true)]
    [InlineData("triwulan in [\"4\"]", """{"triwulan":4}""", false)]
    [InlineData("!(triwulan in [1, 2])", """{"triwulan":3}""", true)]
    // String escapes reach the compared value.
    [InlineData("judul == \"kata \\\"kunci\\\"\"", """{"judul":"kata \"kunci\""}""", true)]
    [InlineData("judul == 'it\\'s'", """{"judul":"it's"}""", true)]
    [InlineData("judul == \"a\\\\b\"", """{"judul":"a\\b"}""", true)]
    [InlineData("judul == \"it's\"", """{"judul":"it's"}""", true)]
    [InlineData("judul == \"Sekretariat Daerah — Bagian Umum\"", """{"judul":"Sekretariat Daerah — Bagian Umum"}""", true)]
    public void Evaluates_comparisons_literals_paths_and_lists(string condition, string variables, bool expected)
    {
        Condition.Parse(condition).Evaluate(Variables.From(variables)).Should().Be(expected);
    }

    [Theory]
    [InlineData(false, false, false, false)]
    [InlineData(false, true, false, true)]
    [InlineData(true, false, false, true)]
    [InlineData(true, true, true, true)]
    public void And_and_or_follow_their_truth_tables(bool a, bool b, bool expectedAnd, bool expectedOr)
    {
        var variables = Variables.From($$"""{"a":{{Json(a)}},"b":{{Json(b)}}}""");

        Condition.Parse("a && b").Evaluate(variables).Should().Be(expectedAnd);
        Condition.Parse("a and b").Evaluate(variables).Should().Be(expectedAnd);
        Condition.Parse("a || b").Evaluate(variables).Should().Be(expectedOr);
        Condition.Parse("a OR b").Evaluate(variables).Should().Be(expectedOr);
    }

    [Theory]
    // && binds tighter than ||: true || (false && false).
    [InlineData("t || f && f", true)]
    [InlineData("(t || f) && f", false)]
    [InlineData("f && f || t", true)]
    [InlineData("f && (f || t)", false)]
    // ! binds looser than comparisons: !(n == 1), not (!n) == 1.
    [InlineData("!n == 1", false)]
    [InlineData("!n == 2", true)]
    [InlineData("not n in [1]", false)]
    // ! binds tighter than && and ||.
    [InlineData("!f && t", true)]
    [InlineData("!t || t", true)]
    [InlineData("!(t || t)", false)]
    [InlineData("!!t", true)]
    [InlineData("not not not t", false)]
    [InlineData("(t == true) == true", true)]
    [InlineData("((((t))))", true)]
    [InlineData("n == 1 && t || f", true)]
    [InlineData("n == 2 or not f and f", false)]
    public void Respects_operator_precedence(string condition, bool expected)
    {
        var variables = Variables.From("""{"t":true,"f":false,"n":1}""");

        Condition.Parse(condition).Evaluate(variables).Should().Be(expected);
    }

    [Theory]
    // The right-hand side would throw (ordering a null) if it were evaluated.
    [InlineData("false && nilai > 1", false)]
    [InlineData("true || nilai > 1", true)]
    [InlineData("selesai && nilai > 1", false)]
    public void And_and_or_short_circuit(string condition, bool expected)
    {
        Condition.Parse(condition).Evaluate(Variables.From("{}")).Should().Be(expected);
    }

    [Theory]
    [InlineData("nilai >= 80", """{"nilai":null}""", "variabel 'nilai' kosong atau tidak ada")]
    [InlineData("nilai >= 80", """{}""", "variabel 'nilai' kosong atau tidak ada")]
    [InlineData("nilai < \"80\"", """{"nilai":79}""", "variabel 'nilai' berisi angka dan nilai \"80\" berupa teks")]
    [InlineData("selesai > false", """{"selesai":true}""", "variabel 'selesai' berisi true/false")]
    [InlineData("unit.nilai <= 3", """{"unit":{"nilai":"tiga"}}""", "variabel 'unit.nilai' berisi teks")]
    [InlineData("berkas > 1", """{"berkas":[1,2]}""", "variabel 'berkas' berisi daftar")]
    [InlineData("outcome", """{"outcome":"setuju"}""", "Variabel 'outcome' berisi teks, padahal harus true atau false")]
    [InlineData("!triwulan", """{"triwulan":4}""", "Variabel 'triwulan' berisi angka")]
    [InlineData("unit && true", """{"unit":{"nama":"x"}}""", "Variabel 'unit' berisi objek")]
    [InlineData("nilai == 1", """{"nilai":1e400}""", "Angka pada variabel 'nilai' terlalu besar")]
    public void Type_faults_throw_an_evaluation_error_naming_the_variable(string condition, string variables, string message)
    {
        var evaluate = () => Condition.Parse(condition).Evaluate(Variables.From(variables));

        evaluate.Should().Throw<ConditionEvaluationException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Ordering_error_quotes_the_operator_and_condition()
    {
        var evaluate = () => Condition.Parse("nilai >= 80").Evaluate(Variables.From("{}"));

        evaluate.Should().Throw<ConditionEvaluationException>().WithMessage(
            "Operator '>=' hanya dapat membandingkan dua angka atau dua teks, tetapi variabel 'nilai' kosong atau tidak ada "
            + "dan nilai 80 berupa angka (pada 'nilai >= 80').");
    }

    [Fact]
    public void Keeps_its_text()
    {
        var condition = Condition.Parse(" outcome == \"setuju\" ");

        condition.Text.Should().Be(" outcome == \"setuju\" ");
        condition.ToString().Should().Be(" outcome == \"setuju\" ");
    }

    private static string Json(bool value) => value ? "true" : "false";
}
