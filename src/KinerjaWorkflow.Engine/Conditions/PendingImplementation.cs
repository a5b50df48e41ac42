using System.Text.Json;

namespace KinerjaWorkflow.Engine.Conditions;

internal abstract class ConditionNode;

internal static class ConditionParser
{
    public static ConditionNode Parse(string text) => throw new NotImplementedException(text);
}

internal static class ConditionEvaluator
{
    public static bool IsTrue(ConditionNode node, IReadOnlyDictionary<string, JsonElement> variables) => throw new NotImplementedException();
}

internal static class ConditionAnalysis
{
    public static IReadOnlyCollection<string> StringsComparedTo(ConditionNode node, string variable) => throw new NotImplementedException();

    public static IReadOnlyCollection<string> Variables(ConditionNode node) => throw new NotImplementedException();
}
