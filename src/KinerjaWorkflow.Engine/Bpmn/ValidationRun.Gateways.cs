using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Engine.Conditions;
using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>
/// Gateways: a split that can find no flow to take leaves the instance stuck for good, so a conditional
/// split needs a default flow unless its conditions provably cover every case.
/// </summary>
internal sealed partial class ValidationRun
{
    private static readonly string[] OutcomeOnly = [OutcomeInference.OutcomeVariable];

    private void CheckGateway(Gateway gateway)
    {
        var label = Describe.Node(gateway);
        if (gateway.Kind == GatewayKind.Parallel)
        {
            foreach (var flow in gateway.Outgoing.Where(f => f.ConditionText is not null))
            {
                Error(flow, $"{Describe.Flow(flow)} keluar dari {label} tetapi memiliki kondisi; percabangan paralel selalu mengambil semua alur keluarnya. Hapus kondisinya atau gunakan percabangan eksklusif atau inklusif.");
            }

            if (gateway.DefaultFlowId is not null)
            {
                Error(gateway, $"{label} tidak boleh memiliki alur default; percabangan paralel selalu mengambil semua alur keluarnya.");
            }

            return;
        }

        if (gateway.DefaultFlowId is { } defaultId)
        {
            var defaultFlow = _flowsFrom[gateway.Id].FirstOrDefault(f => f.Id == defaultId);
            if (defaultFlow is null)
            {
                Error(gateway, $"{label} menyebut \"{defaultId}\" sebagai alur default, padahal itu bukan alur keluar dari percabangan ini.");
            }
            else if (defaultFlow.ConditionText is not null)
            {
                Warning(gateway, $"{Describe.Flow(defaultFlow)} adalah alur default {label}, jadi kondisinya \"{defaultFlow.ConditionText}\" diabaikan.");
            }

            return;
        }

        var outgoing = gateway.Outgoing;
        if (outgoing.Count > 1
            && outgoing.All(f => f.Condition is not null)
            && !IsExhaustive(gateway, outgoing.Select(f => f.Condition!).ToList()))
        {
            Error(gateway, $"{label} bercabang ke {outgoing.Count} alur yang semuanya berkondisi tanpa alur default: bila tidak satu pun kondisi terpenuhi, proses berhenti di sini. Tambahkan alur default atau buat kondisinya mencakup semua kemungkinan.");
        }
    }

    /// <summary>
    /// Conditions provably cover every case when one is the negation of another, or when they read only the
    /// outcome of the task right before the gateway and hold for each outcome that task offers (the runtime
    /// accepts no other outcome).
    /// </summary>
    private static bool IsExhaustive(Gateway gateway, List<Condition> conditions)
    {
        // Each condition is brought to its canonical text once and looked up, so a gateway costs the number of
        // its flows, not its square: two thousand flows compared pair by pair held a processor for minutes.
        var positions = conditions
            .Select((condition, index) => (Text: Canonical(WithoutOuterParentheses(condition.Text)), Index: index))
            .ToLookup(c => c.Text, c => c.Index, StringComparer.Ordinal);
        for (var j = 0; j < conditions.Count; j++)
        {
            if (NegatedText(conditions[j].Text) is { } negated && positions[negated].Any(i => i != j))
            {
                return true;
            }
        }

        return gateway.Incoming is [{ Source: HumanTask { Outcomes.Count: > 0 } task }]
            && conditions.All(c => c.Variables.All(OutcomeOnly.Contains))
            && task.Outcomes.All(outcome => conditions.Any(c => Holds(c, outcome)));
    }

    private static bool Holds(Condition condition, string outcome)
    {
        var variables = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            [OutcomeInference.OutcomeVariable] = JsonSerializer.SerializeToElement(outcome),
        };
        try
        {
            return condition.Evaluate(variables);
        }
        catch (ConditionEvaluationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The canonical text that <paramref name="negation"/> negates when it is written as <c>!x</c>, <c>!(x)</c>
    /// or <c>not x</c>; null when it is no negation of one whole condition.
    /// </summary>
    private static string? NegatedText(string negation)
    {
        var trimmed = negation.Trim();
        string? inner = null;
        if (trimmed.StartsWith('!'))
        {
            inner = trimmed[1..];
        }
        else if (trimmed.Length > 3 && trimmed.StartsWith("not", StringComparison.OrdinalIgnoreCase) && (char.IsWhiteSpace(trimmed[3]) || trimmed[3] == '('))
        {
            inner = trimmed[3..];
        }

        return inner is null || HasTopLevelJunction(inner) ? null : Canonical(WithoutOuterParentheses(inner));
    }

    /// <summary>
    /// Negation binds looser than a comparison but tighter than <c>&amp;&amp;</c> and <c>||</c>: <c>!a == b</c>
    /// negates the comparison, <c>!a &amp;&amp; b</c> only <c>a</c>. So a negation covers the whole text after it
    /// only when no <c>&amp;&amp;</c>, <c>||</c>, <c>and</c> or <c>or</c> stands outside parentheses there.
    /// </summary>
    private static bool HasTopLevelJunction(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'')
            {
                i = EndOfLiteral(text, i);
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (depth == 0 && i + 1 < text.Length && ((c == '&' && text[i + 1] == '&') || (c == '|' && text[i + 1] == '|')))
            {
                return true;
            }
            else if (IsWordChar(c))
            {
                var end = i;
                while (end < text.Length && IsWordChar(text[end]))
                {
                    end++;
                }

                var word = text[i..end];
                if (depth == 0 && (word.Equals("and", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }

                i = end - 1;
            }
        }

        return false;
    }

    private static string WithoutOuterParentheses(string text)
    {
        var trimmed = text.Trim();
        while (trimmed.Length >= 2 && trimmed[0] == '(' && ClosingParenthesis(trimmed) == trimmed.Length - 1)
        {
            trimmed = trimmed[1..^1].Trim();
        }

        return trimmed;
    }

    /// <summary>The index of the parenthesis closing the one at index 0, skipping string literals.</summary>
    private static int ClosingParenthesis(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'')
            {
                i = EndOfLiteral(text, i);
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The text with insignificant whitespace removed: inside literals it stays, between words it becomes one space.</summary>
    private static string Canonical(string text)
    {
        var result = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace && IsWordChar(result[^1]) && IsWordChar(c))
            {
                result.Append(' ');
            }

            pendingSpace = false;
            if (c is '"' or '\'')
            {
                var end = EndOfLiteral(text, i);
                result.Append(text, i, Math.Min(end, text.Length - 1) - i + 1);
                i = end;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    private static int EndOfLiteral(string text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        return text.Length;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.';
}
