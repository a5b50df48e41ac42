using System.Text.Json;

namespace KinerjaWorkflow.Engine.Conditions;

internal enum ConditionValueKind
{
    Null,
    Bool,
    Number,
    String,
    Object,
    Array,
}

/// <summary>
/// A value seen by the evaluator: a literal of the condition or a variable read from the instance. Numbers
/// are decimals so that <c>4 == 4.0</c> holds and money-like values compare without binary rounding.
/// </summary>
internal readonly struct ConditionValue
{
    private readonly bool _bool;
    private readonly decimal _number;
    private readonly string? _string;
    private readonly JsonElement _element;

    private ConditionValue(ConditionValueKind kind, bool boolValue = false, decimal number = 0, string? text = null, JsonElement element = default)
    {
        Kind = kind;
        _bool = boolValue;
        _number = number;
        _string = text;
        _element = element;
    }

    public static ConditionValue Null { get; } = new(ConditionValueKind.Null);

    public ConditionValueKind Kind { get; }

    public bool Bool => _bool;

    public decimal Number => _number;

    public string String => _string ?? string.Empty;

    public static ConditionValue FromBool(bool value) => new(ConditionValueKind.Bool, boolValue: value);

    public static ConditionValue FromNumber(decimal value) => new(ConditionValueKind.Number, number: value);

    public static ConditionValue FromString(string value) => new(ConditionValueKind.String, text: value);

    /// <summary>Converts a JSON value; returns false only for a number outside the decimal range.</summary>
    public static bool TryFromJson(JsonElement element, out ConditionValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                value = FromBool(true);
                return true;
            case JsonValueKind.False:
                value = FromBool(false);
                return true;
            case JsonValueKind.String:
                value = FromString(element.GetString() ?? string.Empty);
                return true;
            case JsonValueKind.Number:
                if (element.TryGetDecimal(out var number))
                {
                    value = FromNumber(number);
                    return true;
                }

                value = Null;
                return false;
            case JsonValueKind.Object:
                value = new ConditionValue(ConditionValueKind.Object, element: element);
                return true;
            case JsonValueKind.Array:
                value = new ConditionValue(ConditionValueKind.Array, element: element);
                return true;
            default:
                value = Null;
                return true;
        }
    }

    /// <summary>Equality by kind: values of different kinds are simply unequal.</summary>
    public bool IsEqualTo(ConditionValue other)
    {
        if (Kind != other.Kind)
        {
            return false;
        }

        return Kind switch
        {
            ConditionValueKind.Null => true,
            ConditionValueKind.Bool => _bool == other._bool,
            ConditionValueKind.Number => _number == other._number,
            ConditionValueKind.String => string.Equals(_string, other._string, StringComparison.Ordinal),
            _ => JsonElement.DeepEquals(_element, other._element),
        };
    }

    /// <summary>Name of the kind as a person designing an SOP would call it.</summary>
    public string KindName => Kind switch
    {
        ConditionValueKind.Null => "kosong (null)",
        ConditionValueKind.Bool => "true/false",
        ConditionValueKind.Number => "angka",
        ConditionValueKind.String => "teks",
        ConditionValueKind.Object => "objek",
        _ => "daftar",
    };
}
