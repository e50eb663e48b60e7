// EquivalenceChecker: decides whether two parsed answers are the same answer, by shape:
//   answer lists and sets — unordered (each item matched once; ± expands to two items);
//   tuples — ordered; intervals — endpoints and bracket types; unions — unordered parts;
//   matrices — same shape, elementwise; times and ratios; text — case-insensitive;
//   relations — see RelationComparer; scalars — see ScalarComparer.
// Grading conventions encoded here (MathVerifier's header lists them all): "x = 3" against "3"
// compares the right-hand side; "3 hours 20 minutes" against "3" is Incorrect; a single item
// equals a one-item list. Not a parser and not an evaluator.
namespace ReasonRL.Verifier;

internal sealed class EquivalenceChecker
{
    private readonly Budget _budget;
    private readonly ScalarComparer _scalars;
    private readonly RelationComparer _relations;

    public EquivalenceChecker(VerifyOptions options, Budget budget)
    {
        Options = options;
        _budget = budget;
        _scalars = new ScalarComparer(options, budget);
        _relations = new RelationComparer(this, _scalars);
    }

    public ScalarComparer Scalars => _scalars;

    public VerifyOptions Options { get; }

    public Comparison Compare(Expr a, Expr b, int depth = 0)
    {
        _budget.Tick();
        if (depth > 64) return Comparison.Unknown("structure nested too deeply");
        int d = depth + 1;
        if (ReferenceEquals(a, b)) return Comparison.Equal("same");

        if (a is ChoiceExpr || b is ChoiceExpr) return CompareChoices(a, b, d);

        // Units around a single quantity are dropped.
        if (a is QuantityExpr qa && b is not CompoundQuantityExpr) return Compare(qa.Value, b, d);
        if (b is QuantityExpr qb && a is not CompoundQuantityExpr) return Compare(a, qb.Value, d);

        // Sets of reals (intervals, unions, differences, ℝ, finite sets beside them): equal normal forms are
        // equal ([0,2] ∪ [1,4] = [0,4]); otherwise the part-by-part comparison below still decides.
        if (SetAlgebra.IsSetNotation(a) || SetAlgebra.IsSetNotation(b) || InequalityUnion(a) is not null || InequalityUnion(b) is not null
            || SetWords(a) is not null || SetWords(b) is not null)
        {
            if (CompareAsSets(a, b) is { } sets) return sets;
        }

        if (a is RelationExpr || b is RelationExpr) return _relations.Compare(a, b, d);

        if (a is CompoundQuantityExpr ca || b is CompoundQuantityExpr)
        {
            if (a is CompoundQuantityExpr x && b is CompoundQuantityExpr y) return CompareOrdered(x.Parts, y.Parts, d);
            return Comparison.NotEqual("a compound quantity (e.g. hours and minutes) is not a single number");
        }

        // "a=2, b=-5" against the tuple (2, -5): a system's solution, when the names are written in order.
        if (AssignmentTuple(a) is { } va && b is CollectionExpr { Kind: CollectionKind.Tuple } tb0 && va.Length == tb0.Items.Length)
            return CompareOrdered(va, tb0.Items, d);
        if (AssignmentTuple(b) is { } vb && a is CollectionExpr { Kind: CollectionKind.Tuple } ta0 && vb.Length == ta0.Items.Length)
            return CompareOrdered(ta0.Items, vb, d);

        // VerifyOptions.OrderedLists: two bare comma lists are compared in order, like strings.
        if (Options.OrderedLists && a is CollectionExpr { Kind: CollectionKind.AnswerList } l1
            && b is CollectionExpr { Kind: CollectionKind.AnswerList } l2)
            return CompareOrdered(l1.Items, l2.Items, d);
        var la = Items(a);
        var lb = Items(b);
        if (la is not null || lb is not null) return CompareItems(a, la, b, lb, d);

        if (a is CollectionExpr { Kind: CollectionKind.Tuple } t1 && b is CollectionExpr { Kind: CollectionKind.Tuple } t2)
            return CompareOrdered(t1.Items, t2.Items, d);
        if (a is TextExpr ta && b is TextExpr tb)
            return Normalize(ta.Text) == Normalize(tb.Text) ? Comparison.Equal("same text") : Comparison.NotEqual("different text");
        if (a is TextExpr || b is TextExpr) return Comparison.NotEqual("text against math");

        if (a is TimeExpr ti || b is TimeExpr)
        {
            return a is TimeExpr x && b is TimeExpr y && x.Hours == y.Hours && x.Minutes == y.Minutes
                ? Comparison.Equal("same time") : Comparison.NotEqual("different time");
        }
        if (a is RatioExpr ra && b is RatioExpr rb)
            return _scalars.Compare(new DivideExpr(ra.Left, ra.Right), new DivideExpr(rb.Left, rb.Right));
        if (a is IntervalExpr || b is IntervalExpr || a is UnionExpr || b is UnionExpr) return CompareSets(a, b, d);
        if (a is MatrixExpr || b is MatrixExpr || ContainsMatrix(a) || ContainsMatrix(b))
            return CompareMatrices(MatrixAlgebra.Reduce(a), MatrixAlgebra.Reduce(b), d);
        if (a is CollectionExpr || b is CollectionExpr) return Comparison.NotEqual("different structure");
        if (a is RatioExpr || b is RatioExpr) return Comparison.NotEqual("ratio against a value");
        return _scalars.Compare(a, b);
    }

    /// <summary>Multiple choice: two letters must agree (and their values, where both are written); a letter
    /// against a bare letter compares the letters; otherwise the choice's value, if written, is the answer.</summary>
    private Comparison CompareChoices(Expr a, Expr b, int d)
    {
        if (a is ChoiceExpr ca && b is ChoiceExpr cb)
        {
            if (ca.Letter != cb.Letter) return Comparison.NotEqual("different choice letters");
            return ca.Value is not null && cb.Value is not null ? Compare(ca.Value, cb.Value, d) : Comparison.Equal("same choice letter");
        }
        var choice = a as ChoiceExpr ?? (ChoiceExpr)b;
        var other = ReferenceEquals(choice, a) ? b : a;
        if (other is SymbolExpr { Name: [>= 'A' and <= 'E'] } letter)
            return letter.Name[0] == choice.Letter ? Comparison.Equal("same choice letter") : Comparison.NotEqual("different choice letters");
        if (choice.Value is null) return Comparison.NotEqual("a choice letter against a value");
        return ReferenceEquals(choice, a) ? Compare(choice.Value, b, d) : Compare(a, choice.Value, d);
    }

    /// <summary>"a=2, b=-5": a bare list of "name = value" with distinct single names written in sorted
    /// order (the order a question lists its unknowns in), as the values in that order; null otherwise.</summary>
    private static Expr[]? AssignmentTuple(Expr e)
    {
        if (e is not CollectionExpr { Kind: CollectionKind.AnswerList, Items.Length: >= 2 and <= 16 } list) return null;
        var values = new Expr[list.Items.Length];
        string? previous = null;
        for (int k = 0; k < values.Length; k++)
        {
            if (list.Items[k] is not RelationExpr { Ops: [RelationOp.Equal], Operands: [SymbolExpr name, var value] }) return null;
            if (previous is not null && string.CompareOrdinal(previous, name.Name) >= 0) return null;
            previous = name.Name;
            values[k] = value;
        }
        return values;
    }

    /// <summary>Set comparison by normal form: Equal when both normalise to the same set; NotEqual only for
    /// an inequality list that AllowSetRelationComparison forbids; null to let the structural rules decide.</summary>
    private Comparison? CompareAsSets(Expr a, Expr b)
    {
        // "all real numbers", "no solution": the set they name, only against set notation (or ∅).
        if (SetWords(a) is { } wa) return IsSetLike(b) ? CompareAsSets(wa, b) : null;
        if (SetWords(b) is { } wb) return IsSetLike(a) ? CompareAsSets(a, wb) : null;
        var ua = InequalityUnion(a);
        var ub = InequalityUnion(b);
        if ((ua is not null && ub is null && !IsSetLike(b)) || (ub is not null && ua is null && !IsSetLike(a))) return null;
        // "x ≤ -2 or x > 3" against a set: only the gold may be the inequality when the option is off (a = prediction).
        if (ua is not null && ub is null && !Options.AllowSetRelationComparison)
            return Comparison.NotEqual("an inequality answer against a gold set (AllowSetRelationComparison is off)");
        if (ua is not null && ub is not null) return null; // two relations lists: RelationComparer item by item
        // A lone (a, b) is a point, but against set notation its only reading is the open interval: (0,4) = (0,2) ∪ [2,4).
        bool pairIsInterval = (IsPair(a) && SetAlgebra.IsSetNotation(b)) || (IsPair(b) && SetAlgebra.IsSetNotation(a));
        if (SetAlgebra.Normalize(ua ?? a, _budget, pairIsInterval) is not { } na || SetAlgebra.Normalize(ub ?? b, _budget, pairIsInterval) is not { } nb) return null;
        if (SetAlgebra.SameSet(na, nb)) return Comparison.Equal("same set of reals");
        // Both written as sets of reals (intervals, unions, differences): their exact normal forms decide, unless
        // DecimalRounding lets a decimal end equal a fraction (the part-by-part comparison rounds).
        if (SetAlgebra.IsSetNotation(a) && SetAlgebra.IsSetNotation(b) && Options.DecimalRounding is null)
            return Comparison.NotEqual("different sets of reals");
        // An inequality list has no other reading: its normal form decides.
        return ua is not null || ub is not null ? Comparison.NotEqual("different sets of reals") : null;
    }

    private static bool IsConstant(Expr e)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        ScalarComparer.Symbols(e, names, 0);
        return names.Count == 0 && e is not (CollectionExpr or IntervalExpr or UnionExpr or RelationExpr or TextExpr);
    }

    private static bool IsPair(Expr e) => e is CollectionExpr { Kind: CollectionKind.Tuple, Items.Length: 2 };

    private static bool IsSetLike(Expr e) => SetAlgebra.IsSetNotation(e) || SetAlgebra.IsOpenRay(e) || e is CollectionExpr { Kind: CollectionKind.Set };

    /// <summary>Words that name a set of reals: "all real numbers" (ℝ), "no solution" (∅); null otherwise.</summary>
    private static Expr? SetWords(Expr e)
    {
        if (e is not TextExpr t || t.Text.Length > 40) return null;
        return Normalize(t.Text) switch
        {
            "allrealnumbers" or "allreals" or "allrealvalues" or "everyrealnumber" or "realnumbers" =>
                new IntervalExpr(new NegateExpr(new ConstantExpr(ConstantKind.Infinity)), new ConstantExpr(ConstantKind.Infinity), false, false),
            "nosolution" or "nosolutions" or "norealsolution" or "norealsolutions" or "emptyset" or "theemptyset" =>
                new CollectionExpr(CollectionKind.Set, []),
            _ => null,
        };
    }

    /// <summary>"x ≤ -2 or x > 3": a bare list of one-variable inequalities in the same variable, as the
    /// union of their intervals ("x ≠ 2" alone: (-∞, 2) ∪ (2, ∞); "|x| > 1": (-∞, -1) ∪ (1, ∞)); null for anything else.</summary>
    private static UnionExpr? InequalityUnion(Expr e)
    {
        if (e is RelationExpr { Ops: [RelationOp.NotEqual], Operands: [SymbolExpr, var point] } && IsConstant(point))
        {
            var inf = new ConstantExpr(ConstantKind.Infinity);
            return new UnionExpr([new IntervalExpr(new NegateExpr(inf), point, false, false), new IntervalExpr(point, inf, false, false)]);
        }
        if (e is RelationExpr { Ops: [var op], Operands: [var left, var right] } && AbsOutside(left, op, right) is { } outside) return outside;
        if (e is not CollectionExpr { Kind: CollectionKind.AnswerList, Items.Length: >= 2 and <= 16 } list) return null;
        var parts = new Expr[list.Items.Length];
        string? variable = null;
        for (int k = 0; k < parts.Length; k++)
        {
            if (list.Items[k] is not RelationExpr r || r.Ops.Any(o => o is RelationOp.Equal or RelationOp.NotEqual or RelationOp.Approx or RelationOp.In)) return null;
            if (RelationComparer.ToInterval(r) is not { } interval) return null;
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var operand in r.Operands) ScalarComparer.Symbols(operand, names, 0);
            if (names.Count != 1 || (variable is not null && variable != names.Min)) return null;
            variable = names.Min;
            parts[k] = interval;
        }
        return new UnionExpr(parts);
    }

    /// <summary>"|x| > 1" (or "1 &lt; |x|", with ≥ / ≤) for a written positive number: the two rays (-∞, -1) ∪ (1, ∞).</summary>
    private static UnionExpr? AbsOutside(Expr l, RelationOp op, Expr r)
    {
        if (l is not FunctionExpr { Name: "abs", Args: [SymbolExpr] })
        {
            (l, r) = (r, l);
            op = op switch { RelationOp.Less => RelationOp.Greater, RelationOp.LessEqual => RelationOp.GreaterEqual, _ => RelationOp.Equal };
        }
        if (l is not FunctionExpr { Name: "abs", Args: [SymbolExpr] } || r is not NumberExpr { Value.Sign: > 0 } bound
            || op is not (RelationOp.Greater or RelationOp.GreaterEqual)) return null;
        bool closed = op == RelationOp.GreaterEqual;
        var inf = new ConstantExpr(ConstantKind.Infinity);
        return new UnionExpr([new IntervalExpr(new NegateExpr(inf), new NegateExpr(bound), false, closed), new IntervalExpr(bound, inf, closed, false)]);
    }

    private static bool ContainsMatrix(Expr e) => e switch
    {
        SumExpr s => s.Terms.Any(t => t is MatrixExpr || ContainsMatrix(t)),
        ProductExpr p => p.Factors.Any(t => t is MatrixExpr || ContainsMatrix(t)),
        NegateExpr n => n.Operand is MatrixExpr || ContainsMatrix(n.Operand),
        _ => false,
    };

    /// <summary>True when <paramref name="list"/> is a bare two-item list of non-negative integers
    /// "i,f" and <paramref name="number"/> is a single written decimal whose value is i.f — the
    /// decimal-comma reading. Only against a decimal: "2,3" is still the list of roots 2 and 3.</summary>
    private static bool DecimalCommaReading(Expr list, Expr number)
    {
        if (list is not CollectionExpr { Kind: CollectionKind.AnswerList, Items: [NumberExpr { IsDecimal: false } i, NumberExpr { IsDecimal: false } f] }
            || number is not NumberExpr { IsDecimal: true } n) return false;
        if (!i.Value.IsInteger || !f.Value.IsInteger || i.Value.Sign < 0 || f.Value.Sign <= 0 || f.Value.Bits > 64) return false;
        int digits = f.Value.Num.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var scale = BigRational.FromInt(1);
        for (int k = 0; k < digits; k++) scale *= BigRational.FromInt(10);
        return i.Value + f.Value / scale == n.Value;
    }

    private static string Normalize(string s) => string.Concat(s.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    /// <summary>Items of an unordered answer (list or set, ± expanded), or null for other shapes.</summary>
    private static List<Expr>? Items(Expr e)
    {
        if (e is CollectionExpr { Kind: CollectionKind.AnswerList or CollectionKind.Set } c)
        {
            var items = new List<Expr>();
            foreach (var i in c.Items) Expand(i, items);
            return items;
        }
        if (e is PlusMinusExpr or DivideExpr { Numerator: PlusMinusExpr }
            or RelationExpr { Ops: [RelationOp.Equal], Operands: [_, PlusMinusExpr or DivideExpr { Numerator: PlusMinusExpr }] })
        {
            var items = new List<Expr>();
            Expand(e, items);
            return items;
        }
        return null;
    }

    private static void Expand(Expr e, List<Expr> into)
    {
        if (e is PlusMinusExpr pm)
        {
            into.Add(new SumExpr([pm.Left, pm.Right]));
            into.Add(new SumExpr([pm.Left, new NegateExpr(pm.Right)]));
        }
        else if (e is RelationExpr { Operands.Length: 2 } r && r.Ops[0] == RelationOp.Equal && r.Operands[1] is PlusMinusExpr or DivideExpr { Numerator: PlusMinusExpr })
        {
            // "x = 3 \pm \sqrt{2}", "x = \frac{-1 \pm \sqrt{5}}{2}": one equation per sign.
            var values = new List<Expr>(2);
            Expand(r.Operands[1], values);
            foreach (var v in values) into.Add(new RelationExpr([r.Operands[0], v], r.Ops));
        }
        else if (e is DivideExpr { Numerator: PlusMinusExpr pm3 } div)
        {
            into.Add(new DivideExpr(new SumExpr([pm3.Left, pm3.Right]), div.Denominator));
            into.Add(new DivideExpr(new SumExpr([pm3.Left, new NegateExpr(pm3.Right)]), div.Denominator));
        }
        else into.Add(e);
    }

    private Comparison CompareItems(Expr a, List<Expr>? la, Expr b, List<Expr>? lb, int d)
    {
        // A set against a tuple compares in order (the public graders' convention).
        if (la is not null && lb is null && b is CollectionExpr { Kind: CollectionKind.Tuple } tb && a is CollectionExpr { Kind: CollectionKind.Set })
            return CompareOrdered(la.ToArray(), tb.Items, d);
        if (lb is not null && la is null && a is CollectionExpr { Kind: CollectionKind.Tuple } ta && b is CollectionExpr { Kind: CollectionKind.Set })
            return CompareOrdered(ta.Items, lb.ToArray(), d);
        // Decimal comma: the list "1,22" against the single decimal "1.22" (same digits) is that number.
        if (DecimalCommaReading(a, b) || DecimalCommaReading(b, a)) return Comparison.Equal("decimal comma");
        la ??= [a];
        lb ??= [b];
        if (la.Count == 1 && lb.Count == 1) return Compare(la[0], lb[0], d);
        // "x=2, y=-5" against "y=-5, x=2": values of the same distinct names are matched by name, never
        // across names ("x=2, y=-5" ≠ "y=2, x=-5", which item-by-item matching would pair as 2 ~ 2).
        if (Assignments(la) is { } byNameA && Assignments(lb) is { } byNameB)
        {
            if (!byNameA.Keys.Order(StringComparer.Ordinal).SequenceEqual(byNameB.Keys.Order(StringComparer.Ordinal)))
                return Comparison.NotEqual("values of different names");
            foreach (var (name, value) in byNameA)
            {
                var c = Compare(value, byNameB[name], d);
                if (!c.IsEqual) return c;
            }
            return Comparison.Equal("same value for each name");
        }
        // Set semantics: every answer on each side matches one on the other (order and repeats
        // do not matter: "(3,17,3,7)" listed twice is still one solution).
        var c1 = Covers(la, lb, d);
        if (!c1.IsEqual) return c1;
        var c2 = Covers(lb, la, d);
        return c2.IsEqual ? Comparison.Equal("same answers in any order") : c2;
    }

    /// <summary>Items that are all "name = value" with distinct single names, as name → value; null otherwise.</summary>
    private static Dictionary<string, Expr>? Assignments(List<Expr> items)
    {
        if (items.Count < 2 || items.Count > 16) return null;
        var byName = new Dictionary<string, Expr>(StringComparer.Ordinal);
        foreach (var item in items)
            if (item is not RelationExpr { Ops: [RelationOp.Equal], Operands: [SymbolExpr name, var value] } || !byName.TryAdd(name.Name, value)) return null;
        return byName;
    }

    private Comparison Covers(List<Expr> from, List<Expr> to, int d)
    {
        foreach (var x in from)
        {
            bool found = false;
            foreach (var y in to)
            {
                var c = Compare(x, y, d);
                if (c.Outcome == Outcome.Unknown) return c;
                if (c.IsEqual) { found = true; break; }
            }
            if (!found) return Comparison.NotEqual("an answer in one list has no match in the other");
        }
        return Comparison.Equal("covered");
    }

    public Comparison CompareOrdered(Expr[] x, Expr[] y, int d)
    {
        if (x.Length != y.Length) return Comparison.NotEqual($"{x.Length} components against {y.Length}");
        for (int k = 0; k < x.Length; k++)
        {
            var c = Compare(x[k], y[k], d);
            if (!c.IsEqual) return c;
        }
        return Comparison.Equal("componentwise equal");
    }

    private Comparison CompareSets(Expr a, Expr b, int d)
    {
        var pa = SetParts(a);
        var pb = SetParts(b);
        if (pa is null || pb is null) return Comparison.NotEqual("interval against a non-interval");
        if (pa.Count != pb.Count) return Comparison.NotEqual("different number of intervals");
        var used = new bool[pb.Count];
        foreach (var x in pa)
        {
            bool found = false;
            for (int k = 0; k < pb.Count && !found; k++)
            {
                if (used[k]) continue;
                var c = CompareSetPart(x, pb[k], d);
                if (c.Outcome == Outcome.Unknown) return c;
                if (c.IsEqual) { used[k] = true; found = true; }
            }
            if (!found) return Comparison.NotEqual("intervals differ");
        }
        return Comparison.Equal("same intervals");
    }

    private Comparison CompareSetPart(Expr x, Expr y, int d)
    {
        if (x is IntervalExpr ix && y is IntervalExpr iy)
        {
            if (ix.LowClosed != iy.LowClosed || ix.HighClosed != iy.HighClosed) return Comparison.NotEqual("bracket types differ");
            var lo = Compare(ix.Low, iy.Low, d);
            return lo.IsEqual ? Compare(ix.High, iy.High, d) : lo;
        }
        if (x is IntervalExpr || y is IntervalExpr) return Comparison.NotEqual("interval against a set");
        return Compare(x, y, d);
    }

    /// <summary>Parts of a union; an open tuple of two counts as an open interval.</summary>
    private static List<Expr>? SetParts(Expr e)
    {
        var parts = new List<Expr>();
        foreach (var p in e is UnionExpr u ? u.Parts : [e])
        {
            if (p is IntervalExpr) parts.Add(p);
            else if (p is CollectionExpr { Kind: CollectionKind.Tuple, Items.Length: 2 } t) parts.Add(new IntervalExpr(t.Items[0], t.Items[1], false, false));
            else if (p is CollectionExpr { Kind: CollectionKind.Set }) parts.Add(p);
            else return null;
        }
        return parts;
    }

    private Comparison CompareMatrices(Expr a, Expr b, int d)
    {
        var ma = AsMatrix(a);
        var mb = AsMatrix(b);
        if (ma is null || mb is null) return Comparison.NotEqual("matrix against a non-matrix");
        if (ma.Length != mb.Length) return Comparison.NotEqual("different matrix shapes");
        for (int r = 0; r < ma.Length; r++)
        {
            var c = CompareOrdered(ma[r], mb[r], d);
            if (!c.IsEqual) return c.Outcome == Outcome.Unknown ? c : Comparison.NotEqual("matrix entries differ");
        }
        return Comparison.Equal("same matrix");
    }

    private static Expr[][]? AsMatrix(Expr e) => e switch
    {
        MatrixExpr m => m.Rows,
        // A column vector written as a tuple.
        CollectionExpr { Kind: CollectionKind.Tuple } t => t.Items.Select(i => new[] { i }).ToArray(),
        _ => null,
    };
}
