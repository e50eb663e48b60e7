// RelationComparer: equations, inequalities and membership.
//   • "x = 3" against "3": the answer is the value after the last '=' (after '≈' only when there
//     is no '='), when the left side is a name (x, f(x), |AB|, S_1:S_2, (p,q)), when the chain has
//     three or more parts ("z = 3+3 = 2"), or when both sides are numbers ("\sqrt{4} = 2").
//     "7 = 11a + c" is not the answer "11a + c", and "2x + z = 1" is not "1".
//   • two equations: the same values after names, or the same relation l − r = 0 up to a
//     non-zero constant factor ("y = −x/2 + 3/4" ~ "2x + 4y − 3 = 0");
//   • two inequalities: same strictness and l − r proportional with a positive factor
//     ("−x > −1" ~ "x < 1", "5 ≥ x" ~ "x ≤ 5");
//   • an inequality in one variable against an interval: converted to the interval
//     ("x ≥ 5" ~ "[5, ∞)", "-2 ≤ x ≤ 7" ~ "x \in [-2, 7]"). With VerifyOptions.AllowSetRelationComparison
//     off, an inequality *prediction* no longer equals a gold set (interval or membership); a set
//     prediction still equals a gold inequality (Math-Verify's asymmetric allow_set_relation_comp).
//     Compare(a, b) keeps a = prediction, b = gold.
//   • "1 ≤ |z| ≤ 3/2" (a band on |z|) is the union [-3/2, -1] ∪ [1, 3/2].
// Not a solver: "x² = 4" is not turned into "x = ±2".
namespace ReasonRL.Verifier;

internal sealed class RelationComparer(EquivalenceChecker checker, ScalarComparer scalars)
{
    public Comparison Compare(Expr a, Expr b, int d)
    {
        var ra = a as RelationExpr;
        var rb = b as RelationExpr;
        if (ra is not null && rb is not null) return CompareBoth(ra, rb, d);
        var rel = ra ?? rb!;
        var other = ra is null ? a : b;
        if (IsEquationChain(rel))
        {
            if (!IsAnswerForm(rel) && !(checker.Options.LabelledAnswers && rel.Operands.Length == 2 && IsLabel(rel.Operands[0], 0)))
                return Comparison.NotEqual("an equation is not the bare value it contains");
            return ra is null ? checker.Compare(other, Target(rel), d) : checker.Compare(Target(rel), other, d);
        }
        if (rel.Ops.Length == 1 && rel.Ops[0] == RelationOp.In)
            return ra is null ? checker.Compare(other, rel.Operands[1], d) : checker.Compare(rel.Operands[1], other, d);
        if (ToInterval(rel) is { } interval && other is IntervalExpr or UnionExpr or CollectionExpr { Kind: CollectionKind.Tuple, Items.Length: 2 })
            return ra is not null && !checker.Options.AllowSetRelationComparison
                ? Comparison.NotEqual("an inequality answer against a gold set (AllowSetRelationComparison is off)") : ra is null ? checker.Compare(other, interval, d) : checker.Compare(interval, other, d);
        return Comparison.NotEqual("a relation against a value");
    }

    private static bool IsEquationChain(RelationExpr r) => r.Ops.All(o => o is RelationOp.Equal or RelationOp.Approx);

    /// <summary>The value an equation chain gives: after the last '=', else after the last '≈'.</summary>
    public static Expr Target(RelationExpr r)
    {
        for (int k = r.Ops.Length - 1; k >= 0; k--)
            if (r.Ops[k] == RelationOp.Equal) return r.Operands[k + 1];
        return r.Operands[^1];
    }

    private static bool IsAnswerForm(RelationExpr r)
    {
        if (r.Operands.Length >= 3) return true;
        var lhs = r.Operands[0];
        if (IsName(lhs, 0) || IsCalculation(lhs, 0)) return true;
        var lhsSymbols = new HashSet<string>();
        var rhsSymbols = new HashSet<string>();
        ScalarComparer.Symbols(lhs, lhsSymbols, 0);
        ScalarComparer.Symbols(Target(r), rhsSymbols, 0);
        return lhsSymbols.Count == 0 && rhsSymbols.Count == 0;
    }

    /// <summary>A left side that is a calculation with bound variables (\lim, \sum, \int): its value is the right side.</summary>
    private static bool IsCalculation(Expr e, int depth) => depth < 16 && e switch
    {
        FunctionExpr f => f.Name.StartsWith("apply:\\", StringComparison.Ordinal),
        PowerExpr p => IsCalculation(p.Base, depth + 1),
        ProductExpr p => IsCalculation(p.Factors[0], depth + 1),
        _ => false,
    };

    /// <summary>VerifyOptions.LabelledAnswers: a left side that labels the value rather than states an
    /// equation in the question's unknowns: "\angle PQR", "m\angle ABC", "m+n", "a+b+c", "g^{-1}(x)",
    /// "\sin\theta", "\text{area}".
    /// A sum of names is a label only when no name is one of the usual unknowns x, y, z and no term has a
    /// numeric coefficient ("x+y = 9", "2a+b = 9" stay equations).</summary>
    private static bool IsLabel(Expr e, int depth) => depth < 16 && e switch
    {
        // "\angle PQR": a name followed by words (parsed as a quantity with a unit).
        QuantityExpr q => IsName(q.Value, depth + 1) || IsLabel(q.Value, depth + 1),
        SumExpr s => s.Terms.Length <= 6 && s.Terms.All(t => t is SymbolExpr or ProductExpr && IsName(t, depth + 1) && !HasUnknown(t)),
        // f'(2), g''(x): a derivative applied.
        ProductExpr { Factors: [SymbolExpr { Name: [_, '\'', ..] }, _] } => true,
        // g^{-1}(x), f^{-1}(3): an inverse function applied.
        ProductExpr { Factors: [PowerExpr { Base: SymbolExpr, Exponent: NegateExpr { Operand: NumberExpr { Value.IsInteger: true } one } }, _] }
            => one.Value.Num.IsOne,
        // "m\angle ABC": names and labelled names multiplied (not the unknowns: "xy = 12" is an equation).
        ProductExpr p => p.Factors.All(f => IsName(f, depth + 1) || (f is QuantityExpr && IsLabel(f, depth + 1))) && !HasUnknown(p),
        // "\sin\theta", "\cos A", "\log b": a named function of names.
        FunctionExpr { Name: "sin" or "cos" or "tan" or "cot" or "sec" or "csc" or "ln" or "log" } fn => fn.Args.All(x => x is SymbolExpr),
        _ => false,
    };

    private static bool HasUnknown(Expr e)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        ScalarComparer.Symbols(e, names, 0);
        return names.Overlaps(["x", "y", "z"]);
    }

    /// <summary>A left side that names the answer: symbols, f(x), |AB|, ratios/fractions of names, tuples of names.
    /// A product of names is a name (AB, m\angle A) unless it multiplies one of the unknowns x, y, z: "xy = 12" is an
    /// equation in the unknowns, like "x + y = 9", not the value 12.</summary>
    private static bool IsName(Expr e, int depth) => depth < 16 && e switch
    {
        SymbolExpr => true,
        FunctionExpr f => (f.Name.StartsWith("apply:", StringComparison.Ordinal) && !f.Name.StartsWith("apply:\\", StringComparison.Ordinal))
            || (f.Name == "abs" && f.Args.All(x => IsName(x, depth + 1))),
        ProductExpr p => p.Factors.All(x => IsName(x, depth + 1)) && !HasUnknown(p),
        DivideExpr dv => IsName(dv.Numerator, depth + 1) && IsName(dv.Denominator, depth + 1),
        RatioExpr ra => IsName(ra.Left, depth + 1) && IsName(ra.Right, depth + 1),
        CollectionExpr c => c.Items.All(x => IsName(x, depth + 1)),
        _ => false,
    };

    private Comparison CompareBoth(RelationExpr a, RelationExpr b, int d)
    {
        if (IsEquationChain(a) && IsEquationChain(b))
        {
            bool namedA = a.Operands.Length >= 3 || IsName(a.Operands[0], 0);
            bool namedB = b.Operands.Length >= 3 || IsName(b.Operands[0], 0);
            if (namedA && namedB)
            {
                var c = checker.Compare(Target(a), Target(b), d);
                if (c.IsEqual || a.Operands.Length > 2 || b.Operands.Length > 2) return c;
            }
            if (a.Operands.Length == 2 && b.Operands.Length == 2)
            {
                var direct = checker.Compare(a.Operands[0], b.Operands[0], d);
                if (direct.IsEqual && checker.Compare(a.Operands[1], b.Operands[1], d).IsEqual) return Comparison.Equal("same equation");
                if (IsScalar(a) && IsScalar(b))
                    return scalars.Proportional(Difference(a, 0), Difference(b, 0), positiveOnly: false);
            }
            return Comparison.NotEqual("different equations");
        }
        if (a.Ops.Length == 1 && b.Ops.Length == 1 && IsInequality(a.Ops[0]) && IsInequality(b.Ops[0]))
        {
            var (da, sa) = Normalized(a);
            var (db, sb) = Normalized(b);
            if (sa != sb) return Comparison.NotEqual("strict against non-strict inequality");
            return scalars.Proportional(da, db, positiveOnly: true);
        }
        if (a.Ops.Length == 1 && b.Ops.Length == 1 && a.Ops[0] == RelationOp.NotEqual && b.Ops[0] == RelationOp.NotEqual)
            return scalars.Proportional(Difference(a, 0), Difference(b, 0), positiveOnly: false);
        bool aIn = a.Ops.Length == 1 && a.Ops[0] == RelationOp.In, bIn = b.Ops.Length == 1 && b.Ops[0] == RelationOp.In;
        Expr? ia = aIn ? a.Operands[1] : (Expr?)AbsBand(a) ?? ToInterval(a);
        Expr? ib = bIn ? b.Operands[1] : (Expr?)AbsBand(b) ?? ToInterval(b);
        if (ia is not null && ib is not null && !aIn && bIn && !checker.Options.AllowSetRelationComparison)
            return Comparison.NotEqual("an inequality answer against a gold set membership (AllowSetRelationComparison is off)");
        if (ia is not null && ib is not null) return checker.Compare(ia, ib, d);
        if (a.Ops.Length == b.Ops.Length && a.Ops.SequenceEqual(b.Ops))
            return checker.CompareOrdered(a.Operands, b.Operands, d);
        return Comparison.NotEqual("different relations");
    }

    private static bool IsScalar(RelationExpr r) => r.Operands.All(o => o is not (CollectionExpr or IntervalExpr or UnionExpr or MatrixExpr or TextExpr));

    private static bool IsInequality(RelationOp op) => op is RelationOp.Less or RelationOp.LessEqual or RelationOp.Greater or RelationOp.GreaterEqual;

    private static Expr Difference(RelationExpr r, int k) => new SumExpr([r.Operands[k], new NegateExpr(r.Operands[k + 1])]);

    /// <summary>a op b as (d, strict) meaning d &gt; 0 (strict) or d ≥ 0.</summary>
    private static (Expr D, bool Strict) Normalized(RelationExpr r)
    {
        var (l, op, rr) = (r.Operands[0], r.Ops[0], r.Operands[1]);
        return op switch
        {
            RelationOp.Less => (new SumExpr([rr, new NegateExpr(l)]), true),
            RelationOp.LessEqual => (new SumExpr([rr, new NegateExpr(l)]), false),
            RelationOp.Greater => (new SumExpr([l, new NegateExpr(rr)]), true),
            _ => (new SumExpr([l, new NegateExpr(rr)]), false),
        };
    }

    /// <summary>"x &lt; 3", "3 ≥ x", "a ≤ x &lt; b" with one name and constant bounds, as an interval.</summary>
    public static IntervalExpr? ToInterval(RelationExpr r)
    {
        var posInf = new ConstantExpr(ConstantKind.Infinity);
        var negInf = new NegateExpr(new ConstantExpr(ConstantKind.Infinity));
        if (r.Ops.Length == 1 && IsInequality(r.Ops[0]))
        {
            var (l, op, rr) = (r.Operands[0], r.Ops[0], r.Operands[1]);
            bool lName = IsName(l, 0), rName = IsName(rr, 0);
            if (lName == rName) return null;
            if (rName) { (l, rr) = (rr, l); op = Flip(op); }
            // "|x| < 3" is (-3, 3), not (-∞, 3); "|x| > 3" is two rays (no single interval).
            if (l is FunctionExpr { Name: "abs" })
                return op is RelationOp.Less or RelationOp.LessEqual && rr is NumberExpr { Value.Sign: > 0 }
                    ? new IntervalExpr(new NegateExpr(rr), rr, op == RelationOp.LessEqual, op == RelationOp.LessEqual) : null;
            return op switch
            {
                RelationOp.Less => new IntervalExpr(negInf, rr, false, false),
                RelationOp.LessEqual => new IntervalExpr(negInf, rr, false, true),
                RelationOp.Greater => new IntervalExpr(rr, posInf, false, false),
                _ => new IntervalExpr(rr, posInf, true, false),
            };
        }
        if (r.Ops.Length == 2 && IsName(r.Operands[1], 0) && r.Operands[1] is not FunctionExpr { Name: "abs" }
            && !IsName(r.Operands[0], 0) && !IsName(r.Operands[2], 0))
        {
            var (o1, o2) = (r.Ops[0], r.Ops[1]);
            if (o1 is RelationOp.Less or RelationOp.LessEqual && o2 is RelationOp.Less or RelationOp.LessEqual)
                return new IntervalExpr(r.Operands[0], r.Operands[2], o1 == RelationOp.LessEqual, o2 == RelationOp.LessEqual);
            if (o1 is RelationOp.Greater or RelationOp.GreaterEqual && o2 is RelationOp.Greater or RelationOp.GreaterEqual)
                return new IntervalExpr(r.Operands[2], r.Operands[0], o2 == RelationOp.GreaterEqual, o1 == RelationOp.GreaterEqual);
        }
        return null;
    }

    /// <summary>"a ≤ |x| ≤ b" (also with &lt;) with a written positive number a: the union
    /// [-b, -a] ∪ [a, b] of the two intervals it describes; null for anything else.</summary>
    public static UnionExpr? AbsBand(RelationExpr r)
    {
        if (r.Ops.Length != 2 || r.Ops.Any(o => o is not (RelationOp.Less or RelationOp.LessEqual))) return null;
        if (r.Operands[1] is not FunctionExpr { Name: "abs", Args: [SymbolExpr] }) return null;
        if (r.Operands[0] is not NumberExpr { Value.Sign: > 0 } low) return null;
        var high = r.Operands[2];
        bool lc = r.Ops[0] == RelationOp.LessEqual, hc = r.Ops[1] == RelationOp.LessEqual;
        return new UnionExpr([new IntervalExpr(new NegateExpr(high), new NegateExpr(low), hc, lc), new IntervalExpr(low, high, lc, hc)]);
    }

    private static RelationOp Flip(RelationOp op) => op switch
    {
        RelationOp.Less => RelationOp.Greater,
        RelationOp.LessEqual => RelationOp.GreaterEqual,
        RelationOp.Greater => RelationOp.Less,
        RelationOp.GreaterEqual => RelationOp.LessEqual,
        _ => op,
    };
}
