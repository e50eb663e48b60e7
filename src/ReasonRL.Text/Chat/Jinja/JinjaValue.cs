// JinjaValue: the values a chat template computes with, as plain CLR objects:
//   undefined → Undefined.Instance   none → null        bool, long (integer), double (float), string
//   list/tuple → List<object?>       dict → OrderedDictionary<string, object?> (insertion order kept)
//   namespace(...) → JinjaNamespace  callables → JinjaFunction
// plus the rules every operation shares: truthiness (Python's: empty string/list/dict, 0, none and
// undefined are false), equality, how a value prints inside {{ }} and how tojson writes it. Printing
// follows the reference renderer @huggingface/jinja (the one the fixtures come from): none and
// undefined print nothing, booleans print "true"/"false", a float with no fraction prints "1.0",
// lists and dicts print as JSON. Input from JSON keeps integral numbers as integers (JavaScript does).
// Reference: Jinja "Template Designer Documentation"; Python json.dumps separators (", ", ": ").
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ReasonRL.Text.Chat.Jinja;

/// <summary>Jinja's undefined: what a missing variable, attribute or index evaluates to.</summary>
internal sealed class Undefined
{
    public static readonly Undefined Instance = new();
    private Undefined() { }
    public override string ToString() => "";
}

/// <summary>namespace(...): the one mutable object templates have ({% set ns.x = … %}).</summary>
internal sealed class JinjaNamespace(OrderedDictionary<string, object?> items)
{
    public OrderedDictionary<string, object?> Items { get; } = items;
}

/// <summary>Arguments of a call: positional, then keyword.</summary>
internal sealed record CallArgs(IReadOnlyList<object?> Positional, IReadOnlyDictionary<string, object?> Keywords)
{
    public static readonly CallArgs None = new([], new Dictionary<string, object?>());

    /// <summary>Positional argument <paramref name="index"/>, else keyword <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback) =>
        index < Positional.Count ? Positional[index] : Keywords.TryGetValue(name, out object? v) ? v : fallback;
}

/// <summary>A callable value (globals such as range/namespace/raise_exception, and bound string/dict methods).</summary>
internal sealed class JinjaFunction(string name, Func<CallArgs, object?> invoke)
{
    public string Name { get; } = name;
    public object? Invoke(CallArgs args) => invoke(args);
}

/// <summary>A type or value error while rendering; the interpreter adds the template position.</summary>
internal sealed class JinjaError(string message, bool raisedByTemplate = false) : Exception(message)
{
    public bool RaisedByTemplate { get; } = raisedByTemplate;
}

internal static class JinjaValue
{
    public static bool IsNumber(object? v) => v is long or double;

    public static string TypeName(object? v) => v switch
    {
        null => "none",
        Undefined => "undefined",
        bool => "boolean",
        long => "integer",
        double => "float",
        string => "string",
        List<object?> => "list",
        OrderedDictionary<string, object?> => "dict",
        JinjaNamespace => "namespace",
        JinjaFunction => "function",
        _ => v.GetType().Name,
    };

    public static bool Truthy(object? v) => v switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        OrderedDictionary<string, object?> dict => dict.Count > 0,
        _ => true,
    };

    /// <summary>==: numbers by value (true == 1 as in the reference), strings ordinally, none equals
    /// undefined, containers by identity.</summary>
    public static bool AreEqual(object? a, object? b)
    {
        if (a is null or Undefined) return b is null or Undefined;
        if (b is null or Undefined) return false;
        if (AsNumber(a) is double x && AsNumber(b) is double y) return x == y;
        if (a is string s && b is string t) return string.Equals(s, t, StringComparison.Ordinal);
        return ReferenceEquals(a, b);
    }

    /// <summary>Strict equality used by `in` over a list (JavaScript ===): numbers by value, strings
    /// ordinally, booleans with booleans only, none with none, the rest by identity.</summary>
    public static bool AreIdentical(object? a, object? b) => (a, b) switch
    {
        (null, null) or (Undefined, Undefined) => true,
        (bool x, bool y) => x == y,
        (string s, string t) => string.Equals(s, t, StringComparison.Ordinal),
        _ when IsNumber(a) && IsNumber(b) => AsNumber(a) == AsNumber(b),
        _ => ReferenceEquals(a, b),
    };

    private static double? AsNumber(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => null,
    };

    /// <summary>The text a value contributes to the output (none/undefined contribute nothing).</summary>
    public static string Print(object? v) => v switch
    {
        null or Undefined => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        List<object?> or OrderedDictionary<string, object?> or JinjaNamespace => ToJson(v, new JsonOptions(null, false, false, null), 0, undefinedAsNull: false),
        JinjaFunction f => $"<function {f.Name}>",
        _ => v.ToString() ?? "",
    };

    /// <summary>Text for string concatenation (+ and ~): like <see cref="Print"/>, but a number prints as JavaScript does (1.0 → "1").</summary>
    public static string Concat(object? v) => v switch
    {
        double d => FormatNumber(d),
        null => "null",
        Undefined => "",
        _ => Print(v),
    };

    public static string FormatFloat(double d)
    {
        if (d == 0 && double.IsNegative(d)) return "-0.0";
        return d % 1 == 0 && !double.IsInfinity(d) ? d.ToString("F1", CultureInfo.InvariantCulture) : FormatNumber(d);
    }

    // JavaScript's Number.prototype.toString for the common range (shortest round-trip digits).
    private static string FormatNumber(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity"
        : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>tojson options (Python json.dumps names).</summary>
    public sealed record JsonOptions(int? Indent, bool EnsureAscii, bool SortKeys, (string Item, string Key)? Separators);

    /// <summary>JSON text of a value: separators ", " and ": " (with an indent: "," and ": "), non-ASCII kept
    /// unless ensure_ascii, keys in insertion order unless sort_keys.</summary>
    public static string ToJson(object? v, JsonOptions options, int depth, bool undefinedAsNull)
    {
        (string item, string key) = options.Separators ?? (options.Indent is > 0 ? (",", ": ") : (", ", ": "));
        switch (v)
        {
            case null: return "null";
            case Undefined: return undefinedAsNull ? "null" : "undefined";
            case bool b: return b ? "true" : "false";
            case long l: return l.ToString(CultureInfo.InvariantCulture);
            case double d: return double.IsFinite(d) ? FormatNumber(d) : "null";
            case string s: return QuoteJson(s, options.EnsureAscii);
            case List<object?> list:
                {
                    var parts = list.Select(x => ToJson(x, options, depth + 1, undefinedAsNull)).ToList();
                    return Container('[', ']', parts, options.Indent, depth, item);
                }
            case OrderedDictionary<string, object?> or JinjaNamespace:
                {
                    OrderedDictionary<string, object?> dict = v as OrderedDictionary<string, object?> ?? ((JinjaNamespace)v).Items;
                    IEnumerable<KeyValuePair<string, object?>> entries = options.SortKeys
                        ? dict.OrderBy(e => e.Key, StringComparer.Ordinal) : dict;
                    var parts = entries.Select(e => QuoteJson(e.Key, options.EnsureAscii) + key + ToJson(e.Value, options, depth + 1, undefinedAsNull)).ToList();
                    return Container('{', '}', parts, options.Indent, depth, item);
                }
            default: throw new JinjaError($"cannot convert a {TypeName(v)} to JSON");
        }
    }

    private static string Container(char open, char close, List<string> parts, int? indent, int depth, string itemSeparator)
    {
        if (indent is not > 0 || parts.Count == 0) return open + string.Join(itemSeparator, parts) + close;
        string pad = new(' ', indent.Value);
        string basePad = "\n" + string.Concat(Enumerable.Repeat(pad, depth));
        string childPad = basePad + pad;
        return open + childPad + string.Join(itemSeparator + childPad, parts) + basePad + close;
    }

    /// <summary>A JSON string literal as JavaScript's JSON.stringify writes it (short escapes for \b \f \n \r \t,
    /// \u00XX for other controls and lone surrogates).</summary>
    public static string QuoteJson(string s, bool ensureAscii)
    {
        var text = new StringBuilder(s.Length + 2).Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    bool lone = char.IsHighSurrogate(c) ? i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])
                        : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1]));
                    if (c < 0x20 || lone || (ensureAscii && c >= 0x7f)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>A JSON value as a template value (integral numbers become integers, as in JavaScript).</summary>
    public static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out long l) ? (object)l : e.GetDouble() is double d && d % 1 == 0 && Math.Abs(d) < 9.007199254740992e15 ? (object)(long)d : e.GetDouble(),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => ToDict(e.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, FromJson(p.Value)))),
        _ => Undefined.Instance,
    };

    /// <summary>A CLR value as a template value: strings, bools, integers, floats, JsonElement, lists and
    /// string-keyed dictionaries (recursively), or a value already in template form.</summary>
    public static object? FromClr(object? v) => v switch
    {
        null => null,
        string or bool or long or double or Undefined or JinjaNamespace or JinjaFunction => v,
        int i => (long)i,
        float f => (double)f,
        JsonElement e => FromJson(e),
        OrderedDictionary<string, object?> dict => dict,
        IEnumerable<KeyValuePair<string, object?>> pairs => ToDict(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, FromClr(p.Value)))),
        IEnumerable<KeyValuePair<string, string>> pairs => ToDict(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))),
        System.Collections.IEnumerable items => items.Cast<object?>().Select(FromClr).ToList(),
        _ => throw new ArgumentException($"a {v.GetType().Name} cannot be passed to a chat template (use strings, numbers, bools, lists, dictionaries or JSON)", nameof(v)),
    };

    public static OrderedDictionary<string, object?> ToDict(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> p in pairs) dict[p.Key] = p.Value;
        return dict;
    }
}
