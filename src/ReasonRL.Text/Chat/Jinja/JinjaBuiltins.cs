// JinjaBuiltins: what chat templates call by name — filters (x|trim), tests (x is defined),
// attributes and methods of values (message.content.startswith('<tool'), d.get('k'), s.split(…)),
// and the globals (namespace, range, raise_exception, strftime_now, true/false/none).
// Semantics follow the reference renderer @huggingface/jinja, with one deliberate exception:
// strip/lstrip/rstrip with an argument strip exactly those characters, as Python's str methods
// (and so transformers' apply_chat_template) do — the reference ignores the argument and trims all
// whitespace. Qwen3's `reasoning_content.strip('\n')` therefore renders as the model was trained.
// Not supported (reported as an unknown filter/method): macros as filters, `format`, `wordcount`,
// `batch`, `groupby` and the other rarely used Jinja filters.
// Reference: Jinja "List of Builtin Filters/Tests"; Python str methods; @huggingface/jinja runtime.ts (behaviour).
using System.Globalization;
using System.Text;

namespace ReasonRL.Text.Chat.Jinja;

internal static class JinjaBuiltins
{
    /// <summary>The global names every template sees.</summary>
    public static Dictionary<string, object?> Globals(Func<DateTime> clock) => new(StringComparer.Ordinal)
    {
        ["true"] = true, ["false"] = false, ["none"] = null,
        ["True"] = true, ["False"] = false, ["None"] = null,
        ["namespace"] = new JinjaFunction("namespace", Namespace),
        ["range"] = new JinjaFunction("range", Range),
        ["raise_exception"] = new JinjaFunction("raise_exception", a =>
            throw new JinjaError(a.Positional.Count > 0 ? JinjaValue.Print(a.Positional[0]) : "raise_exception() was called", raisedByTemplate: true)),
        ["strftime_now"] = new JinjaFunction("strftime_now", a => Strftime(clock(), RequireString(a.Get(0, "format", null), "strftime_now format"))),
    };

    private static JinjaNamespace Namespace(CallArgs a)
    {
        var items = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        if (a.Positional.Count > 1) throw new JinjaError($"namespace() takes at most one positional argument, got {a.Positional.Count}");
        if (a.Positional.Count == 1)
        {
            switch (a.Positional[0])
            {
                case OrderedDictionary<string, object?> dict:
                    foreach (KeyValuePair<string, object?> p in dict) items[p.Key] = p.Value;
                    break;
                case List<object?> pairs:
                    foreach (object? pair in pairs)
                    {
                        if (pair is not List<object?> { Count: 2 } kv || kv[0] is not string key) throw new JinjaError("namespace() expects [key, value] pairs with string keys");
                        items[key] = kv[1];
                    }
                    break;
                default:
                    throw new JinjaError($"namespace() cannot take a {JinjaValue.TypeName(a.Positional[0])}");
            }
        }
        foreach (KeyValuePair<string, object?> p in a.Keywords) items[p.Key] = p.Value;
        return new JinjaNamespace(items);
    }

    private static List<object?> Range(CallArgs a)
    {
        long Int(object? v, string what) => v as long? ?? throw new JinjaError($"range() {what} must be an integer, got {JinjaValue.TypeName(v)}");
        if (a.Positional.Count is 0 or > 3) throw new JinjaError("range() takes 1 to 3 integer arguments");
        long start = a.Positional.Count == 1 ? 0 : Int(a.Positional[0], "start");
        long stop = Int(a.Positional[a.Positional.Count == 1 ? 0 : 1], "stop");
        long step = a.Positional.Count == 3 ? Int(a.Positional[2], "step") : 1;
        if (step == 0) throw new JinjaError("range() step must not be zero");
        var result = new List<object?>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) result.Add(i);
        return result;
    }

    // Python's strftime for the directives chat templates use (%Y %m %d %b %B %H %M %%), English month names.
    private static string Strftime(DateTime now, string format)
    {
        var text = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length) { text.Append(format[i]); continue; }
            char d = format[++i];
            text.Append(d switch
            {
                'Y' => now.Year.ToString(CultureInfo.InvariantCulture),
                'm' => now.Month.ToString("00", CultureInfo.InvariantCulture),
                'd' => now.Day.ToString("00", CultureInfo.InvariantCulture),
                'H' => now.Hour.ToString("00", CultureInfo.InvariantCulture),
                'M' => now.Minute.ToString("00", CultureInfo.InvariantCulture),
                'b' => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(now.Month),
                'B' => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(now.Month),
                '%' => "%",
                _ => "%" + d,
            });
        }
        return text.ToString();
    }

    private static string RequireString(object? v, string what) =>
        v as string ?? throw new JinjaError($"{what} must be a string, got {JinjaValue.TypeName(v)}");

    // ---- attributes and methods ----

    /// <summary>obj.key / obj[key]: dict entries (then dict methods), list/string indexes (negative from
    /// the end), string and list methods; anything missing is undefined.</summary>
    public static object? Attribute(object? obj, object? key)
    {
        switch (obj)
        {
            case OrderedDictionary<string, object?> dict:
                if (key is not string k) throw new JinjaError($"a dict is indexed by strings, not by a {JinjaValue.TypeName(key)}");
                return dict.TryGetValue(k, out object? v) ? v : DictMethod(dict, k);
            case JinjaNamespace ns:
                if (key is not string name) throw new JinjaError($"a namespace is indexed by strings, not by a {JinjaValue.TypeName(key)}");
                return ns.Items.TryGetValue(name, out object? value) ? value : Undefined.Instance;
            case List<object?> list:
                if (key is long i) return i >= -list.Count && i < list.Count ? list[(int)(i < 0 ? i + list.Count : i)] : Undefined.Instance;
                if (key is string s) return s == "length" ? (long)list.Count : Undefined.Instance;
                throw new JinjaError($"a list is indexed by integers, not by a {JinjaValue.TypeName(key)}");
            case string str:
                if (key is long j) return j >= -str.Length && j < str.Length ? str[(int)(j < 0 ? j + str.Length : j)].ToString() : Undefined.Instance;
                if (key is string method) return StringMethod(str, method);
                throw new JinjaError($"a string is indexed by integers, not by a {JinjaValue.TypeName(key)}");
            default:
                if (key is not string) throw new JinjaError($"cannot index a {JinjaValue.TypeName(obj)} by a {JinjaValue.TypeName(key)}");
                return Undefined.Instance;
        }
    }

    private static object? DictMethod(OrderedDictionary<string, object?> dict, string name) => name switch
    {
        "get" => new JinjaFunction("get", a =>
        {
            object? key = a.Get(0, "key", null);
            if (key is not string k) throw new JinjaError($"dict.get() key must be a string, got {JinjaValue.TypeName(key)}");
            return dict.TryGetValue(k, out object? v) ? v : a.Get(1, "default", null);
        }),
        "items" => new JinjaFunction("items", _ => Items(dict)),
        "keys" => new JinjaFunction("keys", _ => dict.Keys.Select(k => (object?)k).ToList()),
        "values" => new JinjaFunction("values", _ => dict.Values.ToList()),
        "dictsort" => new JinjaFunction("dictsort", a => DictSort(dict, a)),
        _ => Undefined.Instance,
    };

    // [key, value] pairs sorted by key (or by="value"), case-insensitively unless case_sensitive; stable.
    private static List<object?> DictSort(OrderedDictionary<string, object?> dict, CallArgs a)
    {
        bool caseSensitive = JinjaValue.Truthy(a.Get(0, "case_sensitive", false));
        object? by = a.Get(1, "by", "key");
        if (by is not ("key" or "value")) throw new JinjaError("dictsort by must be 'key' or 'value'");
        bool reverse = JinjaValue.Truthy(a.Get(2, "reverse", false));
        int index = by is "key" ? 0 : 1;
        List<object?> items = Items(dict);
        return [.. items.Select((item, i) => (Item: (List<object?>)item!, i)).OrderBy(p => p, Comparer<(List<object?> Item, int i)>.Create((x, y) =>
        {
            int c = Compare(x.Item[index], y.Item[index], caseSensitive);
            return c != 0 ? (reverse ? -c : c) : x.i.CompareTo(y.i);
        })).Select(p => (object?)p.Item)];
    }

    private static List<object?> Items(OrderedDictionary<string, object?> dict) =>
        dict.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList();

    private static object? StringMethod(string s, string name) => name switch
    {
        "length" => (long)s.Length,
        "upper" => new JinjaFunction(name, _ => s.ToUpperInvariant()),
        "lower" => new JinjaFunction(name, _ => s.ToLowerInvariant()),
        "title" => new JinjaFunction(name, _ => Title(s)),
        "capitalize" => new JinjaFunction(name, _ => Capitalize(s)),
        "strip" => new JinjaFunction(name, a => Strip(s, a.Get(0, "chars", null), start: true, end: true)),
        "lstrip" => new JinjaFunction(name, a => Strip(s, a.Get(0, "chars", null), start: true, end: false)),
        "rstrip" => new JinjaFunction(name, a => Strip(s, a.Get(0, "chars", null), start: false, end: true)),
        "startswith" => new JinjaFunction(name, a => Affix(s, a, (x, p) => x.StartsWith(p, StringComparison.Ordinal), name)),
        "endswith" => new JinjaFunction(name, a => Affix(s, a, (x, p) => x.EndsWith(p, StringComparison.Ordinal), name)),
        "split" => new JinjaFunction(name, a => Split(s, a.Get(0, "sep", null), a.Get(1, "maxsplit", -1L))),
        "replace" => new JinjaFunction(name, a => Replace(s, a)),
        _ => Undefined.Instance,
    };

    /// <summary>Python str.strip/lstrip/rstrip: <paramref name="chars"/> none → whitespace, else exactly those characters.</summary>
    public static string Strip(string s, object? chars, bool start, bool end)
    {
        Func<char, bool> strip = chars switch
        {
            null or Undefined => JinjaLexer.IsWhitespace,
            string set => c => set.Contains(c, StringComparison.Ordinal),
            _ => throw new JinjaError($"strip() argument must be a string or none, got {JinjaValue.TypeName(chars)}"),
        };
        int from = 0, to = s.Length;
        if (start) while (from < to && strip(s[from])) from++;
        if (end) while (to > from && strip(s[to - 1])) to--;
        return s[from..to];
    }

    // \b\w → upper case (the reference's title: only a word's first letter changes).
    private static string Title(string s)
    {
        var text = new StringBuilder(s);
        static bool Word(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
        for (int i = 0; i < s.Length; i++)
        {
            if (Word(s[i]) && (i == 0 || !Word(s[i - 1]))) text[i] = char.ToUpperInvariant(s[i]);
        }
        return text.ToString();
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static bool Affix(string s, CallArgs a, Func<string, string, bool> test, string name) => a.Get(0, "prefix", null) switch
    {
        string p => test(s, p),
        List<object?> options => options.Any(o => test(s, o as string ?? throw new JinjaError($"{name}() tuple elements must be strings"))),
        var other => throw new JinjaError($"{name}() takes a string or a tuple of strings, got {JinjaValue.TypeName(other)}"),
    };

    // Python str.split(sep=None, maxsplit=-1).
    private static List<object?> Split(string s, object? sep, object? maxsplit)
    {
        if (maxsplit is not long max) throw new JinjaError($"split() maxsplit must be an integer, got {JinjaValue.TypeName(maxsplit)}");
        var result = new List<object?>();
        if (sep is null or Undefined)
        {
            int i = 0;
            while (true)
            {
                while (i < s.Length && JinjaLexer.IsWhitespace(s[i])) i++;
                if (i >= s.Length) break;
                if (max >= 0 && result.Count >= max) { result.Add(s[i..]); break; }
                int start = i;
                while (i < s.Length && !JinjaLexer.IsWhitespace(s[i])) i++;
                result.Add(s[start..i]);
            }
            return result;
        }
        if (sep is not string separator) throw new JinjaError($"split() separator must be a string, got {JinjaValue.TypeName(sep)}");
        if (separator.Length == 0) throw new JinjaError("split() separator is empty");
        int from = 0;
        while (max < 0 || result.Count < max)
        {
            int at = s.IndexOf(separator, from, StringComparison.Ordinal);
            if (at < 0) break;
            result.Add(s[from..at]);
            from = at + separator.Length;
        }
        result.Add(s[from..]);
        return result;
    }

    // Python str.replace(old, new, count=-1).
    private static string Replace(string s, CallArgs a)
    {
        if (a.Get(0, "old", null) is not string old || a.Get(1, "new", null) is not string replacement)
            throw new JinjaError("replace() takes two strings (old, new)");
        object? countArg = a.Get(2, "count", null);
        if (countArg is not (null or long)) throw new JinjaError($"replace() count must be an integer, got {JinjaValue.TypeName(countArg)}");
        long count = countArg as long? ?? -1;
        if (count < 0) count = long.MaxValue;
        var text = new StringBuilder();
        if (old.Length == 0)
        {
            // Between every code point and at both ends.
            int i = 0;
            while (true)
            {
                if (count-- > 0) text.Append(replacement);
                if (i >= s.Length) break;
                int width = char.IsSurrogatePair(s, i) ? 2 : 1;
                text.Append(s, i, width);
                i += width;
            }
            return text.ToString();
        }
        int from = 0;
        while (count-- > 0)
        {
            int at = s.IndexOf(old, from, StringComparison.Ordinal);
            if (at < 0) break;
            text.Append(s, from, at - from).Append(replacement);
            from = at + old.Length;
        }
        return text.Append(s, from, s.Length - from).ToString();
    }

    // ---- tests ----

    /// <summary>value is name.</summary>
    public static bool Test(string name, object? v, object? other = null) => name switch
    {
        "defined" => v is not Undefined,
        "undefined" => v is Undefined,
        "none" => v is null,
        "boolean" => v is bool,
        "true" => v is true,
        "false" => v is false,
        "string" => v is string,
        "number" => v is long or double,
        "integer" => v is long,
        "float" => v is double,
        "mapping" => v is OrderedDictionary<string, object?>,
        "iterable" => v is List<object?> or string,
        "sequence" => v is List<object?> or string or OrderedDictionary<string, object?>,
        "callable" => v is JinjaFunction,
        "odd" => (v as long? ?? throw new JinjaError($"'odd' needs an integer, got {JinjaValue.TypeName(v)}")) % 2 != 0,
        "even" => (v as long? ?? throw new JinjaError($"'even' needs an integer, got {JinjaValue.TypeName(v)}")) % 2 == 0,
        "lower" => v is string s && s == s.ToLowerInvariant(),
        "upper" => v is string u && u == u.ToUpperInvariant(),
        "equalto" or "eq" or "==" => JinjaValue.AreIdentical(v, other),
        _ => throw new JinjaError($"unknown test '{name}'"),
    };

    // ---- filters ----

    /// <summary>operand | name, or operand | name(args) when <paramref name="args"/> is not null.</summary>
    public static object? Filter(string name, object? operand, CallArgs? args)
    {
        CallArgs a = args ?? CallArgs.None;
        switch (name)
        {
            case "safe": return operand;
            case "tojson":
                {
                    object? indent = a.Keywords.GetValueOrDefault("indent");
                    if (indent is not (null or long)) throw new JinjaError("tojson indent must be an integer");
                    (string, string)? separators = a.Keywords.GetValueOrDefault("separators") switch
                    {
                        null => null,
                        List<object?> { Count: 2 } p when p[0] is string item && p[1] is string key => (item, key),
                        _ => throw new JinjaError("tojson separators must be a pair of strings"),
                    };
                    var options = new JinjaValue.JsonOptions((int?)(indent as long?), a.Keywords.GetValueOrDefault("ensure_ascii") is true,
                        a.Keywords.GetValueOrDefault("sort_keys") is true, separators);
                    return JinjaValue.ToJson(operand, options, 0, undefinedAsNull: true);
                }
            case "default" or "d":
                return operand is Undefined || (a.Get(1, "boolean", false) is true && !JinjaValue.Truthy(operand)) ? a.Get(0, "default_value", "") : operand;
            case "string": return operand is string ? operand : JinjaValue.Print(operand);
            case "length" or "count":
                return operand switch
                {
                    string s => (long)s.Length,
                    List<object?> list => (long)list.Count,
                    OrderedDictionary<string, object?> dict => (long)dict.Count,
                    _ => throw Cannot(name, operand),
                };
            case "int" or "float": return ToNumber(name, operand, a);
            case "join":
                {
                    string separator = a.Get(0, "d", "") as string ?? throw new JinjaError("join separator must be a string");
                    IEnumerable<string> parts = operand switch
                    {
                        List<object?> list => list.Select(JinjaValue.Concat),
                        string s => TextElements(s),
                        _ => throw Cannot(name, operand),
                    };
                    return string.Join(separator, parts);
                }
        }
        switch (operand)
        {
            case string s:
                return name switch
                {
                    "trim" => Strip(s, a.Get(0, "chars", null), start: true, end: true),
                    "upper" => s.ToUpperInvariant(),
                    "lower" => s.ToLowerInvariant(),
                    "title" => Title(s),
                    "capitalize" => Capitalize(s),
                    "indent" => Indent(s, a),
                    "replace" => Replace(s, a),
                    "list" => TextElements(s).Select(c => (object?)c).ToList(),
                    "first" => s.Length > 0 ? s[..1] : Undefined.Instance,
                    "last" => s.Length > 0 ? s[^1..] : Undefined.Instance,
                    _ => throw Cannot(name, operand),
                };
            case List<object?> list:
                return name switch
                {
                    "list" => list,
                    "first" => list.Count > 0 ? list[0] : Undefined.Instance,
                    "last" => list.Count > 0 ? list[^1] : Undefined.Instance,
                    "reverse" => Enumerable.Reverse(list).ToList(),
                    "unique" => Unique(list),
                    "sort" => Sort(list, a),
                    "selectattr" or "rejectattr" => SelectAttr(list, a, select: name == "selectattr"),
                    "map" => Map(list, a),
                    _ => throw Cannot(name, operand),
                };
            case OrderedDictionary<string, object?> dict:
                return name switch
                {
                    "items" => Items(dict),
                    "list" => dict.Keys.Select(k => (object?)k).ToList(),
                    _ => DictMethod(dict, name) is JinjaFunction f ? f.Invoke(a) : throw Cannot(name, operand),
                };
            case long or double:
                return name switch
                {
                    "abs" => operand is long l ? (object)Math.Abs(l) : Math.Abs((double)operand),
                    _ => throw Cannot(name, operand),
                };
            case bool b:
                return name == "bool" ? b : throw Cannot(name, operand);
            default:
                throw Cannot(name, operand);
        }
    }

    private static JinjaError Cannot(string filter, object? operand) =>
        new($"cannot apply the filter '{filter}' to a {JinjaValue.TypeName(operand)} (or it is not a supported filter)");

    private static IEnumerable<string> TextElements(string s)
    {
        for (int i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1)
            yield return s.Substring(i, char.IsSurrogatePair(s, i) ? 2 : 1);
    }

    private static object ToNumber(string name, object? operand, CallArgs a)
    {
        object fallback = a.Get(0, "default", name == "int" ? (object)0L : 0.0)!;
        switch (operand)
        {
            case bool b: return name == "int" ? (object)(b ? 1L : 0L) : (b ? 1.0 : 0.0);
            case long l: return name == "int" ? (object)l : (double)l;
            case double d: return name == "int" ? (object)(long)Math.Truncate(d) : d;
            case string s:
                string t = s.Trim();
                if (name == "int")
                {
                    int end = t.Length > 0 && t[0] is '-' or '+' ? 1 : 0;
                    while (end < t.Length && char.IsAsciiDigit(t[end])) end++;
                    return long.TryParse(t.AsSpan(0, end), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) ? (object)parsed : fallback;
                }
                return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) ? (object)f : fallback;
            default: throw Cannot(name, operand);
        }
    }

    private static string Indent(string s, CallArgs a)
    {
        string pad = a.Get(0, "width", 4L) switch
        {
            long n => new string(' ', (int)Math.Max(0, n)),
            string p => p,
            var other => throw new JinjaError($"indent width must be an integer or a string, got {JinjaValue.TypeName(other)}"),
        };
        bool first = JinjaValue.Truthy(a.Get(1, "first", false));
        bool blank = JinjaValue.Truthy(a.Get(2, "blank", false));
        string[] lines = s.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if ((i == 0 && !first) || (lines[i].Length == 0 && !blank)) continue;
            lines[i] = pad + lines[i];
        }
        return string.Join('\n', lines);
    }

    private static List<object?> Unique(List<object?> list)
    {
        var result = new List<object?>();
        foreach (object? item in list)
        {
            if (!result.Any(r => JinjaValue.AreIdentical(r, item))) result.Add(item);
        }
        return result;
    }

    private static List<object?> Sort(List<object?> list, CallArgs a)
    {
        bool reverse = JinjaValue.Truthy(a.Get(0, "reverse", false));
        bool caseSensitive = JinjaValue.Truthy(a.Get(1, "case_sensitive", false));
        object? attribute = a.Get(2, "attribute", null);
        object? Key(object? item) => attribute is null ? item : AttributePath(item, JinjaValue.Print(attribute));
        var sorted = list.ToList();
        // A stable sort, as JavaScript's Array.prototype.sort is.
        sorted = [.. sorted.Select((v, i) => (v, i)).OrderBy(p => p, Comparer<(object? v, int i)>.Create((x, y) =>
        {
            int c = Compare(Key(x.v), Key(y.v), caseSensitive);
            return c != 0 ? (reverse ? -c : c) : x.i.CompareTo(y.i);
        })).Select(p => p.v)];
        return sorted;
    }

    private static int Compare(object? a, object? b, bool caseSensitive)
    {
        if (a is long or double or bool && b is long or double or bool)
        {
            double x = a is bool p ? (p ? 1 : 0) : Convert.ToDouble(a, CultureInfo.InvariantCulture);
            double y = b is bool q ? (q ? 1 : 0) : Convert.ToDouble(b, CultureInfo.InvariantCulture);
            return x.CompareTo(y);
        }
        if (a is string s && b is string t)
        {
            return caseSensitive ? string.CompareOrdinal(s, t) : string.CompareOrdinal(s.ToLowerInvariant(), t.ToLowerInvariant());
        }
        if (a is null && b is null) return 0;
        throw new JinjaError($"cannot compare a {JinjaValue.TypeName(a)} with a {JinjaValue.TypeName(b)}");
    }

    // "a.b.0": dict keys and list indexes along a dotted path; undefined when a step is missing.
    private static object? AttributePath(object? item, string path)
    {
        foreach (string part in path.Split('.'))
        {
            item = item switch
            {
                OrderedDictionary<string, object?> d => d.TryGetValue(part, out object? v) ? v : Undefined.Instance,
                JinjaNamespace ns => ns.Items.TryGetValue(part, out object? v) ? v : Undefined.Instance,
                List<object?> l when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < l.Count => l[i],
                _ => Undefined.Instance,
            };
            if (item is Undefined) break;
        }
        return item;
    }

    private static List<object?> SelectAttr(List<object?> list, CallArgs a, bool select)
    {
        if (a.Get(0, "attribute", null) is not string attribute) throw new JinjaError("selectattr/rejectattr need an attribute name");
        string? test = a.Positional.Count > 1 ? a.Positional[1] as string ?? throw new JinjaError("the test name must be a string") : null;
        object? other = a.Positional.Count > 2 ? a.Positional[2] : null;
        var result = new List<object?>();
        foreach (object? item in list)
        {
            if (item is not (OrderedDictionary<string, object?> or JinjaNamespace)) throw new JinjaError("selectattr/rejectattr work on a list of dicts");
            object? value = AttributePath(item, attribute);
            bool pass = value is not Undefined && (test is null ? JinjaValue.Truthy(value) : Test(test, value, other));
            if (pass == select) result.Add(item);
        }
        return result;
    }

    private static List<object?> Map(List<object?> list, CallArgs a)
    {
        if (!a.Keywords.TryGetValue("attribute", out object? attr) || attr is not string attribute)
            throw new JinjaError("map is supported with attribute='name' only");
        object? fallback = a.Keywords.GetValueOrDefault("default", Undefined.Instance);
        return list.Select(item => AttributePath(item, attribute) is Undefined ? fallback : AttributePath(item, attribute)).ToList();
    }
}
