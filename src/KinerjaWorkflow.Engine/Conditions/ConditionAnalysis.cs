namespace KinerjaWorkflow.Engine.Conditions;

/// <summary>Static questions about a parsed condition, answered without evaluating it.</summary>
internal static class ConditionAnalysis
{
    /// <summary>
    /// String literals that the condition tests the variable for: <c>variable == "x"</c> (either side)
    /// and <c>variable in ["x", "y"]</c>. Distinct, in order of appearance.
    /// </summary>
    public static IReadOnlyCollection<string> StringsComparedTo(ConditionNode node, string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var strings = new List<string>();
        CollectStrings(node, variable, strings);
        return strings.AsReadOnly();
    }

    /// <summary>Root names of every variable read (<c>unit</c> for <c>unit.nama</c>), distinct, in order of appearance.</summary>
    public static IReadOnlyCollection<string> Variables(ConditionNode node)
    {
        var names = new List<string>();
        CollectVariables(node, names);
        return names.AsReadOnly();
    }

    private static void CollectStrings(ConditionNode node, string variable, List<string> strings)
    {
        switch (node)
        {
            case AndNode and:
                foreach (var operand in and.Operands)
                {
                    CollectStrings(operand, variable, strings);
                }

                break;
            case OrNode or:
                foreach (var operand in or.Operands)
                {
                    CollectStrings(operand, variable, strings);
                }

                break;
            case NotNode not:
                CollectStrings(not.Operand, variable, strings);
                break;
            case ComparisonNode comparison:
                if (comparison.Operator == ComparisonOperator.Equal)
                {
                    AddIfComparedTo(comparison.Left, comparison.Right, variable, strings);
                    AddIfComparedTo(comparison.Right, comparison.Left, variable, strings);
                }

                CollectStrings(comparison.Left, variable, strings);
                CollectStrings(comparison.Right, variable, strings);
                break;
            case InNode @in:
                if (IsVariable(@in.Left, variable))
                {
                    foreach (var item in @in.Items)
                    {
                        AddString(item, strings);
                    }
                }

                CollectStrings(@in.Left, variable, strings);
                break;
        }
    }

    private static void AddIfComparedTo(ConditionNode side, ConditionNode other, string variable, List<string> strings)
    {
        if (IsVariable(side, variable))
        {
            AddString(other, strings);
        }
    }

    private static void AddString(ConditionNode node, List<string> strings)
    {
        if (node is LiteralNode { Value.Kind: ConditionValueKind.String } literal && !strings.Contains(literal.Value.String, StringComparer.Ordinal))
        {
            strings.Add(literal.Value.String);
        }
    }

    private static bool IsVariable(ConditionNode node, string variable) =>
        node is VariableNode named && string.Equals(named.Text, variable, StringComparison.Ordinal);

    private static void CollectVariables(ConditionNode node, List<string> names)
    {
        switch (node)
        {
            case VariableNode variable:
                if (!names.Contains(variable.Root, StringComparer.Ordinal))
                {
                    names.Add(variable.Root);
                }

                break;
            case AndNode and:
                foreach (var operand in and.Operands)
                {
                    CollectVariables(operand, names);
                }

                break;
            case OrNode or:
                foreach (var operand in or.Operands)
                {
                    CollectVariables(operand, names);
                }

                break;
            case NotNode not:
                CollectVariables(not.Operand, names);
                break;
            case ComparisonNode comparison:
                CollectVariables(comparison.Left, names);
                CollectVariables(comparison.Right, names);
                break;
            case InNode @in:
                CollectVariables(@in.Left, names);
                break;
        }
    }
}
