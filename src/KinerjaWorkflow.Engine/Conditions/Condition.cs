using System.Text.Json;

namespace KinerjaWorkflow.Engine.Conditions;

/// <summary>
/// A parsed condition of the small, safe expression language used on sequence flows, e.g.
/// <c>outcome == "revisi"</c> or <c>triwulan == 4 &amp;&amp; nilai &gt;= 80</c>. Parsed once at deploy
/// time; evaluation never executes code.
/// </summary>
public sealed class Condition
{
    private readonly ConditionNode _root;

    private Condition(string text, ConditionNode root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    /// <summary>Parses a condition; throws <see cref="ConditionSyntaxException"/> with the position of the fault.</summary>
    public static Condition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Condition(text, ConditionParser.Parse(text));
    }

    /// <summary>Evaluates against the instance variables. Throws <see cref="ConditionEvaluationException"/> on a type fault.</summary>
    public bool Evaluate(IReadOnlyDictionary<string, JsonElement> variables) => ConditionEvaluator.IsTrue(_root, variables);

    /// <summary>Every string literal compared with == to the named variable (used to infer a step's outcomes).</summary>
    public IReadOnlyCollection<string> StringsComparedTo(string variable) => ConditionAnalysis.StringsComparedTo(_root, variable);

    /// <summary>Every variable name the condition reads.</summary>
    public IReadOnlyCollection<string> Variables => ConditionAnalysis.Variables(_root);

    public override string ToString() => Text;
}

public sealed class ConditionSyntaxException(string message, int position) : FormatException(message)
{
    /// <summary>Zero-based character position in the condition text where the fault was found.</summary>
    public int Position { get; } = position;
}

public sealed class ConditionEvaluationException(string message) : InvalidOperationException(message);
