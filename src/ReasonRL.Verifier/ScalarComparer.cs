// ScalarComparer: equivalence of two scalar expressions. Order of tests, cheapest first:
//   1. exact rational evaluation of both sides (integers, decimals, fractions, percents);
//   2. numeric evaluation when a side is not rational (π, √2, sin) — an exact rational against an
//      irrational value must agree to 1e-12 relative, so a decimal approximation (1.414 vs √2)
//      is never accepted; two non-rational values must agree to NumericTolerance;
//   3. expressions with variables: evaluation at SamplePoints seeded random points (both signs,
//      so √(x²) = |x| ≠ x), skipping points where either side is undefined.
// Every reading of % and ° (EvalMode) that VerifyOptions.Percent allows is tried; any matching reading is Equal. A mark written on both sides
// is read the same way on both (50% ≠ 0.5%).
// Grader options: DecimalRounding (a written decimal equals a value that rounds the same),
// Strict=false (variables that differ only by name are matched in sorted order).
// Not structural: collections and relations are handled by EquivalenceChecker.
using System.Numerics;

namespace ReasonRL.Verifier;

internal sealed class ScalarComparer(VerifyOptions options, Budget budget)
{
    /// <summary>Agreement needed between an exact rational and an irrational value.</summary>
    private const double RationalVsIrrationalTolerance = 1e-12;

    public Comparison Compare(Expr a, Expr b)
    {
        bool anyUnknown = false;
        string unknownReason = "";
        var (pa, da) = Marks(a, 0);
        var (pb, db) = Marks(b, 0);
        foreach (var ma in Modes(pa, da))
        {
            foreach (var mb in Modes(pb, db))
            {
                // A mark written on both sides is read the same way on both: dropping one percent sign but not the
                // other would make 50% equal 0.5% (and 33 1/3 % equal 1/3 %).
                if ((pa && pb && ma.PercentAsFraction != mb.PercentAsFraction) || (da && db && ma.DegreesAsRadians != mb.DegreesAsRadians)) continue;
                var c = CompareIn(a, ma, b, mb);
                if (c.IsEqual) return c;
                if (c.Outcome == Outcome.Unknown) { anyUnknown = true; unknownReason = c.Reason; }
            }
        }
        return anyUnknown ? Comparison.Unknown(unknownReason) : Comparison.NotEqual("values differ");
    }

    /// <summary>The readings of one side: a percent sign as the bare number and/or as a hundredth
    /// (VerifyOptions.Percent), a degree sign dropped or as radians.</summary>
    private IEnumerable<EvalMode> Modes(bool pct, bool deg)
    {
        bool plain = !pct || options.Percent != PercentReading.Fraction;
        bool hundredth = pct && options.Percent != PercentReading.Number;
        if (plain) yield return EvalMode.Plain;
        if (hundredth) yield return new EvalMode(true, false);
        if (plain && deg) yield return new EvalMode(false, true);
        if (hundredth && deg) yield return new EvalMode(true, true);
    }

    private static (bool Percent, bool Degree) Marks(Expr e, int depth)
    {
        if (depth > 64) return (false, false);
        switch (e)
        {
            case PercentExpr p: return (true, Marks(p.Operand, depth + 1).Degree);
            case DegreeExpr: return (false, true);
            case QuantityExpr q: return Marks(q.Value, depth + 1);
            case NegateExpr n: return Marks(n.Operand, depth + 1);
            case SumExpr s: return Any(s.Terms, depth);
            case ProductExpr p: return Any(p.Factors, depth);
            case DivideExpr d: return Any([d.Numerator, d.Denominator], depth);
            case FunctionExpr f: return Any(f.Args, depth);
            default: return (false, false);
        }
    }

    private static (bool, bool) Any(Expr[] items, int depth)
    {
        bool p = false, d = false;
        foreach (var i in items)
        {
            var (ip, id) = Marks(i, depth + 1);
            p |= ip;
            d |= id;
        }
        return (p, d);
    }

    private Comparison CompareIn(Expr a, EvalMode ma, Expr b, EvalMode mb)
    {
        var ea = ExactEvaluator.Evaluate(a, ma, budget);
        var eb = ExactEvaluator.Evaluate(b, mb, budget);
        if (ea is { } x && eb is { } y)
        {
            if (x == y) return Comparison.Equal("equal as exact rationals");
            return RoundedEqual(a, x.ToDouble(), b, y.ToDouble()) ? Comparison.Equal($"equal after rounding to {options.DecimalRounding} decimals")
                : Comparison.NotEqual("different rationals");
        }
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        Symbols(a, symbols, 0);
        Symbols(b, symbols, 0);
        if (!options.Strict && symbols.Count > 0)
        {
            // Not strict: variables that differ only by name are matched in sorted order (b's onto a's).
            var sa = new SortedSet<string>(StringComparer.Ordinal);
            var sb = new SortedSet<string>(StringComparer.Ordinal);
            Symbols(a, sa, 0);
            Symbols(b, sb, 0);
            if (sa.Count == sb.Count && !sa.SetEquals(sb))
                return CompareAtPoints(a, ma, b, mb, sa, sb.Zip(sa).ToArray());
        }
        if (symbols.Count == 0)
        {
            var va = ea is { } xa ? (Complex)xa.ToDouble() : NumericEvaluator.Evaluate(a, ma, Empty, budget);
            var vb = eb is { } yb ? (Complex)yb.ToDouble() : NumericEvaluator.Evaluate(b, mb, Empty, budget);
            if (!IsFinite(va) || !IsFinite(vb))
            {
                // Towers and huge powers beyond doubles: compared exactly as r^n with r not a perfect power.
                // (Only when both overflow: a finite double is never equal to an overflowed value.)
                if (!IsFinite(va) && !IsFinite(vb) && !HasInfinity(a, 0) && !HasInfinity(b, 0) && PowerForm(a, 0) is { } pa && PowerForm(b, 0) is { } pb)
                    return pa == pb ? Comparison.Equal("same power r^n (exact)") : Comparison.NotEqual("different powers r^n (exact)");
                // ∞ written as \infty is a value; a double overflow (9^{9^{9}}) is not ∞.
                if (IsInfinityOfSameSign(va, vb) && HasInfinity(a, 0) && HasInfinity(b, 0)) return Comparison.Equal("both infinite, same sign");
                if (IsRealInfinity(va) && IsRealInfinity(vb) && HasInfinity(a, 0) && HasInfinity(b, 0)) return Comparison.NotEqual("infinities of opposite sign");
                // \infty against an overflowed finite value: a finite number is never ∞.
                if (HasInfinity(a, 0) != HasInfinity(b, 0) && !IsNan(va) && !IsNan(vb))
                    return Comparison.NotEqual("infinity against a finite (if huge) value");
                if (!IsFinite(va) && !IsFinite(vb) && !(HasInfinity(a, 0) && HasInfinity(b, 0)))
                    return Comparison.Unknown("value overflows double range");
                if (IsNan(va) && IsNan(vb)) return Comparison.Unknown("both values are undefined");
                if (IsNan(va) != IsNan(vb) && (IsFinite(va) || IsFinite(vb))) return Comparison.NotEqual("a number against something that is not a number");
                if (IsNan(va) || IsNan(vb)) return Comparison.Unknown("a value is undefined or overflows double range");
                return IsFinite(va) != IsFinite(vb) ? Comparison.NotEqual("finite vs infinite") : Comparison.Unknown("value overflows double range");
            }
            if (va.Imaginary == 0 && vb.Imaginary == 0 && RoundedEqual(a, va.Real, b, vb.Real))
                return Comparison.Equal($"equal after rounding to {options.DecimalRounding} decimals");
            double tol = ea is not null || eb is not null ? RationalVsIrrationalTolerance : options.NumericTolerance;
            return Close(va, vb, tol) ? Comparison.Equal("numerically equal") : Comparison.NotEqual("numerically different");
        }
        return CompareAtPoints(a, ma, b, mb, symbols);
    }

    /// <summary>VerifyOptions.DecimalRounding: a side written with a decimal equals the other when both
    /// round to the same value at that many decimal places. Off (false) when the option is null.</summary>
    private bool RoundedEqual(Expr a, double va, Expr b, double vb)
    {
        if (options.DecimalRounding is not { } places || (!HasDecimal(a, 0) && !HasDecimal(b, 0))) return false;
        if (!double.IsFinite(va) || !double.IsFinite(vb)) return false;
        int n = Math.Clamp(places, 0, 15);
        return Math.Round(va, n, MidpointRounding.ToEven) == Math.Round(vb, n, MidpointRounding.ToEven);
    }

    private static bool HasDecimal(Expr e, int depth) => depth < 64 && e switch
    {
        NumberExpr n => n.IsDecimal,
        NegateExpr n => HasDecimal(n.Operand, depth + 1),
        SumExpr s => s.Terms.Any(t => HasDecimal(t, depth + 1)),
        ProductExpr p => p.Factors.Any(f => HasDecimal(f, depth + 1)),
        DivideExpr d => HasDecimal(d.Numerator, depth + 1) || HasDecimal(d.Denominator, depth + 1),
        PercentExpr pc => HasDecimal(pc.Operand, depth + 1),
        QuantityExpr q => HasDecimal(q.Value, depth + 1),
        _ => false,
    };

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();

    /// <param name="rename">When not strict: (b's name, a's name) pairs; b is evaluated with a's values.</param>
    private Comparison CompareAtPoints(Expr a, EvalMode ma, Expr b, EvalMode mb, SortedSet<string> symbols,
        (string B, string A)[]? rename = null)
    {
        var rng = new Random(options.Seed);
        int valid = 0;
        var vars = new Dictionary<string, double>(StringComparer.Ordinal);
        var varsB = rename is null ? vars : new Dictionary<string, double>(StringComparer.Ordinal);
        for (int p = 0; p < options.SamplePoints * 2 && valid < options.SamplePoints; p++)
        {
            budget.Charge(1 + symbols.Count); // one sample point: draw every variable
            vars.Clear();
            foreach (var s in symbols)
            {
                double mag = 0.35 + 2.3 * rng.NextDouble();
                vars[s] = (p % 2 == 1 && rng.NextDouble() < 0.7) ? -mag : mag;
            }
            if (rename is not null) foreach (var (nb, na) in rename) varsB[nb] = vars[na];
            var va = NumericEvaluator.Evaluate(a, ma, vars, budget);
            var vb = NumericEvaluator.Evaluate(b, mb, varsB, budget);
            if (!IsFinite(va) || !IsFinite(vb)) continue;
            if (!Close(va, vb, options.NumericTolerance)) return Comparison.NotEqual("differ at a sample point");
            valid++;
        }
        return valid >= 2 ? Comparison.Equal($"equal at {valid} sample points")
            : Comparison.Unknown("expressions undefined at the sample points");
    }

    /// <summary>Proportionality of two expressions: b = k·a for a constant k ≠ 0 (and k &gt; 0 when
    /// positiveOnly). Used for equations (a = 0 vs b = 0) and inequalities.</summary>
    public Comparison Proportional(Expr a, Expr b, bool positiveOnly)
    {
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        Symbols(a, symbols, 0);
        Symbols(b, symbols, 0);
        var rng = new Random(options.Seed + 1);
        var vars = new Dictionary<string, double>(StringComparer.Ordinal);
        Complex? ratio = null;
        int valid = 0;
        for (int p = 0; p < options.SamplePoints * 2 && valid < options.SamplePoints; p++)
        {
            budget.Charge(1 + symbols.Count); // one sample point: draw every variable
            vars.Clear();
            foreach (var s in symbols)
            {
                double mag = 0.35 + 2.3 * rng.NextDouble();
                vars[s] = rng.NextDouble() < 0.5 ? -mag : mag;
            }
            var va = NumericEvaluator.Evaluate(a, EvalMode.Plain, vars, budget);
            var vb = NumericEvaluator.Evaluate(b, EvalMode.Plain, vars, budget);
            if (!IsFinite(va) || !IsFinite(vb)) continue;
            if (Complex.Abs(va) < 1e-12 || Complex.Abs(vb) < 1e-12)
            {
                if (Complex.Abs(va) < 1e-12 && Complex.Abs(vb) < 1e-12) { valid++; continue; }
                return Comparison.NotEqual("not proportional");
            }
            var r = vb / va;
            if (ratio is null) ratio = r;
            else if (!Close(r, ratio.Value, options.NumericTolerance)) return Comparison.NotEqual("not proportional");
            valid++;
        }
        if (valid < 2 || ratio is null) return Comparison.Unknown("could not sample the relation");
        if (positiveOnly && !(NumericEvaluator.IsReal(ratio.Value) && ratio.Value.Real > 0))
            return Comparison.NotEqual("proportional with a negative factor (direction flips)");
        return Comparison.Equal("same relation up to a constant factor");
    }

    public static void Symbols(Expr e, ISet<string> into, int depth)
    {
        if (depth > 200) return;
        switch (e)
        {
            case SymbolExpr s: into.Add(s.Name); break;
            case NegateExpr n: Symbols(n.Operand, into, depth + 1); break;
            case SumExpr s: foreach (var t in s.Terms) Symbols(t, into, depth + 1); break;
            case ProductExpr p: foreach (var f in p.Factors) Symbols(f, into, depth + 1); break;
            case DivideExpr d: Symbols(d.Numerator, into, depth + 1); Symbols(d.Denominator, into, depth + 1); break;
            case PowerExpr pw: Symbols(pw.Base, into, depth + 1); Symbols(pw.Exponent, into, depth + 1); break;
            case RootExpr r: Symbols(r.Radicand, into, depth + 1); Symbols(r.Index, into, depth + 1); break;
            case FunctionExpr f: foreach (var a in f.Args) Symbols(a, into, depth + 1); break;
            case PercentExpr pc: Symbols(pc.Operand, into, depth + 1); break;
            case DegreeExpr dg: Symbols(dg.Operand, into, depth + 1); break;
            case QuantityExpr q: Symbols(q.Value, into, depth + 1); break;
            case PlusMinusExpr pm: Symbols(pm.Left, into, depth + 1); Symbols(pm.Right, into, depth + 1); break;
            case MatrixExpr m: foreach (var row in m.Rows) foreach (var c in row) Symbols(c, into, depth + 1); break;
        }
    }

    private static bool HasInfinity(Expr e, int depth) => depth < 32 && e switch
    {
        ConstantExpr { Kind: ConstantKind.Infinity } => true,
        NegateExpr n => HasInfinity(n.Operand, depth + 1),
        SumExpr s => s.Terms.Any(t => HasInfinity(t, depth + 1)),
        ProductExpr p => p.Factors.Any(f => HasInfinity(f, depth + 1)),
        _ => false,
    };

    private static bool IsRealInfinity(Complex z) => double.IsInfinity(z.Real) && z.Imaginary == 0;

    /// <summary>A power written with integers, ±r^n with r ≥ 2 not a perfect power and n ≥ 1 exact
    /// (2^{2^{10}} = (2, 1024), 4^{512} = (2, 1024), 5^{10^{6}}), or null. Bases up to 52 bits (where the
    /// root's double guess is exact) are reduced to their least root; exponents must evaluate exactly (ExactEvaluator's size guard applies to them).</summary>
    private (int Sign, BigInteger Root, BigInteger Exponent)? PowerForm(Expr e, int depth)
    {
        budget.Tick();
        if (depth > 16) return null;
        switch (e)
        {
            case NegateExpr n:
                return PowerForm(n.Operand, depth + 1) is { } p ? (-p.Sign, p.Root, p.Exponent) : null;
            case NumberExpr { Value: { IsInteger: true } v } when v.Num >= 2 && v.Num.GetBitLength() <= 52:
                return LeastRoot(v.Num);
            case PowerExpr pw:
                {
                    if (PowerForm(pw.Base, depth + 1) is not { Sign: > 0 } b) return null;
                    if (ExactEvaluator.Evaluate(pw.Exponent, EvalMode.Plain, budget) is not { IsInteger: true } x || x.Sign <= 0) return null;
                    budget.ChargeProduct((long)b.Exponent.GetBitLength(), x.Bits);
                    return (1, b.Root, b.Exponent * x.Num);
                }
            default:
                return null;
        }
    }

    private (int, BigInteger, BigInteger) LeastRoot(BigInteger n)
    {
        long bits = (long)n.GetBitLength();
        var value = new BigRational(n, 1);
        for (int k = (int)bits; k >= 2; k--)
        {
            budget.ChargeProduct(bits * 2, bits * 2);
            if (value.Root(k) is { } r) return (1, r.Num, k);
        }
        return (1, n, 1);
    }

    private static bool IsFinite(Complex z) => double.IsFinite(z.Real) && double.IsFinite(z.Imaginary);
    private static bool IsNan(Complex z) => double.IsNaN(z.Real) || double.IsNaN(z.Imaginary);

    private static bool IsInfinityOfSameSign(Complex a, Complex b) =>
        double.IsInfinity(a.Real) && double.IsInfinity(b.Real) && Math.Sign(a.Real) == Math.Sign(b.Real)
        && a.Imaginary == 0 && b.Imaginary == 0;

    private static bool Close(Complex a, Complex b, double tol) =>
        Complex.Abs(a - b) <= tol * Math.Max(1.0, Math.Max(Complex.Abs(a), Complex.Abs(b)));
}
