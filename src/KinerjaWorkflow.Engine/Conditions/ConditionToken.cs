namespace KinerjaWorkflow.Engine.Conditions;

internal enum ConditionTokenKind
{
    String,
    Number,
    True,
    False,
    Null,
    Variable,
    And,
    Or,
    Not,
    In,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    End,
}

/// <summary>One token; <see cref="Text"/> is exactly the source characters so messages quote the designer's own words.</summary>
internal sealed record ConditionToken(ConditionTokenKind Kind, string Text, int Position)
{
    /// <summary>The value of a literal token.</summary>
    public ConditionValue Value { get; init; } = ConditionValue.Null;

    /// <summary>The dot-separated names of a variable token.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    public int End => Position + Text.Length;

    public bool IsLiteral => Kind is ConditionTokenKind.String or ConditionTokenKind.Number
        or ConditionTokenKind.True or ConditionTokenKind.False or ConditionTokenKind.Null;

    public bool IsComparison => Kind is ConditionTokenKind.Equal or ConditionTokenKind.NotEqual
        or ConditionTokenKind.Less or ConditionTokenKind.LessOrEqual
        or ConditionTokenKind.Greater or ConditionTokenKind.GreaterOrEqual;

    /// <summary>How the token is named in a message.</summary>
    public string Quoted => Kind == ConditionTokenKind.End ? "akhir kondisi" : $"'{Text}'";
}

internal static class ConditionSyntax
{
    public static ConditionSyntaxException Error(string message, int position) =>
        new($"{message} (posisi {position}).", position);
}
