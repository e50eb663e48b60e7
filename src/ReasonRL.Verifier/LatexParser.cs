// LatexParser: recursive-descent parser from LatexLexer tokens to an Expr tree.
// Grammar (loosest first):
//   answer   := item ((',' | ';' | 'and' | 'or') item)*        bare list = unordered answers
//   item     := relation [quantity …]                          "3 hours 20 minutes" = compound
//   relation := union (relop union)*                           = ≠ < ≤ > ≥ ≈ \in
//   union    := ratio ('\cup' ratio)*
//   ratio    := sum (':' sum)?
//   sum      := product (('+' | '-' | '±') product)*
//   product  := unary (('*' | '/' | implicit) unary)*
//   unary    := ('-' | '+' | '±') unary | power
//   power    := postfix ('^' exponent)?                        right-associative
//   postfix  := primary ('!' | '%' | '°' | '_' sub | unit words)*
// Not an evaluator or a simplifier; depth-limited (MaxNestingDepth) and budget-ticked.
namespace ReasonRL.Verifier;

internal sealed class ParseException(string message, bool isLimit = false) : Exception(message)
{
    /// <summary>True when a hard limit (nesting) stopped the parse rather than bad syntax.</summary>
    public bool IsLimit { get; } = isLimit;
}

internal sealed class LatexParser
{
    private readonly List<Token> _t;
    private readonly Budget _budget;
    private readonly int _maxDepth;
    private int _pos;
    private int _depth;
    private int _absDepth;

    private LatexParser(List<Token> tokens, Budget budget, int maxDepth)
    {
        _t = tokens;
        _budget = budget;
        _maxDepth = maxDepth;
    }

    /// <summary>Parses a whole answer. Throws ParseException/LexException on malformed input.</summary>
    public static Expr Parse(string answer, Budget budget, int maxDepth)
    {
        var tokens = LatexLexer.Lex(answer, budget);
        if (tokens.Count == 0) throw new ParseException("empty answer");
        if (IsAllText(tokens)) return new TextExpr(JoinText(tokens));
        var p = new LatexParser(tokens, budget, maxDepth);
        var e = p.ParseAnswer();
        if (p._pos < tokens.Count) throw new ParseException($"unexpected {tokens[p._pos]} at token {p._pos}");
        return e;
    }

    private static bool IsAllText(List<Token> tokens)
    {
        bool word = false;
        foreach (var t in tokens)
        {
            if (t.Kind == TokenKind.Word) word = true;
            else if (t.Kind is not (TokenKind.Identifier or TokenKind.LParen or TokenKind.RParen or TokenKind.Separator or TokenKind.Function or TokenKind.Comma)) return false;
        }
        return word;
    }

    private static string JoinText(List<Token> tokens)
    {
        var parts = new List<string>();
        foreach (var t in tokens)
            if (t.Kind is TokenKind.Word or TokenKind.Identifier or TokenKind.Function or TokenKind.Separator)
                parts.Add(t.Text.ToLowerInvariant());
        return string.Join(" ", parts);
    }

    private Token Peek => _pos < _t.Count ? _t[_pos] : new Token((TokenKind)(-1));
    private bool At(TokenKind k) => _pos < _t.Count && _t[_pos].Kind == k;
    private bool AtEnd => _pos >= _t.Count;

    private Token Next()
    {
        _budget.Tick();
        return _t[_pos++];
    }

    private void Expect(TokenKind k, string context)
    {
        if (!At(k)) throw new ParseException($"expected {k} {context}, found {(AtEnd ? "end" : Peek.ToString())}");
        _pos++;
    }

    private void Enter()
    {
        if (++_depth > _maxDepth) throw new ParseException($"nesting deeper than {_maxDepth}", isLimit: true);
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new ParseException("nesting too deep for the stack", isLimit: true);
    }

    private bool AtItemSeparator => At(TokenKind.Comma) || At(TokenKind.Semicolon) || At(TokenKind.Separator);

    private Expr ParseAnswer()
    {
        var items = new List<Expr>();
        var groupEnds = new List<int>(); // item counts at each ';'
        SkipSeparators();
        bool conjunction = false;
        while (!AtEnd)
        {
            var item = ParseItem();
            // "x > -1 and x \le 4": two bounds on one name joined by "and" are the chain -1 < x ≤ 4.
            if (conjunction && Conjunction(items[^1], item) is { } chain) items[^1] = chain;
            else items.Add(item);
            if (!AtItemSeparator) break;
            if (At(TokenKind.Semicolon)) groupEnds.Add(items.Count);
            conjunction = Peek is { Kind: TokenKind.Separator, Text: "and" };
            SkipSeparators();
        }
        if (items.Count == 0) throw new ParseException("no expression");
        if (groupEnds.Count > 0 && AssignmentGroups(items, groupEnds) is { } tuples) return tuples;
        return items.Count == 1 ? items[0] : new CollectionExpr(CollectionKind.AnswerList, items.ToArray());
    }

    /// <summary>A lower and an upper bound on the same name ("x &gt; -1", "x \le 4", either order, either side) as the
    /// chain "-1 &lt; x \le 4"; null when the two are not one lower and one upper bound on one name.</summary>
    private static RelationExpr? Conjunction(Expr first, Expr second)
    {
        if (Bound(first) is not { } a || Bound(second) is not { } b || a.Name.Name != b.Name.Name || a.Lower == b.Lower) return null;
        var (low, high) = a.Lower ? (a, b) : (b, a);
        return new RelationExpr([low.Value, low.Name, high.Value], [low.Strict ? RelationOp.Less : RelationOp.LessEqual, high.Strict ? RelationOp.Less : RelationOp.LessEqual]);
    }

    /// <summary>"x &gt; a" or "a &lt; x" (a without the name) as (name, a, lower bound?, strict?).</summary>
    private static (SymbolExpr Name, Expr Value, bool Lower, bool Strict)? Bound(Expr e)
    {
        if (e is not RelationExpr { Ops: [var op], Operands: [var l, var r] } || op is not (RelationOp.Less or RelationOp.LessEqual or RelationOp.Greater or RelationOp.GreaterEqual))
            return null;
        bool strict = op is RelationOp.Less or RelationOp.Greater;
        bool nameLeft = l is SymbolExpr;
        if (nameLeft == r is SymbolExpr) return null;
        var (name, value) = nameLeft ? ((SymbolExpr)l, r) : ((SymbolExpr)r, l);
        bool lower = nameLeft == op is RelationOp.Greater or RelationOp.GreaterEqual;
        return (name, value, lower, strict);
    }

    /// <summary>"p=5, q=2; p=7, q=2": solutions of a system, one ';'-group per solution, read as
    /// the tuples (5, 2), (7, 2). Only when every item is "name = value" and the groups agree in size.</summary>
    private static Expr? AssignmentGroups(List<Expr> items, List<int> groupEnds)
    {
        if (!items.All(i => i is RelationExpr { Ops: [RelationOp.Equal], Operands: [SymbolExpr, _] })) return null;
        // "x=2; y=3": one assignment per group to different names is one solution written with ';', not several.
        if (groupEnds.Count + 1 >= items.Count && items.Select(i => ((SymbolExpr)((RelationExpr)i).Operands[0]).Name).Distinct().Count() == items.Count)
            return null;
        var bounds = groupEnds.Where(e => e < items.Count).Append(items.Count).Distinct().ToList();
        var tuples = new List<Expr>();
        int start = 0;
        foreach (int end in bounds)
        {
            var values = items.Skip(start).Take(end - start).Select(i => ((RelationExpr)i).Operands[1]).ToArray();
            if (values.Length == 0) return null;
            tuples.Add(values.Length == 1 ? values[0] : new CollectionExpr(CollectionKind.Tuple, values));
            start = end;
        }
        if (tuples.Select(t => t is CollectionExpr c ? c.Items.Length : 1).Distinct().Count() != 1) return null;
        return tuples.Count == 1 ? tuples[0] : new CollectionExpr(CollectionKind.AnswerList, tuples.ToArray());
    }

    private void SkipSeparators()
    {
        while (AtItemSeparator) _pos++;
    }

    private Expr ParseItem()
    {
        int before = _pos;
        SkipLeadingWords();
        // "\text{Area} = 12\text{ cm}^2": words before '=' name the value (leading words are dropped anyway).
        if (_pos > before && At(TokenKind.Relation) && Peek.Op == RelationOp.Equal) _pos++;
        var first = ParseRelation();
        if (AtEnd || AtItemSeparator || !StartsPrimary(Peek)) return first;
        // "3 hours 20 minutes": quantities in a row.
        var parts = new List<Expr> { first };
        while (!AtEnd && !AtItemSeparator && StartsPrimary(Peek))
        {
            SkipLeadingWords();
            parts.Add(ParseRelation());
        }
        return new CompoundQuantityExpr(parts.ToArray());
    }

    private void SkipLeadingWords()
    {
        while (At(TokenKind.Word) || (At(TokenKind.Colon) && _pos > 0 && _t[_pos - 1].Kind == TokenKind.Word)) _pos++;
    }

    private Expr ParseRelation()
    {
        var operands = new List<Expr> { ParseUnion() };
        var ops = new List<RelationOp>();
        while (At(TokenKind.Relation))
        {
            ops.Add(Next().Op);
            SkipLeadingWords();
            operands.Add(ParseUnion());
        }
        return ops.Count == 0 ? operands[0] : new RelationExpr(operands.ToArray(), ops.ToArray());
    }

    private Expr ParseUnion()
    {
        var first = ParseSetDifference();
        if (!At(TokenKind.Cup)) return first;
        var parts = new List<Expr> { first };
        while (At(TokenKind.Cup))
        {
            _pos++;
            parts.Add(ParseSetDifference());
        }
        return new UnionExpr(parts.ToArray());
    }

    /// <summary>A \setminus B (left-associative, binds tighter than \cup as written in answers).</summary>
    private Expr ParseSetDifference()
    {
        var from = ParseRatio();
        while (At(TokenKind.SetMinus))
        {
            _pos++;
            from = new SetDifferenceExpr(from, ParseRatio());
        }
        return from;
    }

    private Expr ParseRatio()
    {
        var left = ParseSum();
        // "{n \choose k}": the binomial coefficient written infix.
        if (At(TokenKind.Binom) && Peek.Text == "choose")
        {
            _pos++;
            return new FunctionExpr("binom", [left, ParseSum()]);
        }
        if (!At(TokenKind.Colon)) return left;
        _pos++;
        return new RatioExpr(left, ParseSum());
    }

    private Expr ParseSum()
    {
        Enter();
        var terms = new List<Expr> { ParseProduct() };
        Expr? pmLeft = null;
        while (At(TokenKind.Plus) || At(TokenKind.Minus) || At(TokenKind.PlusMinus))
        {
            var op = Next().Kind;
            var term = ParseProduct();
            if (op == TokenKind.Plus) terms.Add(term);
            // "\mathbb{R} - \{2\}": a finite set taken from a set of reals is their difference, not a subtraction.
            else if (op == TokenKind.Minus && term is CollectionExpr { Kind: CollectionKind.Set } && terms is [var set] && SetAlgebra.IsSetNotation(set))
                terms[0] = new SetDifferenceExpr(set, term);
            else if (op == TokenKind.Minus) terms.Add(new NegateExpr(term));
            else
            {
                var left = terms.Count == 1 ? terms[0] : new SumExpr(terms.ToArray());
                pmLeft = new PlusMinusExpr(pmLeft is null ? left : pmLeft, term);
                terms.Clear();
                terms.Add(pmLeft);
            }
        }
        _depth--;
        return terms.Count == 1 ? terms[0] : new SumExpr(terms.ToArray());
    }

    private Expr ParseProduct()
    {
        Enter();
        var factors = new List<Expr> { ParseUnary() };
        while (true)
        {
            if (At(TokenKind.Star)) { _pos++; factors.Add(ParseUnary()); continue; }
            if (At(TokenKind.Slash))
            {
                _pos++;
                var den = ParseUnary();
                var num = factors.Count == 1 ? factors[0] : new ProductExpr(factors.ToArray());
                factors.Clear();
                factors.Add(new DivideExpr(num, den));
                continue;
            }
            if (!AtEnd && StartsPrimary(Peek) && !(At(TokenKind.Pipe) && _absDepth > 0) && Peek is not { Kind: TokenKind.Binom, Text: "choose" }
                && !(factors[^1] is QuantityExpr) && !(At(TokenKind.Number) && EndsWithNumber(factors[^1])))
            {
                bool mixedCandidate = factors.Count == 1 && At(TokenKind.Frac)
                    && factors[0] is NumberExpr { IsDecimal: false } or NegateExpr { Operand: NumberExpr { IsDecimal: false } };
                var next = ParsePower();
                // Mixed number: 2\frac{1}{2} is 2 + 1/2 (an integer directly before a fraction of integers);
                // -2\frac{1}{2} is -(2 + 1/2).
                // 66\frac{2}{3}\% is (66 + 2/3)%: the percent sign closes the whole mixed number.
                if (mixedCandidate && next is DivideExpr { Numerator: NumberExpr { IsDecimal: false }, Denominator: NumberExpr { IsDecimal: false } })
                    factors[0] = factors[0] is NegateExpr neg ? new NegateExpr(new SumExpr([neg.Operand, next])) : new SumExpr([factors[0], next]);
                else if (mixedCandidate && next is PercentExpr { Operand: DivideExpr { Numerator: NumberExpr { IsDecimal: false }, Denominator: NumberExpr { IsDecimal: false } } fraction })
                    factors[0] = new PercentExpr(factors[0] is NegateExpr neg2 ? new NegateExpr(new SumExpr([neg2.Operand, fraction])) : new SumExpr([factors[0], fraction]));
                else factors.Add(next);
                continue;
            }
            break;
        }
        _depth--;
        return factors.Count == 1 ? factors[0] : new ProductExpr(factors.ToArray());
    }

    private static bool EndsWithNumber(Expr e) => e is NumberExpr or PercentExpr or DegreeExpr;

    private static bool StartsPrimary(Token t) => t.Kind is TokenKind.Number or TokenKind.Identifier or TokenKind.Constant
        or TokenKind.LParen or TokenKind.LBracket or TokenKind.LBrace or TokenKind.SetOpen or TokenKind.Frac
        or TokenKind.Sqrt or TokenKind.Binom or TokenKind.Function or TokenKind.Pipe or TokenKind.Begin or TokenKind.Time
        or TokenKind.FloorOpen or TokenKind.CeilOpen;

    private Expr ParseUnary()
    {
        Enter();
        Expr result;
        if (At(TokenKind.Minus)) { _pos++; result = new NegateExpr(ParseUnary()); }
        else if (At(TokenKind.Plus)) { _pos++; result = ParseUnary(); }
        else if (At(TokenKind.PlusMinus)) { _pos++; result = new PlusMinusExpr(new NumberExpr(BigRational.Zero, false), ParseUnary()); }
        else result = ParsePower();
        _depth--;
        return result;
    }

    private Expr ParsePower()
    {
        Enter();
        var b = ParsePostfix();
        if (At(TokenKind.Caret))
        {
            _pos++;
            var exponent = ParseExponent();
            b = new PowerExpr(b, exponent);
            b = ParsePostfixOps(b);
        }
        _depth--;
        return b;
    }

    private Expr ParseExponent()
    {
        if (At(TokenKind.Minus)) { _pos++; return new NegateExpr(ParseExponent()); }
        if (At(TokenKind.Plus)) { _pos++; return ParseExponent(); }
        return ParsePower();
    }

    private Expr ParsePostfix() => ParsePostfixOps(ParsePrimary());

    private Expr ParsePostfixOps(Expr e)
    {
        while (!AtEnd)
        {
            var k = Peek.Kind;
            if (k == TokenKind.Bang) { _pos++; e = new FunctionExpr("factorial", [e]); }
            else if (k == TokenKind.Percent) { _pos++; e = new PercentExpr(e); }
            else if (k == TokenKind.Degree) { _pos++; e = new DegreeExpr(e); }
            else if (k == TokenKind.Prime && e is SymbolExpr ps) { _pos++; e = new SymbolExpr(ps.Name + "'"); }
            else if (k == TokenKind.Underscore)
            {
                _pos++;
                if (e is SymbolExpr named && SubscriptName() is { } subName) { e = new SymbolExpr(named.Name + "_" + subName); continue; }
                var sub = ParseGroupOrAtom();
                e = e switch
                {
                    SymbolExpr s => new SymbolExpr(s.Name + "_" + ExprPrinter.Print(sub)),
                    NumberExpr n when n.Value.IsInteger && sub is NumberExpr b && b.Value.IsInteger => FromBase(n, b),
                    _ => e,
                };
            }
            else if (k == TokenKind.Word && Peek.Text != "mod" && Peek.Text != "to")
            {
                var unit = new List<string>();
                while (At(TokenKind.Word) || (At(TokenKind.Caret) && unit.Count > 0))
                {
                    var t = Next();
                    if (t.Kind == TokenKind.Caret) { ParseGroupOrAtom(); continue; }
                    unit.Add(t.Text);
                }
                e = new QuantityExpr(e, string.Join(" ", unit));
            }
            else break;
        }
        return e;
    }

    /// <summary>A subscript made only of letters and digits ({MBCN}, {37}, n): its text, consumed.</summary>
    private string? SubscriptName()
    {
        if (At(TokenKind.Identifier) || At(TokenKind.Number) || At(TokenKind.Word)) return Next().Text;
        if (!At(TokenKind.LBrace)) return null;
        int k = _pos + 1;
        var sb = new System.Text.StringBuilder();
        while (k < _t.Count && _t[k].Kind is TokenKind.Identifier or TokenKind.Number or TokenKind.Word) sb.Append(_t[k++].Text);
        if (k >= _t.Count || _t[k].Kind != TokenKind.RBrace || sb.Length == 0) return null;
        _pos = k + 1;
        return sb.ToString();
    }

    private static Expr FromBase(NumberExpr n, NumberExpr b)
    {
        if (b.Value.Num < 2 || b.Value.Num > 36) return n;
        string digits = n.Value.Num.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int radix = (int)b.Value.Num;
        System.Numerics.BigInteger v = 0;
        foreach (char c in digits)
        {
            int d = c - '0';
            if (d >= radix) return n;
            v = v * radix + d;
        }
        return new NumberExpr(new BigRational(v, 1), false);
    }

    /// <summary>A {group} or a single atom (for \frac, \sqrt, subscripts and exponents).</summary>
    private Expr ParseGroupOrAtom()
    {
        if (At(TokenKind.LBrace))
        {
            _pos++;
            if (At(TokenKind.RBrace)) { _pos++; return new TextExpr(""); }
            var inner = ParseAnswer();
            Expect(TokenKind.RBrace, "closing a {group}");
            return inner;
        }
        return ParsePrimary();
    }

    /// <summary>"\{x \mid x \ne 2\}", "\{x : x &gt; 3\}", "\{x \in \mathbb{R} : -1 \le x &lt; 2\}" after its '\{': a set of reals
    /// written by its condition on one variable, read as that condition (the inequality or chain that
    /// describes the same set), with the closing '\}' consumed; null (nothing consumed) for other sets.</summary>
    private Expr? TrySetBuilder()
    {
        int start = _pos;
        if (!At(TokenKind.Identifier) || Peek.Text.Length != 1) return null;
        _pos++;
        if (At(TokenKind.Relation) && Peek.Op == RelationOp.In && _pos + 1 < _t.Count && _t[_pos + 1] is { Kind: TokenKind.Identifier, Text: "\\mathbb{R}" })
            _pos += 2;
        if (!At(TokenKind.Pipe) && !At(TokenKind.Colon)) { _pos = start; return null; }
        _pos++;
        var condition = ParseAnswer(); // "x \le 0 or x \ge 1", "x > -1 and x < 4" as in a bare answer
        Expect(TokenKind.SetClose, "closing '\\{x : …\\}'");
        return condition;
    }

    private Expr ParsePrimary()
    {
        Enter();
        try
        {
            if (AtEnd) throw new ParseException("unexpected end of answer");
            var t = Next();
            switch (t.Kind)
            {
                case TokenKind.Number:
                    // "0.1(6)": a repeating decimal (lexed from \overline / \dot) is an exact value, not an approximation.
                    if (t.Text.EndsWith(')')) return new NumberExpr(BigRational.ParseRepeating(t.Text), false);
                    return new NumberExpr(BigRational.ParseDecimal(t.Text), t.Text.Contains('.') || t.Text.Contains('e'));
                case TokenKind.Time:
                    {
                        // "4:30 p.m.", "4:30p": markers after a clock time are dropped like units.
                        while (At(TokenKind.Identifier) && Peek.Text.Length == 1 || At(TokenKind.Word)) _pos++;
                        int colon = t.Text.IndexOf(':');
                        return new TimeExpr(int.Parse(t.Text[..colon], System.Globalization.CultureInfo.InvariantCulture),
                            int.Parse(t.Text[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
                    }
                case TokenKind.Constant:
                    return new ConstantExpr(t.Constant);
                case TokenKind.Identifier:
                    return ParseIdentifier(t);
                case TokenKind.LParen:
                case TokenKind.LBracket:
                    return ParseBracketed(t.Kind);
                case TokenKind.LBrace:
                    {
                        if (At(TokenKind.RBrace)) { _pos++; return new TextExpr(""); }
                        var items = ParseItemsUntil(TokenKind.RBrace);
                        Expect(TokenKind.RBrace, "closing '{'");
                        return items.Count == 1 ? items[0] : new CollectionExpr(CollectionKind.Set, items.ToArray());
                    }
                case TokenKind.SetOpen:
                    {
                        if (At(TokenKind.SetClose)) { _pos++; return new CollectionExpr(CollectionKind.Set, []); }
                        if (TrySetBuilder() is { } condition) return condition;
                        var items = ParseItemsUntil(TokenKind.SetClose);
                        Expect(TokenKind.SetClose, "closing '\\{'");
                        return new CollectionExpr(CollectionKind.Set, items.ToArray());
                    }
                case TokenKind.Frac:
                    {
                        var num = ParseGroupOrAtom();
                        var den = ParseGroupOrAtom();
                        return new DivideExpr(num, den);
                    }
                case TokenKind.Binom:
                    {
                        var n = ParseGroupOrAtom();
                        var k = ParseGroupOrAtom();
                        return new FunctionExpr("binom", [n, k]);
                    }
                case TokenKind.Sqrt:
                    {
                        Expr index = new NumberExpr(BigRational.FromInt(2), false);
                        if (At(TokenKind.LBracket))
                        {
                            _pos++;
                            index = ParseSum();
                            Expect(TokenKind.RBracket, "closing \\sqrt[n]");
                        }
                        var radicand = At(TokenKind.LBrace) ? ParseGroupOrAtom() : ParsePostfix();
                        return new RootExpr(radicand, index);
                    }
                case TokenKind.Function:
                    return ParseFunction(t.Text);
                case TokenKind.Pipe:
                    {
                        _absDepth++;
                        var inner = ParseSum();
                        _absDepth--;
                        Expect(TokenKind.Pipe, "closing |…|");
                        return new FunctionExpr("abs", [inner]);
                    }
                case TokenKind.Begin:
                    return ParseEnvironment(t.Text);
                case TokenKind.FloorOpen:
                case TokenKind.CeilOpen:
                    {
                        var inner = ParseSum();
                        bool floor = t.Kind == TokenKind.FloorOpen;
                        Expect(floor ? TokenKind.FloorClose : TokenKind.CeilClose, floor ? "closing \\lfloor…\\rfloor" : "closing \\lceil…\\rceil");
                        return new FunctionExpr(floor ? "floor" : "ceil", [inner]);
                    }
                default:
                    throw new ParseException($"unexpected {t}");
            }
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseIdentifier(Token t)
    {
        string name = t.Text;
        // f(x), g(x), P(x): an unknown function applied (not a product), when '(' follows directly.
        if (name is "f" or "g" or "h" or "F" or "G" or "H" or "P" or "Q" or "W" or "p" or "q"
            && At(TokenKind.LParen) && !Peek.SpaceBefore)
        {
            _pos++;
            var args = ParseItemsUntil(TokenKind.RParen);
            Expect(TokenKind.RParen, $"closing {name}(…)");
            return new FunctionExpr("apply:" + name, args.ToArray());
        }
        return name switch
        {
            "\\mathbb{R}" => RealLine(),
            "\\emptyset" => new CollectionExpr(CollectionKind.Set, []),
            "e" => new ConstantExpr(ConstantKind.E),
            "i" => new ConstantExpr(ConstantKind.I),
            _ => new SymbolExpr(name),
        };
    }

    /// <summary>\mathbb{R} after its token: the real line, or with a sign written as its power (\mathbb{R}^+,
    /// \mathbb{R}^{-}) the open half-line of that sign.</summary>
    private IntervalExpr RealLine()
    {
        var inf = new ConstantExpr(ConstantKind.Infinity);
        var zero = new NumberExpr(BigRational.FromInt(0), false);
        int sign = 0, after = _pos;
        if (At(TokenKind.Caret) && _pos + 1 < _t.Count)
        {
            var (k, braced) = _t[_pos + 1].Kind == TokenKind.LBrace ? (_pos + 2, true) : (_pos + 1, false);
            if (k < _t.Count && _t[k].Kind is TokenKind.Plus or TokenKind.Minus && (!braced || (k + 1 < _t.Count && _t[k + 1].Kind == TokenKind.RBrace)))
            {
                sign = _t[k].Kind == TokenKind.Plus ? 1 : -1;
                after = braced ? k + 2 : k + 1;
            }
        }
        _pos = after;
        return sign switch
        {
            > 0 => new IntervalExpr(zero, inf, false, false),
            < 0 => new IntervalExpr(new NegateExpr(inf), zero, false, false),
            _ => new IntervalExpr(new NegateExpr(inf), inf, false, false),
        };
    }

    private Expr ParseFunction(string name)
    {
        if (name is "sum" or "prod" or "int" or "lim") return ParseBigOperator(name);
        Expr? power = null;
        Expr? logBase = null;
        for (int k = 0; k < 2; k++)
        {
            if (At(TokenKind.Caret)) { _pos++; power = ParseExponent(); }
            else if (At(TokenKind.Underscore)) { _pos++; logBase = ParseGroupOrAtom(); }
        }
        Expr arg;
        if (At(TokenKind.LParen))
        {
            _pos++;
            var items = ParseItemsUntil(TokenKind.RParen);
            Expect(TokenKind.RParen, $"closing \\{name}(…)");
            arg = items.Count == 1 ? items[0] : new CollectionExpr(CollectionKind.Tuple, items.ToArray());
        }
        else arg = ParsePower();
        if (name == "lg") { name = "log"; logBase ??= new NumberExpr(BigRational.FromInt(10), false); }
        Expr f;
        if (power is NegateExpr { Operand: NumberExpr { Value: { IsInteger: true } one } } && one.Num.IsOne && name is "sin" or "cos" or "tan")
        {
            f = new FunctionExpr("arc" + name, [arg]);
            power = null;
        }
        else f = logBase is null ? new FunctionExpr(name, arg is CollectionExpr c ? c.Items : [arg]) : new FunctionExpr("log", [arg, logBase]);
        return power is null ? f : new PowerExpr(f, power);
    }

    /// <summary>\sum_{k=0}^{n} body, \prod, \int, \lim_{x \to 0} body: kept unevaluated as a
    /// function of (body, lower, upper); the body extends over the following product.</summary>
    private Expr ParseBigOperator(string name)
    {
        Expr lower = new TextExpr(""), upper = new TextExpr("");
        for (int k = 0; k < 2; k++)
        {
            if (At(TokenKind.Underscore)) { _pos++; lower = ParseGroupOrAtom(); }
            else if (At(TokenKind.Caret)) { _pos++; upper = ParseGroupOrAtom(); }
        }
        var body = ParseProduct();
        return new FunctionExpr("apply:\\" + name + ExprPrinter.Print(lower) + "^" + ExprPrinter.Print(upper), [body]);
    }

    private List<Expr> ParseItemsUntil(TokenKind closer)
    {
        var items = new List<Expr>();
        while (true)
        {
            if (AtEnd) throw new ParseException($"missing {closer}");
            items.Add(ParseItem());
            if (At(TokenKind.Comma) || At(TokenKind.Semicolon)) { _pos++; continue; }
            break;
        }
        return items;
    }

    private Expr ParseBracketed(TokenKind open)
    {
        var items = new List<Expr>();
        while (true)
        {
            if (AtEnd) throw new ParseException("missing closing bracket");
            items.Add(ParseItem());
            if (At(TokenKind.Comma) || At(TokenKind.Semicolon)) { _pos++; continue; }
            break;
        }
        if (!(At(TokenKind.RParen) || At(TokenKind.RBracket))) throw new ParseException($"expected ')' or ']', found {(AtEnd ? "end" : Peek.ToString())}");
        var close = Next().Kind;
        bool lowClosed = open == TokenKind.LBracket, highClosed = close == TokenKind.RBracket;
        if (items.Count == 1)
        {
            if (open == close - 1) return items[0]; // (x) or [x]
            throw new ParseException("mismatched brackets around one value");
        }
        if (items.Count == 2 && (lowClosed || highClosed)) return new IntervalExpr(items[0], items[1], lowClosed, highClosed);
        if (open == TokenKind.LParen && close == TokenKind.RParen) return new CollectionExpr(CollectionKind.Tuple, items.ToArray());
        if (open == TokenKind.LBracket && close == TokenKind.RBracket) return new CollectionExpr(CollectionKind.Tuple, items.ToArray());
        throw new ParseException("mismatched brackets around a list");
    }

    /// <summary>\begin{cases} x = 2 \\ y = 3 \end{cases}: the rows' first cells as a bare list (the
    /// solution of a system); a condition after '&amp;' is skipped up to the row's end.</summary>
    private Expr ParseCases()
    {
        var items = new List<Expr>();
        while (true)
        {
            if (AtEnd) throw new ParseException("missing \\end{cases}");
            if (At(TokenKind.End)) { _pos++; break; }
            if (At(TokenKind.RowSeparator) || At(TokenKind.Comma) || At(TokenKind.Semicolon)) { _pos++; continue; }
            if (At(TokenKind.Ampersand))
            {
                while (!AtEnd && !At(TokenKind.RowSeparator) && !At(TokenKind.End)) Next();
                continue;
            }
            items.Add(ParseItem());
        }
        if (items.Count == 0) throw new ParseException("empty cases");
        return items.Count == 1 ? items[0] : new CollectionExpr(CollectionKind.AnswerList, items.ToArray());
    }

    private Expr ParseEnvironment(string env)
    {
        if (env == "cases") return ParseCases();
        if (env is not ("pmatrix" or "bmatrix" or "matrix" or "array" or "vmatrix" or "Bmatrix" or "smallmatrix" or "Vmatrix"))
            throw new ParseException($"environment '{env}' is not an answer form");
        var rows = new List<Expr[]>();
        var row = new List<Expr>();
        while (true)
        {
            if (AtEnd) throw new ParseException($"missing \\end{{{env}}}");
            if (At(TokenKind.End)) { _pos++; break; }
            if (At(TokenKind.RowSeparator)) { _pos++; rows.Add(row.ToArray()); row = []; continue; }
            if (At(TokenKind.Ampersand)) { _pos++; continue; }
            row.Add(ParseSum());
        }
        if (row.Count > 0) rows.Add(row.ToArray());
        rows.RemoveAll(r => r.Length == 0);
        if (rows.Count == 0) throw new ParseException("empty matrix");
        var m = new MatrixExpr(rows.ToArray());
        return env == "vmatrix" ? new FunctionExpr("det", [m]) : m;
    }
}
