using System.Diagnostics;

namespace KinerjaWorkflow.Engine.Conditions;

/// <summary>
/// Recursive-descent parser. Precedence from loosest to tightest: <c>||</c>, <c>&amp;&amp;</c>, <c>!</c>,
/// comparisons (<c>== != &lt; &lt;= &gt; &gt;= in</c>), then a literal, a variable or a parenthesised
/// condition. Recursion only happens through <c>!</c> and parentheses, and both count against
/// <see cref="MaxDepth"/>, so hostile input cannot exhaust the stack.
/// </summary>
internal sealed class ConditionParser
{
    public const int MaxLength = 2000;
    public const int MaxDepth = 64;

    private readonly string _text;
    private readonly List<ConditionToken> _tokens;
    private int _index;
    private int _depth;

    private ConditionParser(string text, List<ConditionToken> tokens)
    {
        _text = text;
        _tokens = tokens;
    }

    private ConditionToken Current => _tokens[_index];

    private ConditionToken? Previous => _index > 0 ? _tokens[_index - 1] : null;

    public static ConditionNode Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            throw ConditionSyntax.Error($"Kondisi terlalu panjang; paling banyak {MaxLength} karakter", MaxLength);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw ConditionSyntax.Error("Kondisi kosong; tuliskan syarat, misalnya outcome == \"setuju\"", 0);
        }

        var parser = new ConditionParser(text, ConditionTokenizer.Tokenize(text));
        var root = RequireCondition(parser.ParseOr());
        if (parser.Current.Kind != ConditionTokenKind.End)
        {
            throw parser.UnexpectedAfterCondition(openParen: null);
        }

        return root;
    }

    private ConditionNode ParseOr()
    {
        var start = Current.Position;
        var first = ParseAnd();
        if (Current.Kind != ConditionTokenKind.Or)
        {
            return first;
        }

        var operands = new List<ConditionNode> { RequireCondition(first) };
        while (Current.Kind == ConditionTokenKind.Or)
        {
            Advance();
            operands.Add(RequireCondition(ParseAnd()));
        }

        return new OrNode(operands, SourceFrom(start), start);
    }

    private ConditionNode ParseAnd()
    {
        var start = Current.Position;
        var first = ParseNot();
        if (Current.Kind != ConditionTokenKind.And)
        {
            return first;
        }

        var operands = new List<ConditionNode> { RequireCondition(first) };
        while (Current.Kind == ConditionTokenKind.And)
        {
            Advance();
            operands.Add(RequireCondition(ParseNot()));
        }

        return new AndNode(operands, SourceFrom(start), start);
    }

    private ConditionNode ParseNot()
    {
        if (Current.Kind != ConditionTokenKind.Not)
        {
            return ParseComparison();
        }

        var not = Advance();
        Enter(not);
        var operand = RequireCondition(ParseNot());
        _depth--;
        return new NotNode(operand, SourceFrom(not.Position), not.Position);
    }

    private ConditionNode ParseComparison()
    {
        var start = Current.Position;
        var left = ParsePrimary();
        ConditionNode comparison;
        if (Current.IsComparison)
        {
            var op = Advance();
            var right = ParsePrimary();
            comparison = new ComparisonNode(OperatorOf(op.Kind), op.Text, left, right, SourceFrom(start), start);
        }
        else if (Current.Kind == ConditionTokenKind.In)
        {
            var items = ParseList(Advance());
            comparison = new InNode(left, items, SourceFrom(start), start);
        }
        else
        {
            return left;
        }

        if (Current.IsComparison || Current.Kind == ConditionTokenKind.In)
        {
            throw ConditionSyntax.Error(
                $"Perbandingan tidak dapat dirangkai; pisahkan dengan '&&' atau '||' sebelum {Current.Quoted}", Current.Position);
        }

        return comparison;
    }

    private ConditionNode ParsePrimary()
    {
        var token = Current;
        if (token.IsLiteral)
        {
            Advance();
            return new LiteralNode(token.Value, token.Text, token.Position);
        }

        switch (token.Kind)
        {
            case ConditionTokenKind.Variable:
                Advance();
                return new VariableNode(token.Segments, token.Text, token.Position);
            case ConditionTokenKind.LeftParen:
                Advance();
                Enter(token);
                var inner = ParseOr();
                if (Current.Kind != ConditionTokenKind.RightParen)
                {
                    throw UnexpectedAfterCondition(openParen: token);
                }

                Advance();
                _depth--;
                return inner;
            case ConditionTokenKind.LeftBracket:
                throw ConditionSyntax.Error("Daftar [..] hanya dapat dipakai setelah 'in', misalnya triwulan in [2, 4]", token.Position);
            default:
                throw ExpectedValue(token);
        }
    }

    private List<LiteralNode> ParseList(ConditionToken inToken)
    {
        if (Current.Kind != ConditionTokenKind.LeftBracket)
        {
            throw ConditionSyntax.Error(
                $"Diharapkan daftar seperti [2, 4] setelah '{inToken.Text}', bukan {Current.Quoted}", Current.Position);
        }

        var open = Advance();
        if (Current.Kind == ConditionTokenKind.RightBracket)
        {
            throw ConditionSyntax.Error("Daftar setelah 'in' tidak boleh kosong", Current.Position);
        }

        var items = new List<LiteralNode>();
        while (true)
        {
            var item = Current;
            if (item.IsLiteral)
            {
                Advance();
                items.Add(new LiteralNode(item.Value, item.Text, item.Position));
            }
            else if (item.Kind == ConditionTokenKind.End)
            {
                throw BracketNotClosed(open);
            }
            else if (item.Kind == ConditionTokenKind.Variable)
            {
                throw ConditionSyntax.Error(
                    $"Daftar hanya boleh berisi nilai tetap (teks, angka, true, false, null), bukan variabel '{item.Text}'", item.Position);
            }
            else
            {
                throw ExpectedValue(item);
            }

            switch (Current.Kind)
            {
                case ConditionTokenKind.Comma:
                    Advance();
                    continue;
                case ConditionTokenKind.RightBracket:
                    Advance();
                    return items;
                case ConditionTokenKind.End:
                    throw BracketNotClosed(open);
                default:
                    throw ConditionSyntax.Error($"Diharapkan ',' atau ']' di dalam daftar, bukan {Current.Quoted}", Current.Position);
            }
        }
    }

    /// <summary>
    /// A text or number on its own can never be true or false, so it is refused when the definition is
    /// deployed rather than failing later while an instance runs. <c>true</c>, <c>false</c> and <c>null</c> stay allowed.
    /// </summary>
    private static ConditionNode RequireCondition(ConditionNode node)
    {
        if (node is LiteralNode { Value.Kind: ConditionValueKind.String or ConditionValueKind.Number } literal)
        {
            throw ConditionSyntax.Error(
                $"{literal.Text} saja bukan syarat benar/salah; bandingkan dengan variabel, misalnya outcome == {literal.Text}", literal.Position);
        }

        return node;
    }

    private void Enter(ConditionToken token)
    {
        _depth++;
        if (_depth > MaxDepth)
        {
            throw ConditionSyntax.Error($"Kondisi bersarang terlalu dalam; paling banyak {MaxDepth} tingkat", token.Position);
        }
    }

    private ConditionToken Advance() => _tokens[_index++];

    private string SourceFrom(int start) => _text[start..(Previous?.End ?? start)];

    private ConditionSyntaxException ExpectedValue(ConditionToken found)
    {
        var message = (Previous, found.Kind) switch
        {
            (null, _) => $"Diharapkan nilai, bukan {found.Quoted}",
            (var previous, ConditionTokenKind.End) => $"Diharapkan nilai setelah '{previous.Text}'",
            (var previous, _) => $"Diharapkan nilai setelah '{previous.Text}', bukan {found.Quoted}",
        };
        return ConditionSyntax.Error(message, found.Position);
    }

    private ConditionSyntaxException UnexpectedAfterCondition(ConditionToken? openParen)
    {
        var found = Current;
        return found.Kind switch
        {
            ConditionTokenKind.End when openParen is not null => ConditionSyntax.Error(
                "Kurung '(' belum ditutup dengan ')'", openParen.Position),
            ConditionTokenKind.RightParen => ConditionSyntax.Error("Kurung tutup ')' tidak punya pasangan '('", found.Position),
            ConditionTokenKind.Comma => ConditionSyntax.Error(
                "',' tidak terduga di sini; untuk angka desimal gunakan titik, misalnya 3.5", found.Position),
            _ => ConditionSyntax.Error(
                $"{found.Quoted} tidak terduga di sini; mungkin kurang operator seperti '==', '&&' atau '||' sebelumnya", found.Position),
        };
    }

    private static ConditionSyntaxException BracketNotClosed(ConditionToken open) =>
        ConditionSyntax.Error("Kurung '[' belum ditutup dengan ']'", open.Position);

    private static ComparisonOperator OperatorOf(ConditionTokenKind kind) => kind switch
    {
        ConditionTokenKind.Equal => ComparisonOperator.Equal,
        ConditionTokenKind.NotEqual => ComparisonOperator.NotEqual,
        ConditionTokenKind.Less => ComparisonOperator.Less,
        ConditionTokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
        ConditionTokenKind.Greater => ComparisonOperator.Greater,
        ConditionTokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
        _ => throw new UnreachableException($"{kind} is not a comparison"),
    };
}
