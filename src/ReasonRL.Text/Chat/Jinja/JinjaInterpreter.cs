// JinjaInterpreter: renders a parsed template. Scopes follow Jinja: a for loop opens one scope for
// all its iterations (a plain `set` inside it does not leak out; namespace attributes do), `if`
// opens none. Operators follow the reference renderer: + adds numbers, joins lists, and
// concatenates when either side is a string; ~ always concatenates; / is float division, // floors;
// `in` tests list membership, substring, or dict key; and/or return an operand. Errors carry the
// position of the innermost expression that failed.
// Reference: Jinja "Template Designer Documentation"; @huggingface/jinja runtime.ts (behaviour).
using System.Text;

namespace ReasonRL.Text.Chat.Jinja;

internal sealed class JinjaInterpreter
{
    private sealed class Scope(Scope? parent)
    {
        private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);
        private Scope? Parent { get; } = parent;
        public void Set(string name, object? value) => _variables[name] = value;
        public object? Get(string name)
        {
            for (Scope? s = this; s is not null; s = s.Parent)
            {
                if (s._variables.TryGetValue(name, out object? v)) return v;
            }
            return Undefined.Instance;
        }
    }

    private sealed class BreakSignal : Exception;
    private sealed class ContinueSignal : Exception;

    private readonly TemplateSource _source;

    private JinjaInterpreter(TemplateSource source) => _source = source;

    public static string Render(TemplateSource source, IReadOnlyList<Node> program, IReadOnlyDictionary<string, object?> globals, IReadOnlyDictionary<string, object?> variables)
    {
        var scope = new Scope(null);
        foreach (KeyValuePair<string, object?> g in globals) scope.Set(g.Key, g.Value);
        foreach (KeyValuePair<string, object?> v in variables) scope.Set(v.Key, v.Value);
        var output = new StringBuilder();
        var interpreter = new JinjaInterpreter(source);
        try
        {
            interpreter.RenderBlock(program, scope, output);
        }
        catch (BreakSignal)
        {
            throw source.Error(0, "'break' outside a for loop");
        }
        catch (ContinueSignal)
        {
            throw source.Error(0, "'continue' outside a for loop");
        }
        return output.ToString();
    }

    private void RenderBlock(IReadOnlyList<Node> nodes, Scope scope, StringBuilder output)
    {
        foreach (Node node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case OutputNode o:
                    output.Append(JinjaValue.Print(Evaluate(o.Value, scope)));
                    break;
                case IfNode i:
                    RenderBlock(JinjaValue.Truthy(Evaluate(i.Test, scope)) ? i.Body : i.Else, scope, output);
                    break;
                case ForNode f:
                    RenderFor(f, scope, output);
                    break;
                case SetNode s:
                    ExecuteSet(s, scope);
                    break;
                case MacroNode macro:
                    scope.Set(macro.Name, Macro(macro, scope));
                    break;
                case BreakNode:
                    throw new BreakSignal();
                case ContinueNode:
                    throw new ContinueSignal();
                default:
                    throw _source.Error(node.Position, $"cannot render a {node.GetType().Name}");
            }
        }
    }

    private void RenderFor(ForNode node, Scope outer, StringBuilder output)
    {
        var scope = new Scope(outer);
        object? iterable = Evaluate(node.Iterable, scope);
        List<object?> candidates = iterable switch
        {
            List<object?> list => list,
            OrderedDictionary<string, object?> dict => dict.Keys.Select(k => (object?)k).ToList(),
            _ => throw _source.Error(node.Iterable.Position, $"a for loop needs a list or a dict, got a {JinjaValue.TypeName(iterable)}"),
        };
        var items = new List<object?>(candidates.Count);
        foreach (object? item in candidates)
        {
            if (node.Target is ListExpr tuple && item is not List<object?> { } values)
                throw _source.Error(node.Target.Position, $"cannot unpack a {JinjaValue.TypeName(item)} into {tuple.Items.Count} loop variables");
            if (node.Target is ListExpr t && ((List<object?>)item!).Count != t.Items.Count)
                throw _source.Error(node.Target.Position, $"cannot unpack {((List<object?>)item!).Count} values into {t.Items.Count} loop variables");
            if (node.Filter is not null)
            {
                var test = new Scope(scope);
                Bind(node.Target, item, test);
                if (!JinjaValue.Truthy(Evaluate(node.Filter, test))) continue;
            }
            items.Add(item);
        }
        for (int i = 0; i < items.Count; i++)
        {
            scope.Set("loop", JinjaValue.ToDict(
            [
                new("index", (long)i + 1), new("index0", (long)i),
                new("revindex", (long)(items.Count - i)), new("revindex0", (long)(items.Count - i - 1)),
                new("first", i == 0), new("last", i == items.Count - 1), new("length", (long)items.Count),
                new("previtem", i > 0 ? items[i - 1] : Undefined.Instance),
                new("nextitem", i + 1 < items.Count ? items[i + 1] : Undefined.Instance),
            ]));
            Bind(node.Target, items[i], scope);
            try
            {
                RenderBlock(node.Body, scope, output);
            }
            catch (ContinueSignal)
            {
            }
            catch (BreakSignal)
            {
                break;
            }
        }
        if (items.Count == 0) RenderBlock(node.Else, scope, output);
    }

    // A macro is a function that renders its body in a scope whose parent is the scope it was
    // defined in (lexical, late-bound); missing arguments are undefined unless they have a default
    // (evaluated at call time, after the arguments are bound); the extra ones are in varargs/kwargs.
    private JinjaFunction Macro(MacroNode macro, Scope definition) => new(macro.Name, args =>
    {
        var scope = new Scope(definition);
        var keywords = new Dictionary<string, object?>(args.Keywords, StringComparer.Ordinal);
        var defaults = new List<(string, Expr)>();
        for (int i = 0; i < macro.Parameters.Count; i++)
        {
            (string name, Expr? fallback) = macro.Parameters[i];
            object? value = Undefined.Instance;
            bool given = i < args.Positional.Count;
            if (given) value = args.Positional[i];
            else if (keywords.Remove(name, out object? keyword)) { value = keyword; given = true; }
            if (!given && fallback is not null) defaults.Add((name, fallback));
            scope.Set(name, value);
        }
        scope.Set("varargs", args.Positional.Skip(macro.Parameters.Count).ToList());
        scope.Set("kwargs", JinjaValue.ToDict(keywords.Select(k => new KeyValuePair<string, object?>(k.Key, k.Value))));
        foreach ((string name, Expr fallback) in defaults) scope.Set(name, Evaluate(fallback, scope));
        var output = new StringBuilder();
        RenderBlock(macro.Body, scope, output);
        return output.ToString();
    });

    private static void Bind(Expr target, object? value, Scope scope)
    {
        if (target is NameExpr name)
        {
            scope.Set(name.Name, value);
            return;
        }
        var tuple = (ListExpr)target;
        var values = (List<object?>)value!;
        for (int i = 0; i < tuple.Items.Count; i++) scope.Set(((NameExpr)tuple.Items[i]).Name, values[i]);
    }

    private void ExecuteSet(SetNode node, Scope scope)
    {
        object? value;
        if (node.Value is not null)
        {
            value = Evaluate(node.Value, scope);
        }
        else
        {
            var captured = new StringBuilder();
            RenderBlock(node.Body, scope, captured);
            value = captured.ToString();
        }
        switch (node.Target)
        {
            case NameExpr name:
                scope.Set(name.Name, value);
                break;
            case ListExpr tuple:
                if (value is not List<object?> values) throw _source.Error(node.Target.Position, $"cannot unpack a {JinjaValue.TypeName(value)} in set");
                if (values.Count != tuple.Items.Count) throw _source.Error(node.Target.Position, $"cannot unpack {values.Count} values into {tuple.Items.Count} names");
                for (int i = 0; i < values.Count; i++)
                {
                    if (tuple.Items[i] is not NameExpr n) throw _source.Error(tuple.Items[i].Position, "set can unpack into names only");
                    scope.Set(n.Name, values[i]);
                }
                break;
            case MemberExpr member:
                object? target = Evaluate(member.Object, scope);
                if (target is not JinjaNamespace ns) throw _source.Error(member.Position, $"only namespace() attributes can be assigned, not those of a {JinjaValue.TypeName(target)}");
                if (member.Property is not LiteralExpr { Value: string attribute }) throw _source.Error(member.Position, "a namespace attribute must be a name");
                ns.Items[attribute] = value;
                break;
            default:
                throw _source.Error(node.Target.Position, "cannot assign to this expression");
        }
    }

    private object? Evaluate(Expr expr, Scope scope)
    {
        try
        {
            return EvaluateCore(expr, scope);
        }
        catch (JinjaError e)
        {
            throw _source.Error(expr.Position, e.Message, e.RaisedByTemplate);
        }
    }

    private object? EvaluateCore(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case LiteralExpr literal: return literal.Value;
            case NameExpr name: return scope.Get(name.Name);
            case ListExpr list: return list.Items.Select(i => Evaluate(i, scope)).ToList();
            case DictExpr dict:
                {
                    var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                    foreach ((Expr key, Expr value) in dict.Items)
                    {
                        object? k = Evaluate(key, scope);
                        result[k as string ?? throw new JinjaError($"dict keys must be strings, got a {JinjaValue.TypeName(k)}")] = Evaluate(value, scope);
                    }
                    return result;
                }
            case MemberExpr member: return JinjaBuiltins.Attribute(Evaluate(member.Object, scope), Evaluate(member.Property, scope));
            case SliceExpr slice: return Slice(slice, scope);
            case CallExpr call:
                {
                    CallArgs args = Arguments(call.Args, scope);
                    object? callee = Evaluate(call.Callee, scope);
                    return callee is JinjaFunction f ? f.Invoke(args) : throw new JinjaError($"{Describe(call.Callee)} is not a function (it is {JinjaValue.TypeName(callee)})");
                }
            case FilterExpr filter:
                return JinjaBuiltins.Filter(filter.Name, Evaluate(filter.Operand, scope), filter.Args is null ? null : Arguments(filter.Args, scope));
            case TestExpr test:
                return JinjaBuiltins.Test(test.Name, Evaluate(test.Operand, scope)) != test.Negate;
            case ConditionalExpr c:
                return JinjaValue.Truthy(Evaluate(c.Condition, scope)) ? Evaluate(c.Then, scope)
                    : c.Else is null ? Undefined.Instance : Evaluate(c.Else, scope);
            case UnaryExpr unary:
                {
                    object? v = Evaluate(unary.Operand, scope);
                    if (unary.Op == "not") return !JinjaValue.Truthy(v);
                    long sign = unary.Op == "-" ? -1 : 1;
                    return v switch
                    {
                        long l => sign * l,
                        double d => sign * d,
                        bool b => sign * (b ? 1L : 0L),
                        _ => throw new JinjaError($"unary '{unary.Op}' needs a number, got a {JinjaValue.TypeName(v)}"),
                    };
                }
            case BinaryExpr binary: return Binary(binary, scope);
            case KeywordExpr keyword: throw new JinjaError($"keyword argument '{keyword.Name}=' outside a call");
            default: throw new JinjaError($"cannot evaluate a {expr.GetType().Name}");
        }
    }

    private static string Describe(Expr e) => e switch
    {
        NameExpr n => $"'{n.Name}'",
        MemberExpr { Property: LiteralExpr { Value: string s } } => $"'.{s}'",
        _ => "the callee",
    };

    private CallArgs Arguments(IReadOnlyList<Expr> args, Scope scope)
    {
        var positional = new List<object?>();
        var keywords = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (Expr arg in args)
        {
            if (arg is KeywordExpr k)
            {
                if (!keywords.TryAdd(k.Name, Evaluate(k.Value, scope))) throw new JinjaError($"keyword argument '{k.Name}' given twice");
            }
            else
            {
                positional.Add(Evaluate(arg, scope));
            }
        }
        return new CallArgs(positional, keywords);
    }

    private object? Slice(SliceExpr slice, Scope scope)
    {
        object? target = Evaluate(slice.Object, scope);
        long? Part(Expr? e, string what)
        {
            if (e is null) return null;
            object? v = Evaluate(e, scope);
            return v switch
            {
                Undefined or null => null,
                long l => l,
                _ => throw new JinjaError($"slice {what} must be an integer, got a {JinjaValue.TypeName(v)}"),
            };
        }
        long? start = Part(slice.Start, "start"), stop = Part(slice.Stop, "stop"), step = Part(slice.Step, "step");
        switch (target)
        {
            case List<object?> list:
                return PythonSlice(list, start, stop, step ?? 1);
            case string s:
                // Strings slice by code point, as the reference does.
                var points = new List<string>();
                for (int i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1) points.Add(s.Substring(i, char.IsSurrogatePair(s, i) ? 2 : 1));
                return string.Concat(PythonSlice(points, start, stop, step ?? 1));
            default:
                throw new JinjaError($"only lists and strings can be sliced, not a {JinjaValue.TypeName(target)}");
        }
    }

    /// <summary>Python's a[start:stop:step].</summary>
    internal static List<T> PythonSlice<T>(IReadOnlyList<T> items, long? start, long? stop, long step)
    {
        if (step == 0) throw new JinjaError("slice step cannot be zero");
        long n = items.Count;
        long from, to;
        if (step > 0)
        {
            from = start is long s ? (s < 0 ? Math.Max(n + s, 0) : Math.Min(s, n)) : 0;
            to = stop is long e ? (e < 0 ? Math.Max(n + e, 0) : Math.Min(e, n)) : n;
        }
        else
        {
            from = start is long s ? (s < 0 ? Math.Max(n + s, -1) : Math.Min(s, n - 1)) : n - 1;
            to = stop is long e ? (e < 0 ? Math.Max(n + e, -1) : Math.Min(e, n - 1)) : -1;
        }
        var result = new List<T>();
        for (long i = from; step > 0 ? i < to : i > to; i += step) result.Add(items[(int)i]);
        return result;
    }

    private object? Binary(BinaryExpr node, Scope scope)
    {
        string op = node.Op;
        object? left = Evaluate(node.Left, scope);
        if (op == "and") return JinjaValue.Truthy(left) ? Evaluate(node.Right, scope) : left;
        if (op == "or") return JinjaValue.Truthy(left) ? left : Evaluate(node.Right, scope);
        object? right = Evaluate(node.Right, scope);
        switch (op)
        {
            case "==": return JinjaValue.AreEqual(left, right);
            case "!=": return !JinjaValue.AreEqual(left, right);
        }
        if (JinjaValue.IsNumber(left) && JinjaValue.IsNumber(right) && op is not "~" and not "**") return Arithmetic(op, left!, right!);
        if (left is Undefined || right is Undefined)
        {
            if (right is Undefined && op is "in" or "not in") return op == "not in";
            if (op == "~" && left is not null && right is not null) return JinjaValue.Concat(left) + JinjaValue.Concat(right);
            throw new JinjaError($"cannot apply '{op}' to an undefined value");
        }
        if (left is null || right is null) throw new JinjaError($"cannot apply '{op}' to none");
        if (op == "~") return JinjaValue.Concat(left) + JinjaValue.Concat(right);
        if (op == "**" && left is long or double or bool && right is long or double or bool)
        {
            double a = Convert.ToDouble(left, System.Globalization.CultureInfo.InvariantCulture), b = Convert.ToDouble(right, System.Globalization.CultureInfo.InvariantCulture);
            double r = Math.Pow(a, b);
            return left is double || right is double || b < 0 ? (object)r : (long)r;
        }
        if (left is List<object?> l1 && right is List<object?> l2 && op == "+") return l1.Concat(l2).ToList();
        if (right is List<object?> items && op is "in" or "not in")
        {
            bool member = items.Any(x => JinjaValue.AreIdentical(x, left));
            return op == "in" ? member : !member;
        }
        if ((left is string || right is string) && op == "+") return JinjaValue.Concat(left) + JinjaValue.Concat(right);
        if (left is string needle && op is "in" or "not in")
        {
            bool found = right switch
            {
                string hay => hay.Contains(needle, StringComparison.Ordinal),
                OrderedDictionary<string, object?> dict => dict.ContainsKey(needle),
                _ => throw new JinjaError($"cannot test '{op}' against a {JinjaValue.TypeName(right)}"),
            };
            return op == "in" ? found : !found;
        }
        throw new JinjaError($"unsupported operator '{op}' between a {JinjaValue.TypeName(left)} and a {JinjaValue.TypeName(right)}");
    }

    private static object Arithmetic(string op, object left, object right)
    {
        if (left is long a && right is long b)
        {
            return op switch
            {
                "+" => (object)(a + b),
                "-" => (object)(a - b),
                "*" => (object)(a * b),
                "/" => (object)((double)a / b),
                "//" => b == 0 ? throw new JinjaError("integer division by zero") : (object)(long)Math.Floor((double)a / b),
                "%" => b == 0 ? throw new JinjaError("integer modulo by zero") : (object)(a % b),
                "<" => (object)(a < b),
                ">" => (object)(a > b),
                "<=" => (object)(a <= b),
                ">=" => (object)(a >= b),
                _ => throw new JinjaError($"unsupported operator '{op}' between numbers"),
            };
        }
        double x = Convert.ToDouble(left, System.Globalization.CultureInfo.InvariantCulture);
        double y = Convert.ToDouble(right, System.Globalization.CultureInfo.InvariantCulture);
        return op switch
        {
            "+" => (object)(x + y),
            "-" => (object)(x - y),
            "*" => (object)(x * y),
            "/" => (object)(x / y),
            "//" => (object)(Math.Floor(x / y)),
            "%" => (object)(x % y),
            "<" => (object)(x < y),
            ">" => (object)(x > y),
            "<=" => (object)(x <= y),
            ">=" => (object)(x >= y),
            _ => throw new JinjaError($"unsupported operator '{op}' between numbers"),
        };
    }
}
