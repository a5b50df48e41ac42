namespace KinerjaWorkflow.Engine.Conditions;

/// <summary>
/// A node of a parsed condition. Every node keeps the text it was parsed from so that evaluation errors
/// can quote what the SOP designer wrote.
/// </summary>
internal abstract class ConditionNode(string text, int position)
{
    public string Text { get; } = text;

    /// <summary>Zero-based position of the node's first character in the condition text.</summary>
    public int Position { get; } = position;
}

internal sealed class LiteralNode(ConditionValue value, string text, int position) : ConditionNode(text, position)
{
    public ConditionValue Value { get; } = value;
}

/// <summary>A variable, possibly a path into nested JSON objects such as <c>unit.nama</c>.</summary>
internal sealed class VariableNode(IReadOnlyList<string> segments, string text, int position) : ConditionNode(text, position)
{
    public IReadOnlyList<string> Segments { get; } = segments;

    public string Root => Segments[0];
}

internal sealed class NotNode(ConditionNode operand, string text, int position) : ConditionNode(text, position)
{
    public ConditionNode Operand { get; } = operand;
}

/// <summary>
/// A chain <c>a &amp;&amp; b &amp;&amp; c</c> kept flat, so a long chain does not make a deep tree and
/// evaluation depth stays bounded by the nesting limit of the parser.
/// </summary>
internal sealed class AndNode(IReadOnlyList<ConditionNode> operands, string text, int position) : ConditionNode(text, position)
{
    public IReadOnlyList<ConditionNode> Operands { get; } = operands;
}

/// <summary>A flat chain <c>a || b || c</c>; see <see cref="AndNode"/>.</summary>
internal sealed class OrNode(IReadOnlyList<ConditionNode> operands, string text, int position) : ConditionNode(text, position)
{
    public IReadOnlyList<ConditionNode> Operands { get; } = operands;
}

internal enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal sealed class ComparisonNode(ComparisonOperator op, string operatorText, ConditionNode left, ConditionNode right, string text, int position)
    : ConditionNode(text, position)
{
    public ComparisonOperator Operator { get; } = op;

    public string OperatorText { get; } = operatorText;

    public ConditionNode Left { get; } = left;

    public ConditionNode Right { get; } = right;
}

/// <summary><c>left in [a, b, c]</c>; the list holds literals only.</summary>
internal sealed class InNode(ConditionNode left, IReadOnlyList<LiteralNode> items, string text, int position) : ConditionNode(text, position)
{
    public ConditionNode Left { get; } = left;

    public IReadOnlyList<LiteralNode> Items { get; } = items;
}
