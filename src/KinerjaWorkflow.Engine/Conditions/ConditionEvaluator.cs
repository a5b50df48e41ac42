using System.Text.Json;

namespace KinerjaWorkflow.Engine.Conditions;

/// <summary>
/// Evaluates a parsed condition against instance variables. A missing variable or property reads as null;
/// type faults that have no sensible answer (ordering a null, using text as true/false) throw
/// <see cref="ConditionEvaluationException"/> naming what the SOP designer wrote.
/// </summary>
internal static class ConditionEvaluator
{
    public static bool IsTrue(ConditionNode node, IReadOnlyDictionary<string, JsonElement> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Truth(node, variables);
    }

    private static bool Truth(ConditionNode node, IReadOnlyDictionary<string, JsonElement> variables)
    {
        switch (node)
        {
            case AndNode and:
                foreach (var operand in and.Operands)
                {
                    if (!Truth(operand, variables))
                    {
                        return false;
                    }
                }

                return true;
            case OrNode or:
                foreach (var operand in or.Operands)
                {
                    if (Truth(operand, variables))
                    {
                        return true;
                    }
                }

                return false;
            case NotNode not:
                return !Truth(not.Operand, variables);
            case ComparisonNode comparison:
                return Compare(comparison, variables);
            case InNode @in:
                var left = Value(@in.Left, variables);
                return @in.Items.Any(item => left.IsEqualTo(item.Value));
            default:
                return AsBool(node, Value(node, variables));
        }
    }

    private static bool AsBool(ConditionNode node, ConditionValue value) => value.Kind switch
    {
        ConditionValueKind.Bool => value.Bool,
        ConditionValueKind.Null => false,
        _ => throw new ConditionEvaluationException(
            $"{Capitalize(Describe(node, value))}, padahal harus true atau false untuk dipakai sebagai syarat."),
    };

    private static ConditionValue Value(ConditionNode node, IReadOnlyDictionary<string, JsonElement> variables) => node switch
    {
        LiteralNode literal => literal.Value,
        VariableNode variable => Read(variable, variables),
        _ => ConditionValue.FromBool(Truth(node, variables)),
    };

    private static ConditionValue Read(VariableNode variable, IReadOnlyDictionary<string, JsonElement> variables)
    {
        if (!variables.TryGetValue(variable.Root, out var element))
        {
            return ConditionValue.Null;
        }

        for (var i = 1; i < variable.Segments.Count; i++)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(variable.Segments[i], out element))
            {
                return ConditionValue.Null;
            }
        }

        if (!ConditionValue.TryFromJson(element, out var value))
        {
            throw new ConditionEvaluationException($"Angka pada variabel '{variable.Text}' terlalu besar untuk dibandingkan.");
        }

        return value;
    }

    private static bool Compare(ComparisonNode comparison, IReadOnlyDictionary<string, JsonElement> variables)
    {
        var left = Value(comparison.Left, variables);
        var right = Value(comparison.Right, variables);
        if (comparison.Operator == ComparisonOperator.Equal)
        {
            return left.IsEqualTo(right);
        }

        if (comparison.Operator == ComparisonOperator.NotEqual)
        {
            return !left.IsEqualTo(right);
        }

        int order;
        if (left.Kind == ConditionValueKind.Number && right.Kind == ConditionValueKind.Number)
        {
            order = left.Number.CompareTo(right.Number);
        }
        else if (left.Kind == ConditionValueKind.String && right.Kind == ConditionValueKind.String)
        {
            order = string.CompareOrdinal(left.String, right.String);
        }
        else
        {
            throw new ConditionEvaluationException(
                $"Operator '{comparison.OperatorText}' hanya dapat membandingkan dua angka atau dua teks, tetapi "
                + $"{Describe(comparison.Left, left)} dan {Describe(comparison.Right, right)} (pada '{comparison.Text}').");
        }

        return comparison.Operator switch
        {
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.LessOrEqual => order <= 0,
            ComparisonOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }

    private static string Describe(ConditionNode node, ConditionValue value) => (node, value.Kind) switch
    {
        (VariableNode variable, ConditionValueKind.Null) => $"variabel '{variable.Text}' kosong atau tidak ada",
        (VariableNode variable, _) => $"variabel '{variable.Text}' berisi {value.KindName}",
        (LiteralNode literal, _) => $"nilai {literal.Text} berupa {value.KindName}",
        _ => $"'{node.Text}' bernilai {value.KindName}",
    };

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
